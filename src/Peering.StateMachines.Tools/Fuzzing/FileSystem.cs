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
    private static long _counter;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>: either the whole new content is
    /// there afterwards, or the old file (if any) is untouched and no temporary file is left.
    /// </summary>
    /// <exception cref="OutputException">The file could not be written.</exception>
    public static void Write(IFileSystem fs, string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Interlocked.Increment(ref _counter)}.tmp");
        try
        {
            using (var stream = fs.CreateNew(temp))
            {
                stream.Write(content);
                if (stream is FileStream file)
                {
                    file.Flush(flushToDisk: true);
                }
                else
                {
                    stream.Flush();
                }
            }

            fs.Replace(temp, path);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            try
            {
                fs.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done; the message below names the file that failed.
            }

            throw new OutputException($"cannot write {path}: {x.Message}", x);
        }
    }
}
