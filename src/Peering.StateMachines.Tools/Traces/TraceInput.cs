using System.IO.Compression;

namespace Peering.StateMachines.Tools;

/// <summary>
/// A named input of traces: a file (plain or gzip, recognised by its magic bytes), or standard
/// input. Directories expand to every <c>.jsonl</c> and <c>.jsonl.gz</c> file in them, in ordinal path order.
/// </summary>
public sealed class TraceInput
{
    private readonly Func<Stream> _open;
    private readonly CancellationToken _stop;

    private TraceInput(string name, Func<Stream> open, CancellationToken stop = default)
    {
        Name = name;
        _open = open;
        _stop = stop;
    }

    /// <summary>The name errors and reports use (the path, or <c>-</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Standard input (<paramref name="open"/>: how to open it; the console's by default). A pipe can
    /// block a read for ever: cancelling <paramref name="stop"/> ends a read that waits.
    /// </summary>
    public static TraceInput StandardInput(Func<Stream>? open = null, CancellationToken stop = default) => new("-", open ?? Console.OpenStandardInput, stop);

    /// <summary>A file; if it is not a regular file (a FIFO, <c>&lt;(command)</c>), cancelling <paramref name="stop"/> ends a read that waits.</summary>
    public static TraceInput File(string path, CancellationToken stop = default) => new(path, () =>
    {
        try
        {
            return System.IO.File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable since the paths were expanded: an input problem (exit 2), never "output not writable".
            throw new InputException($"{path}: cannot be read: {e.Message}", e);
        }
    }, PhysicalFileSystem.Instance.KindOf(path) == OutputKind.Regular ? default : stop);

    /// <summary>A stream opened by <paramref name="open"/> (a pipe from another program), named <paramref name="name"/> in reports.</summary>
    public static TraceInput FromStream(string name, Func<Stream> open) => new(name, open);

    /// <summary>An in-memory trace (tests, fuzz round trips).</summary>
    public static TraceInput Memory(string name, byte[] bytes) => new(name, () => new MemoryStream(bytes, writable: false));

