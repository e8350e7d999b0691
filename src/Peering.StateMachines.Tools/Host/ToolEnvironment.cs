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
            () => stdoutBytes is null ? Stream.Null : new NonClosing(stdoutBytes),
            fileSystem ?? PhysicalFileSystem.Instance,
            cancellation,
            TimeSpan.FromMilliseconds(20));

    /// <summary>The console: Ctrl-C cancels the running command once (a second Ctrl-C ends the process).</summary>
    public static ToolEnvironment Console(out IDisposable registration)
    {
        var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            e.Cancel = !cts.IsCancellationRequested;
            cts.Cancel();
        };
        System.Console.CancelKeyPress += handler;
        registration = new Registration(() =>
        {
            System.Console.CancelKeyPress -= handler;
            cts.Dispose();
        });
        var terminal = !System.Console.IsErrorRedirected;
        return new ToolEnvironment(
            System.Console.Out, System.Console.Error, terminal, System.Console.OpenStandardInput, System.Console.OpenStandardOutput,
            PhysicalFileSystem.Instance, cts.Token, terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10));
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    // A captured standard output outlives the command that writes it and disposes its stream.
    private sealed class NonClosing(Stream inner) : Stream
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

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
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
