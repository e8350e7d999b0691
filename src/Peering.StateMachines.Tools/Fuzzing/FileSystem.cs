using System.Runtime.InteropServices;
using System.Text;

namespace Peering.StateMachines.Tools;

/// <summary>What an output path names, as the atomic writer sees it (symbolic links followed).</summary>
public enum OutputKind
{
    /// <summary>Nothing yet: the file is created.</summary>
    Missing,

    /// <summary>A regular file: replaced atomically.</summary>
    Regular,

    /// <summary>A directory: refused (exit code 2).</summary>
    Directory,

    /// <summary>A character device or a FIFO (<c>/dev/null</c>, <c>/dev/stdout</c>, a pipe): written through as a stream.</summary>
    Stream,

    /// <summary>Anything else (a socket, a block device): refused (exit code 2).</summary>
    Other,
}

/// <summary>
/// The file operations the tools' outputs need, as a seam: tests substitute a file system that
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

    /// <summary>What <paramref name="path"/> is (symbolic links followed).</summary>
    OutputKind KindOf(string path) => FileExists(path) ? OutputKind.Regular : OutputKind.Missing;

    /// <summary>The file a path finally names (symbolic links resolved), so that replacing it keeps the link.</summary>
    string Target(string path) => path;

    /// <summary>Opens an existing device or FIFO for writing.</summary>
    Stream OpenStream(string path) => throw new NotSupportedException($"{path}: not a regular file");

    /// <summary>Makes a rename in <paramref name="directory"/> durable (fsync of the directory).</summary>
    void SyncDirectory(string directory)
    {
    }

    /// <summary>The files in <paramref name="directory"/> (names only).</summary>
    IEnumerable<string> FileNames(string directory) => [];

    /// <summary>Something that is equal for two paths of the same file (device and inode where known).</summary>
    string Identity(string path) => Path.GetFullPath(path);

    /// <summary>Holds the exclusive lock of the file <paramref name="path"/> (created if missing) until disposed; other processes wait for it.</summary>
    IDisposable Lock(string path) => new MemoryStream();

    /// <summary>Whether the process <paramref name="pid"/> is running (a temporary file it owns is not stale).</summary>
    bool IsRunning(int pid) => true;
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

    /// <inheritdoc/>
    public OutputKind KindOf(string path)
    {
        if (Posix.Stat(path) is { } stat)
        {
            return (stat.Mode & Posix.TypeMask) switch
            {
                Posix.Regular => OutputKind.Regular,
                Posix.DirectoryType => OutputKind.Directory,
                Posix.CharDevice or Posix.Fifo => OutputKind.Stream,
                _ => OutputKind.Other,
            };
        }

        return Directory.Exists(path) ? OutputKind.Directory : File.Exists(path) ? OutputKind.Regular : OutputKind.Missing;
    }

    /// <inheritdoc/>
    public string Target(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            // A loop of links: the rename below fails and says so.
            return path;
        }
    }

    /// <inheritdoc/>
    public Stream OpenStream(string path) => new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);

    /// <inheritdoc/>
    public void SyncDirectory(string directory) => Posix.SyncDirectory(directory);

    /// <inheritdoc/>
    public IEnumerable<string> FileNames(string directory) => Directory.EnumerateFiles(directory).Select(f => Path.GetFileName(f));

    /// <inheritdoc/>
    public string Identity(string path) => Posix.Stat(path) is { } stat ? $"{stat.Device}:{stat.Inode}" : Path.GetFullPath(path);

    /// <inheritdoc/>
    public IDisposable Lock(string path)
    {
        // FileShare.None is flock(LOCK_EX | LOCK_NB) on Unix and a share lock on Windows: held by one open file at a time, across processes.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromMinutes(1) && File.Exists(path))
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <inheritdoc/>
    public bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The few POSIX calls .NET has no API for: the type and identity of a file, and fsync of a directory (Linux; elsewhere none).</summary>
internal static class Posix
{
    public const int TypeMask = 0xF000;
    public const int Fifo = 0x1000;
    public const int CharDevice = 0x2000;
    public const int DirectoryType = 0x4000;
    public const int Regular = 0x8000;

    private const int AtCurrentDirectory = -100;
    private const uint BasicStats = 0x7ff;

    /// <summary>The mode, device and inode of <paramref name="path"/> (links followed); null where unknown (missing, or not Linux).</summary>
    public static (int Mode, ulong Device, ulong Inode)? Stat(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, BasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return null;
            }
        }
        catch (Exception x) when (x is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx: stx_mode at 28, stx_ino at 32, stx_dev_major and stx_dev_minor at 136 and 140.
        var mode = BitConverter.ToUInt16(buffer[28..]);
        var inode = BitConverter.ToUInt64(buffer[32..]);
        var device = ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..]);
        return (mode, device, inode);
    }

    /// <summary>fsync of a directory, so that a rename in it survives a crash; a file system that cannot is not an error.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        try
        {
            var fd = Open(directory, 0);
            if (fd < 0)
            {
                return;
            }

            _ = Fsync(fd);
            _ = Close(fd);
        }
        catch (Exception x) when (x is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}