    /// <summary>
    /// Expands command-line paths: <c>-</c> is standard input (opened by <paramref name="standardInput"/>,
    /// the console's by default), a directory is its trace files. A path that does not exist, or a
    /// directory without traces, is an error. Cancelling <paramref name="stop"/> ends a read of a pipe that waits.
    /// </summary>
    public static IReadOnlyList<TraceInput> Expand(IEnumerable<string> paths, Func<Stream>? standardInput = null, CancellationToken stop = default)
    {
        var sources = new List<TraceInput>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                sources.Add(StandardInput(standardInput, stop));
            }
            else if (Directory.Exists(path))
            {
                var files = TraceFiles(path);
                if (files.Count == 0)
                {
                    throw new FileNotFoundException($"{path}: no .jsonl or .jsonl.gz files in this directory");
                }

                sources.AddRange(files.Select(f => File(f)));
            }
            else if (System.IO.File.Exists(path))
            {
                // Unreadable is like missing (a usage error), not a malformed trace or an output failure.
                try
                {
                    System.IO.File.OpenRead(path).Dispose();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new FileNotFoundException($"{path}: cannot be read: {e.Message}");
                }

                sources.Add(File(path, stop));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or directory");
            }
        }

        return sources;
    }

    // The trace files under a directory, in ordinal order. Symbolic links inside it are not followed
    // (files or directories: no loops, nothing outside the tree), and only regular files are taken,
    // so a FIFO or a device named *.jsonl never blocks the walk; an unreadable directory is an error.
    private static List<string> TraceFiles(string directory)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = false,
        };
        try
        {
            return Directory.EnumerateFiles(directory, "*", options)
                .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".jsonl.gz", StringComparison.Ordinal))
                .Where(f => PhysicalFileSystem.Instance.KindOf(f) == OutputKind.Regular)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException($"{directory}: cannot be read: {e.Message}");
        }
    }

    /// <summary>Opens the decompressed byte stream.</summary>
    public Stream Open()
    {
        var opened = _open();
        var raw = new Guarded(Name, _stop.CanBeCanceled ? new Interruptible(opened, _stop) : opened);
        var magic = new byte[2];
        var n = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        Stream stream = new PrefixedStream(magic.AsMemory(0, n), raw);
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? new CheckedGZipStream(new TailStream(stream))
            : stream;
    }

    /// <summary>A forward-only readable stream: subclasses implement <see cref="Stream.Read(Span{byte})"/>.</summary>
    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public abstract override int Read(Span<byte> buffer);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Keeps the last 8 bytes read through it (a gzip member's trailer: CRC-32 and ISIZE) and counts them.
    /// </summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[8];

        public long Total { get; private set; }

        /// <summary>The last four bytes (the gzip ISIZE field), little-endian.</summary>
        public uint LastUInt32
        {
            get
            {
                uint value = 0;
                for (var i = 0; i < 4; i++)
                {
                    value |= (uint)_tail[(int)((Total - 4 + i) % 8)] << (8 * i);
                }

                return value;
            }
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            var from = Math.Max(0, n - 8);
            for (var i = from; i < n; i++)
            {
                _tail[(int)((Total + i) % 8)] = buffer[i];
            }

            Total += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Gzip decompression that notices truncation: GZipStream ends silently when its input stops early
    /// (dotnet/runtime#47563), so at the end the input must have been read to its last byte and its
    /// last four bytes (ISIZE) must be the decompressed length modulo 2^32. This accepts one gzip member
    /// (what gzip and the trace tools write); concatenated members fail the check. Problems are
    /// <see cref="InvalidDataException"/>s, like GZipStream's own.
    /// </summary>
    private sealed class CheckedGZipStream(TailStream raw) : ReadOnlyStream
    {
        private readonly GZipStream _gzip = new(raw, CompressionMode.Decompress);
        private long _length;
        private bool _checked;

        public override int Read(Span<byte> buffer)
        {
            var n = _gzip.Read(buffer);
            _length += n;
            if (n == 0 && !buffer.IsEmpty && !_checked)
            {
                _checked = true;
                Span<byte> rest = stackalloc byte[256];
                if (raw.Read(rest) > 0)
                {
                    throw new InvalidDataException("unexpected data after the gzip member (only one member is read)");
                }

                if (raw.Total < 18 || raw.LastUInt32 != (uint)_length)
                {
                    throw new InvalidDataException("truncated, or more than one gzip member (the trailer does not match the data)");
                }
            }

            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    // Gives back the bytes read to sniff the format, then the rest: works on pipes, which cannot seek.
    // A read error of the input (EIO, a vanished NFS file) is an input problem naming the file, not an output one.
    private sealed class Guarded(string name, Stream inner) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"{name}: cannot be read: {e.Message}", e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    // A read of a pipe blocks in the kernel, where no cancellation reaches it. Each read runs on the
    // thread pool into a buffer of our own, and the reader waits for it or for the signal; on the
    // signal the read is abandoned (the process is ending) and the reader gets OperationCanceledException.
    private sealed class Interruptible(Stream inner, CancellationToken stop) : ReadOnlyStream
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private Task<int>? _pending;
        private int _start;
        private int _end;

        public override int Read(Span<byte> buffer)
        {
            if (_start == _end)
            {
                _pending ??= Task.Run(() => inner.Read(_buffer));
                try
                {
                    _pending.Wait(stop);
                }
                catch (AggregateException x) when (x.InnerExceptions.Count == 1)
                {
                    _pending = null;
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(x.InnerExceptions[0]);
                }

                (_start, _end, _pending) = (0, _pending.Result, null);
            }

            var n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            // A read still waiting owns the stream; it ends with the process.
            if (disposing && _pending is null)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return inner.Read(buffer);
            }

            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
