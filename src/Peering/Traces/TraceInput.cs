using System.IO.Compression;

namespace Peering.Traces;

/// <summary>
/// A named input of traces: a file (plain or gzip, recognised by its magic bytes), or standard
/// input. Directories expand to every <c>.jsonl</c> and <c>.jsonl.gz</c> file in them, in ordinal path order.
/// </summary>
public sealed class TraceInput
{
    private readonly Func<Stream> _open;

    private TraceInput(string name, Func<Stream> open)
    {
        Name = name;
        _open = open;
    }

    /// <summary>The name errors and reports use (the path, or <c>-</c>).</summary>
    public string Name { get; }

    /// <summary>Standard input.</summary>
    public static TraceInput StandardInput() => new("-", Console.OpenStandardInput);

    /// <summary>A file.</summary>
    public static TraceInput File(string path) => new(path, () => System.IO.File.OpenRead(path));

    /// <summary>An in-memory trace (tests, fuzz round trips).</summary>
    public static TraceInput Memory(string name, byte[] bytes) => new(name, () => new MemoryStream(bytes, writable: false));

    /// <summary>
    /// Expands command-line paths: <c>-</c> is standard input, a directory is its trace files.
    /// A path that does not exist, or a directory without traces, is an error.
    /// </summary>
    public static IReadOnlyList<TraceInput> Expand(IEnumerable<string> paths)
    {
        var sources = new List<TraceInput>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                sources.Add(StandardInput());
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".jsonl.gz", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    throw new FileNotFoundException($"{path}: no .jsonl or .jsonl.gz files in this directory");
                }

                sources.AddRange(files.Select(File));
            }
            else if (System.IO.File.Exists(path))
            {
                sources.Add(File(path));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or directory");
            }
        }

        return sources;
    }

    /// <summary>Opens the decompressed byte stream.</summary>
    public Stream Open()
    {
        var raw = _open();
        var magic = new byte[2];
        var n = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        Stream stream = new PrefixedStream(magic.AsMemory(0, n), raw);
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? new GZipStream(stream, CompressionMode.Decompress)
            : stream;
    }

    // Gives back the bytes read to sniff the format, then the rest: works on pipes, which cannot seek.
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