/// <summary>An output file could not be written: the directory is unwritable or full (exit code 4).</summary>
public sealed class OutputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Writes whole files atomically: to a temporary name in the same directory, flushed to disk, then renamed.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>: either the whole new content is
    /// there afterwards, or the old file (if any) is untouched and no temporary file is left
    /// (<see cref="PendingFile.Create"/> says what else a path may be).
    /// </summary>
    /// <exception cref="OutputException">The file could not be written.</exception>
    /// <exception cref="UsageException">The path is a directory or another file that is not an output.</exception>
    public static void Write(IFileSystem fs, string path, ReadOnlySpan<byte> content, Func<Stream>? standardOutput = null)
    {
        using var file = PendingFile.Create(fs, path, standardOutput);
        file.Write(content);
        file.Commit();
    }
}

/// <summary>
/// The one way the tools write an output file (docs/trace-input.md, "Outputs"). A regular file (or a
/// new one) is written to a temporary name in its directory; <see cref="Commit"/> flushes it to disk,
/// renames it over the target and syncs the directory, and disposing it uncommitted deletes it, so
/// the old file is untouched by any failure, bad input or signal. <c>-</c> (standard output),
/// character devices and FIFOs are written through as streams; a directory, or anything else that is
/// not a file, is refused (exit code 2), never replaced.
/// </summary>
public sealed class PendingFile : IDisposable
{
    /// <summary>How temporary files end; <see cref="TemporaryOwner"/> reads the process that made one.</summary>
    public const string TemporarySuffix = ".tmp";

    // Names stay well inside NAME_MAX (255 bytes) whatever the target's name: its start, then the process and a counter.
    private const int MaxNamePrefixBytes = 128;

    private static long _counter;

    private readonly IFileSystem _fs;
    private readonly string? _temp;
    private readonly string _target;
    private Stream? _stream;
    private string? _retarget;
    private Writer? _writer;
    private OutputException? _failed;

    private PendingFile(IFileSystem fs, string path, string target, string? temp, Stream stream)
    {
        _fs = fs;
        Path = path;
        _target = target;
        _temp = temp;
        _stream = stream;
    }

    /// <summary>The target as given.</summary>
    public string Path { get; }

    /// <summary>Whether the output is written through (standard output, a device, a FIFO) rather than replaced.</summary>
    public bool IsStream => _temp is null;

    /// <summary>What is written: a failed write or flush is an <see cref="OutputException"/> naming the file, and the temporary file is deleted.</summary>
    public Stream Stream => _writer ??= new Writer(this);

    /// <summary>Starts writing <paramref name="path"/>; <c>-</c> is <paramref name="standardOutput"/>, where the command has one.</summary>
    /// <exception cref="OutputException">The temporary file could not be created.</exception>
    /// <exception cref="UsageException"><paramref name="path"/> is a directory or not a file, or <c>-</c> where there is no standard output.</exception>
    public static PendingFile Create(IFileSystem fs, string path, Func<Stream>? standardOutput = null)
    {
        if (path == "-")
        {
            return standardOutput is null
                ? throw new UsageException("-: standard output is not an output of this option")
                : new PendingFile(fs, path, path, null, standardOutput());
        }

        switch (fs.KindOf(path))
        {
            case OutputKind.Directory:
                throw new UsageException($"{path}: is a directory, not an output file");
            case OutputKind.Other:
                throw new UsageException($"{path}: is not a regular file, a device or a FIFO");
            case OutputKind.Stream:
                try
                {
                    return new PendingFile(fs, path, path, null, fs.OpenStream(path));
                }
                catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
                {
                    throw new OutputException($"cannot write {path}: {Reason(x)}", x);
                }
        }

        var target = fs.Target(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(target)) ?? ".";
        var temp = System.IO.Path.Combine(directory, TemporaryName(System.IO.Path.GetFileName(target)));
        try
        {
            return new PendingFile(fs, path, target, temp, fs.CreateNew(temp));
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new OutputException($"cannot write {path}: {x switch { DirectoryNotFoundException => $"no directory {directory}", UnauthorizedAccessException => $"permission denied in {directory}", _ => Reason(x) }}", x);
        }
    }

    /// <summary>
    /// Refuses an output that is one of the inputs (the same file by device and inode, through any
    /// link), before anything is opened: replacing it would destroy what is being read.
    /// </summary>
    /// <exception cref="UsageException">It is.</exception>
    public static void RefuseInput(IFileSystem fs, string option, string? output, IEnumerable<string> inputs)
    {
        if (output is null or "-" || fs.KindOf(output) != OutputKind.Regular)
        {
            return;
        }

        var identity = fs.Identity(output);
        foreach (var input in inputs)
        {
            if (input != "-" && fs.KindOf(input) == OutputKind.Regular && fs.Identity(input) == identity)
            {
                throw new UsageException($"{option} {output}: is also an input ({input}); write the output elsewhere");
            }
        }
    }

