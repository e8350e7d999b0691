namespace Peering.StateMachines.Tools;

/// <summary>
/// The file operations the fuzzer's outputs need, as a seam: tests substitute a file system that
/// is read-only or fills up, to show that no failure is dropped and no half-written file is left.
/// </summary>
public interface IFileSystem
{
    /// <summary>Creates <paramref name="path"/> and its parents if missing.</summary>
    void CreateDirectory(string path);

    /// <summary>Creates a new file for writing (fails if it exists).</summary>
    Stream CreateNew(string path);

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing it atomically.</summary>
    void Replace(string from, string to);

    /// <summary>Deletes a file if it exists.</summary>
    void Delete(string path);

    /// <summary>Whether the file exists.</summary>
    bool FileExists(string path);

    /// <summary>A whole file.</summary>
    byte[] ReadAllBytes(string path);
}

/// <summary>The real file system.</summary>
public sealed class PhysicalFileSystem : IFileSystem
{
    /// <summary>The one instance.</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    /// <inheritdoc/>
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc/>
    public Stream CreateNew(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    /// <inheritdoc/>
    public void Replace(string from, string to) => File.Move(from, to, overwrite: true);

    /// <inheritdoc/>
    public void Delete(string path) => File.Delete(path);

    /// <inheritdoc/>
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc/>
    public byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);
}

/// <summary>An output file could not be written: the directory is unwritable or full (exit code 4).</summary>
public sealed class OutputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Writes whole files atomically: to a temporary name in the same directory, flushed to disk, then renamed.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>: either the whole new content is
    /// there afterwards, or the old file (if any) is untouched and no temporary file is left.
    /// </summary>
    /// <exception cref="OutputException">The file could not be written.</exception>
    public static void Write(IFileSystem fs, string path, ReadOnlySpan<byte> content)
    {
        using var file = PendingFile.Create(fs, path);
        file.Write(content);
        file.Commit();
    }
}

/// <summary>
/// A file written atomically as a stream, for content too large to hold in memory (an external
/// program's output): written to a temporary name in the target's directory; <see cref="Commit"/>
/// flushes it to disk and renames it over the target, and disposing it uncommitted deletes it.
/// </summary>
public sealed class PendingFile : IDisposable
{
    private static long _counter;

    private readonly IFileSystem _fs;
    private readonly string _temp;
    private Stream? _stream;

    private PendingFile(IFileSystem fs, string path, string temp, Stream stream)
    {
        _fs = fs;
        Path = path;
        _temp = temp;
        _stream = stream;
    }

    /// <summary>The target.</summary>
    public string Path { get; }

    /// <summary>The temporary file, to write to directly (a failed write is the caller's to report; <see cref="Dispose"/> still cleans up).</summary>
    public Stream Stream => Open();

    /// <summary>Starts writing <paramref name="path"/>.</summary>
    /// <exception cref="OutputException">The temporary file could not be created.</exception>
    public static PendingFile Create(IFileSystem fs, string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.{Interlocked.Increment(ref _counter)}.tmp");
        try
        {
            return new PendingFile(fs, path, temp, fs.CreateNew(temp));
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new OutputException($"cannot write {path}: {x.Message}", x);
        }
    }

    /// <summary>Appends <paramref name="content"/>.</summary>
    /// <exception cref="OutputException">It could not be written (the temporary file is deleted).</exception>
    public void Write(ReadOnlySpan<byte> content)
    {
        var stream = Open();
        try
        {
            stream.Write(content);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Fail(x);
        }
    }

    /// <summary>Flushes the content to disk and renames it over the target.</summary>
    /// <exception cref="OutputException">It could not be written; the old target (if any) is untouched and the temporary file deleted.</exception>
    public void Commit()
    {
        var stream = Open();
        try
        {
            using (stream)
            {
                if (stream is FileStream file)
                {
                    file.Flush(flushToDisk: true);
                }
                else
                {
                    stream.Flush();
                }
            }

            _stream = null;
            _fs.Replace(_temp, Path);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Fail(x);
        }
    }

    /// <summary>Deletes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }

        _stream.Dispose();
        _stream = null;
        Discard();
    }

    private Stream Open() => _stream ?? throw new InvalidOperationException("the pending file is already committed or discarded");

    // Drops the temporary file after a failed write; the exception to throw.
    private OutputException Fail(Exception x)
    {
        try
        {
            _stream?.Dispose();
        }
        catch (Exception closing) when (closing is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // A stream that failed to write may fail to close too; the temporary file goes below.
        }

        _stream = null;
        Discard();
        return new OutputException($"cannot write {Path}: {x.Message}", x);
    }

    private void Discard()
    {
        try
        {
            _fs.Delete(_temp);
        }
        catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the caller's message names the file that failed.
        }
    }
}
