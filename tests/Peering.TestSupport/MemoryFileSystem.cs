using Peering.StateMachines.Tools;

namespace Peering.TestSupport;

/// <summary>
/// An in-memory <see cref="IFileSystem"/> that can be read-only or run out of space: a write
/// beyond <see cref="FreeBytes"/> throws the IOException a full disk gives, after writing what fitted.
/// </summary>
public sealed class MemoryFileSystem : IFileSystem
{
    private readonly object _gate = new();
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly HashSet<string> _directories = [];

    /// <summary>Bytes that can still be written (all files together).</summary>
    public long FreeBytes { get; set; } = long.MaxValue;

    /// <summary>Every creation fails with <see cref="UnauthorizedAccessException"/>.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The files, by full path, sorted.</summary>
    public IReadOnlyList<string> Files
    {
        get
        {
            lock (_gate)
            {
                return [.. _files.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <inheritdoc/>
    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            _directories.Add(Path.GetFullPath(path));
        }
    }

    /// <inheritdoc/>
    public Stream CreateNew(string path)
    {
        if (ReadOnly)
        {
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }

        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            if (!_files.TryAdd(full, []))
            {
                throw new IOException($"The file '{path}' already exists.");
            }
        }

        return new FileStream(this, full);
    }

    /// <inheritdoc/>
    public void Replace(string from, string to)
    {
        lock (_gate)
        {
            _files[Path.GetFullPath(to)] = _files[Path.GetFullPath(from)];
            _files.Remove(Path.GetFullPath(from));
        }
    }

    /// <inheritdoc/>
    public void Delete(string path)
    {
        lock (_gate)
        {
            _files.Remove(Path.GetFullPath(path));
        }
    }

    /// <inheritdoc/>
    public bool FileExists(string path)
    {
        lock (_gate)
        {
            return _files.ContainsKey(Path.GetFullPath(path));
        }
    }

    /// <inheritdoc/>
    public byte[] ReadAllBytes(string path)
    {
        lock (_gate)
        {
            return _files.TryGetValue(Path.GetFullPath(path), out var bytes) ? bytes : throw new FileNotFoundException(path);
        }
    }

    private void Append(string path, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var fits = (int)Math.Min(data.Length, FreeBytes);
            _files[path] = [.. _files[path], .. data[..fits]];
            FreeBytes -= fits;
            if (fits < data.Length)
            {
                throw new IOException("No space left on device");
            }
        }
    }

    private sealed class FileStream(MemoryFileSystem fs, string path) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => fs.Append(path, buffer);
    }
}
