namespace Peering.StateMachines.Tools;

/// <summary>
/// What a tool's commands talk to: the writers, standard input and output as streams, the file
/// system for outputs, the cancellation of Ctrl-C, and how often progress is drawn. Tests substitute
/// each part; <see cref="Console"/> is the real one.
/// </summary>
public sealed record ToolEnvironment(
    TextWriter Out,
    TextWriter Error,
    bool ErrorIsTerminal,
    Func<Stream> OpenStandardInput,
    Func<Stream> OpenStandardOutput,
    IFileSystem FileSystem,
    CancellationToken Cancellation,
    TimeSpan ProgressEvery)
{
    /// <summary>
    /// An environment of in-memory writers (tests): no terminal, standard input <paramref name="stdin"/>
    /// (empty by default), standard output as bytes into <paramref name="stdoutBytes"/> (dropped by
    /// default), the real file system unless given.
    /// </summary>
    public static ToolEnvironment Capture(
        TextWriter stdout, TextWriter stderr, IFileSystem? fileSystem = null, CancellationToken cancellation = default, byte[]? stdin = null, Stream? stdoutBytes = null) =>
        new(
            stdout,
            stderr,
            false,
            () => new MemoryStream(stdin ?? [], writable: false),
            () => stdoutBytes is null ? Stream.Null : new NonClosing(stdoutBytes, cancellation),
            fileSystem ?? PhysicalFileSystem.Instance,
            cancellation,
            TimeSpan.FromMilliseconds(20));

    /// <summary>The process's signals (the console's; null in tests, where <see cref="Cancellation"/> stands for Ctrl-C).</summary>
    public ToolSignals? Signals { get; init; }

    /// <summary>
    /// The console: <paramref name="signals"/> cancel the running command. Standard output is written
    /// through its file descriptor, not the console stream, which ignores a broken pipe: a write
    /// error of any kind (a closed pipe, a full disk, a closed descriptor) is an <see cref="OutputException"/>.
    /// </summary>
    public static ToolEnvironment Console(ToolSignals signals)
    {
        var stdout = new StandardOutput();
        var terminal = !System.Console.IsErrorRedirected;
        var writer = TextWriter.Synchronized(new StreamWriter(new NonClosing(stdout), new System.Text.UTF8Encoding(false), 1 << 12) { AutoFlush = true });
        return new ToolEnvironment(
            writer, System.Console.Error, terminal, OpenConsoleInput, () => new NonClosing(stdout, signals.Token),
            PhysicalFileSystem.Instance, signals.Token, terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10))
        {
            Signals = signals,
        };
    }

    // Started with standard input closed (`<&-`), the process's descriptor 0 is whatever the runtime
    // opened next: the read end of its own signal pipe, which never ends, so reading it would hang.
    // That pipe's write end is held by this process too; a real standard input pipe's is not.
    private static Stream OpenConsoleInput()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var zero = new FileInfo("/proc/self/fd/0").LinkTarget;
                if (zero is not null && zero.StartsWith("pipe:", StringComparison.Ordinal) && Directory.EnumerateFileSystemEntries("/proc/self/fd")
                    .Any(fd => Path.GetFileName(fd) != "0" && new FileInfo(fd).LinkTarget == zero && WriteOnly(Path.GetFileName(fd))))
                {
                    throw new InputException("-: standard input is closed");
                }
            }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException)
            {
                // /proc unavailable: read as usual.
            }
        }

        return System.Console.OpenStandardInput();

        // The access mode in the descriptor's flags (octal; O_WRONLY is 1).
        static bool WriteOnly(string fd) => File.ReadLines($"/proc/self/fdinfo/{fd}")
            .FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal)) is { } flags && flags.TrimEnd().EndsWith('1');
    }

    // File descriptor 1 as a stream, opened on first use; every failure to write it is one OutputException.
    private sealed class StandardOutput : Stream
    {
        private Stream? _stream;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => Guard(s => s.Flush());

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var stream = Opened();
            try
            {
                stream.Write(buffer);
            }
            catch (Exception x) when (PendingFile.IsWriteError(x) || x is ObjectDisposedException)
            {
                throw new OutputException($"cannot write standard output: {PendingFile.Reason(x)}", x);
            }
        }

        private void Guard(Action<Stream> action)
        {
            if (_stream is null)
            {
                return;
            }

            try
            {
                action(_stream);
            }
            catch (Exception x) when (PendingFile.IsWriteError(x) || x is ObjectDisposedException)
            {
                throw new OutputException($"cannot write standard output: {PendingFile.Reason(x)}", x);
            }
        }

        private Stream Opened()
        {
            if (_stream is not null)
            {
                return _stream;
            }

            try
            {
                if (OperatingSystem.IsWindows())
                {
                    return _stream = System.Console.OpenStandardOutput();
                }

                // A pipe or a device: written through write(2), and a closed pipe is an error (the console
                // stream would swallow EPIPE and keep generating). A regular file: a FileStream would write
                // at its own offset without moving the descriptor's, so that whatever writes the same
                // descriptor next (`{ peering generate; peering generate; } > all.jsonl`) would overwrite
                // this output; the console stream writes through the shared offset, and EPIPE cannot happen.
                var direct = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
                if (!direct.CanSeek)
                {
                    return _stream = direct;
                }

                direct.Dispose();
                return _stream = System.Console.OpenStandardOutput();
            }
            catch (Exception x) when (PendingFile.IsWriteError(x))
            {
                throw new OutputException($"cannot write standard output: {PendingFile.Reason(x)}", x);
            }
        }

    }

    // A captured standard output outlives the command that writes it and disposes its stream.
    // A stream of trace bytes also stops at a signal, so that `generate` or `replay --rewrite -` ends
    // as soon as it is asked to; the text writers (the summary) are not stopped.
    private sealed class NonClosing(Stream inner, CancellationToken stop = default) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            stop.ThrowIfCancellationRequested();
            inner.Write(buffer);
        }

        // Disposing flushes, so that a write error at the end is still reported.
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Flush();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// The live progress of a long command on standard error: one line rewritten in place on a terminal,
/// plain periodic lines otherwise. Reports go through <see cref="Print"/> so that they never land
/// inside a progress line.
/// </summary>
internal sealed class ProgressDisplay(Func<string> line, ToolEnvironment env)
{
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _done = new();
    private bool _lineShown;

    /// <summary>Starts the display; disposing stops it and clears the line.</summary>
    public IDisposable Start()
    {
        var thread = new Thread(Loop) { Name = "progress", IsBackground = true };
        thread.Start();
        return new Stop(() =>
        {
            _done.Set();
            thread.Join();
            lock (_gate)
            {
                Clear();
            }
        });
    }

    /// <summary>Writes a report line on standard output.</summary>
    public void Print(string text)
    {
        lock (_gate)
        {
            Clear();
            env.Out.WriteLine(text);
            env.Out.Flush();
        }
    }

    private void Loop()
    {
        while (!_done.Wait(env.ProgressEvery))
        {
            lock (_gate)
            {
                var text = line();
                if (env.ErrorIsTerminal)
                {
                    env.Error.Write($"\r\u001b[K{text}");
                    _lineShown = true;
                }
                else
                {
                    env.Error.WriteLine(text);
                }

                env.Error.Flush();
            }
        }
    }

    private void Clear()
    {
        if (_lineShown)
        {
            env.Error.Write("\r\u001b[K");
            env.Error.Flush();
            _lineShown = false;
        }
    }

    private sealed class Stop(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}