    /// <summary>The process id in a temporary file name this class made, or null if it is not one.</summary>
    public static int? TemporaryOwner(string name)
    {
        if (!name.StartsWith('.') || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var core = name[..^TemporarySuffix.Length];
        var dash = core.LastIndexOf('-');
        var dot = dash < 0 ? -1 : core.LastIndexOf('.', dash);
        return dot >= 0 && int.TryParse(core.AsSpan(dot + 1, dash - dot - 1), out var pid) ? pid : null;
    }

    /// <summary>Renames the content to <paramref name="path"/> instead of the path it was created for (a name in the same directory), then commits.</summary>
    public void CommitAs(string path)
    {
        _retarget = path;
        Commit();
    }

    /// <summary>Appends <paramref name="content"/>.</summary>
    /// <exception cref="OutputException">It could not be written (the temporary file is deleted).</exception>
    public void Write(ReadOnlySpan<byte> content)
    {
        // A write after a failed one (a buffer flushed as it is closed) fails the same way.
        var stream = _failed is { } failed ? throw failed : Open();
        try
        {
            stream.Write(content);
        }
        catch (Exception x) when (IsWriteError(x))
        {
            throw Fail(x);
        }
    }

    /// <summary>Flushes the content to disk, renames it over the target and syncs the directory (a stream is flushed).</summary>
    /// <exception cref="OutputException">It could not be written; the old target (if any) is untouched and the temporary file deleted.</exception>
    public void Commit()
    {
        var stream = _failed is { } failed ? throw failed : Open();
        try
        {
            using (stream)
            {
                if (stream is FileStream file && _temp is not null)
                {
                    file.Flush(flushToDisk: true);
                }
                else
                {
                    stream.Flush();
                }
            }

            _stream = null;
            if (_temp is not null)
            {
                _fs.Replace(_temp, _retarget ?? _target);
                _fs.SyncDirectory(System.IO.Path.GetDirectoryName(_temp)!);
            }
        }
        catch (Exception x) when (IsWriteError(x))
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

        try
        {
            _stream.Dispose();
        }
        catch (Exception x) when (IsWriteError(x))
        {
            // Closing a stream that failed may fail too; the temporary file goes below.
        }

        _stream = null;
        Discard();
    }

    // EFBIG (a file-size limit) surfaces from .NET as an ArgumentException.
    internal static bool IsWriteError(Exception x) => x is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException;

    internal static string Reason(Exception x) => x switch
    {
        ArgumentException => "File too large (the file-size limit, ulimit -f)",
        OutputException => x.Message,
        { InnerException: IOException inner } => WithoutPath(inner.Message),
        _ => WithoutPath(x.Message),
    };

    // .NET appends " : 'PATH'" to an I/O error's reason; the line names the file already.
    private static string WithoutPath(string message) =>
        message.EndsWith('\'') && message.LastIndexOf(" : '", StringComparison.Ordinal) is > 0 and var at ? message[..at] : message;

    private static string TemporaryName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length > MaxNamePrefixBytes)
        {
            // Cut on a character boundary.
            var keep = MaxNamePrefixBytes;
            while (keep > 0 && (bytes[keep] & 0xC0) == 0x80)
            {
                keep--;
            }

            name = Encoding.UTF8.GetString(bytes, 0, keep);
        }

        return $".{name}.{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}{TemporarySuffix}";
    }

    private Stream Open() => _stream ?? throw new InvalidOperationException("the pending file is already committed or discarded");

    // The stream callers write (through GZip, a BufferedStream or a report writer): every error is
    // one OutputException naming the file. Closing it closes nothing: Commit and Dispose do.
    private sealed class Writer(PendingFile file) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => file.Write(buffer);

        public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => file.Write([value]);

        public override void Flush()
        {
            if (file._failed is not null)
            {
                return;
            }

            var stream = file.Open();
            try
            {
                stream.Flush();
            }
            catch (Exception x) when (IsWriteError(x))
            {
                throw file.Fail(x);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    // Drops the temporary file after a failed write; the exception to throw.
    private OutputException Fail(Exception x)
    {
        try
        {
            _stream?.Dispose();
        }
        catch (Exception closing) when (IsWriteError(closing))
        {
            // A stream that failed to write may fail to close too; the temporary file goes below.
        }

        _stream = null;
        Discard();
        return _failed = x as OutputException ?? new OutputException($"cannot write {Path}: {Reason(x)}", x);
    }

    private void Discard()
    {
        if (_temp is null)
        {
            return;
        }

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
