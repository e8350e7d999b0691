using System.Diagnostics;
using System.Text;

namespace Peering.StateMachines.Tools;

/// <summary>The bounds on one run of an external program: wall time, and bytes on standard output.</summary>
public sealed record ExternalLimits(TimeSpan Timeout, long MaxOutputBytes)
{
    /// <summary>How much of the end of standard error is kept.</summary>
    public const int StderrKept = 64 * 1024;
}

/// <summary>How a run of an external program ended.</summary>
/// <param name="ExitCode">Its exit code (128 + the signal when a signal ended it); null when it could not start or would not die.</param>
/// <param name="Cancelled">The run was cancelled (Ctrl-C, SIGTERM): it was killed, and nothing else in the result counts.</param>
/// <param name="Stderr">The last <see cref="ExternalLimits.StderrKept"/> bytes of its standard error, as text.</param>
/// <param name="StartError">Why it could not be started; null when it ran.</param>
public sealed record ExternalResult(
    IReadOnlyList<string> Command,
    int? ExitCode,
    bool TimedOut,
    bool OutputLimitExceeded,
    bool Cancelled,
    long OutputBytes,
    string Stderr,
    long StderrBytes,
    string? StartError)
{
    /// <summary>It had exited when its time ran out: what held its output open was a process it left behind.</summary>
    public bool OutputHeldOpen { get; init; }

    /// <summary>The part of a failure record that says how the program ran.</summary>
    public ExternalRecord ToRecord() => new(Command, ExitCode, TimedOut, OutputLimitExceeded, OutputBytes, Stderr, StderrBytes);
}

/// <summary>
/// One run of an external program whose standard output is read as it is written (<see cref="Output"/>),
/// bounded so that no behaviour of the program can hang or exhaust this process: it is killed, with
/// every process it started that is still its descendant, when its time is up, when it writes more
/// than the output limit, or when the run is cancelled. Its output is read on a thread of its own, and
/// the reader waits on what that thread has read, so a kill releases the reader even when a
/// descendant keeps the pipe open after the program is gone. Standard error is collected on another
/// thread (its end kept); standard input is closed at once, or written by a callback on a third.
/// </summary>
public sealed class ExternalRun : IDisposable
{
    private const int NoReason = 0;
    private const int Timeout = 1;
    private const int Limit = 2;
    private const int Cancel = 3;
    private const int Exited = 4;

    private readonly IReadOnlyList<string> _command;
    private readonly ExternalLimits _limits;
    private readonly Process? _process;
    private readonly string? _startError;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly CancellationTokenRegistration _cancellation;
    private readonly Thread? _input;
    private readonly Thread? _stderr;
    private readonly byte[] _stderrTail = new byte[2 * ExternalLimits.StderrKept];
    private int _stderrLength;
    private long _stderrTotal;
    private int _reason;
    private bool _exitedAtKill;

    private ExternalRun(string program, IReadOnlyList<string> command, ExternalLimits limits, Action<Stream>? writeInput, Stream? copy, CancellationToken cancellation)
    {
        _command = command;
        _limits = limits;
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(info) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception x) when (x is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            _startError = x.Message;
            Output = new RunOutput(this, null, copy);
            return;
        }

        // Blocking pipe reads and writes run on threads of their own: on the thread pool they would
        // starve it (a few threads on a small machine), and an abandoned read could hold one forever.
        var stdout = new Pump(_process.StandardOutput.BaseStream);
        Output = new RunOutput(this, stdout, copy);
        _timer = new Timer(_ => Kill(Timeout), null, limits.Timeout, System.Threading.Timeout.InfiniteTimeSpan);
        _cancellation = cancellation.Register(() => Kill(Cancel));
        var stderr = _process.StandardError.BaseStream;
        _stderr = Background("external-stderr", () => CollectStderr(stderr));
        var stdin = _process.StandardInput.BaseStream;
        if (writeInput is null)
        {
            CloseQuietly(stdin);
        }
        else
        {
            _input = Background("external-stdin", () =>
            {
                try
                {
                    writeInput(stdin);
                }
                catch (Exception x) when (x is IOException or ObjectDisposedException)
                {
                    // The program stopped reading (it exited, closed its input or was killed): what it wrote says the rest.
                }
                finally
                {
                    CloseQuietly(stdin);
                }
            });
        }
    }

    /// <summary>The program's standard output; it ends when the program closes it or is killed.</summary>
    public Stream Output { get; }

    /// <summary>Whether the program has been killed (time, output limit or cancellation) so far.</summary>
    public bool Killed => Volatile.Read(ref _reason) is Timeout or Limit or Cancel;

    /// <summary>Why copying the output failed (the copy is then incomplete); null when it did not.</summary>
    public string? CopyError { get; private set; }

    /// <summary>
    /// Starts <paramref name="command"/> (<paramref name="program"/> is its resolved first word).
    /// A program that cannot start gives a run with an empty output and <see cref="ExternalResult.StartError"/>.
    /// </summary>
    /// <param name="writeInput">Writes the program's standard input (on another thread); null closes it at once.</param>
    /// <param name="copy">Receives a copy of everything read from the output.</param>
    public static ExternalRun Start(string program, IReadOnlyList<string> command, ExternalLimits limits, Action<Stream>? writeInput, Stream? copy, CancellationToken cancellation) =>
        new(program, command, limits, writeInput, copy, cancellation);

    /// <summary>Reads the rest of the output, waits for the program to exit (within its time), and says how it ended.</summary>
    public ExternalResult Finish()
    {
        var scratch = new byte[64 * 1024];
        while (Output.Read(scratch) > 0)
        {
        }

        int? exitCode = null;
        if (_process is not null)
        {
            var left = _limits.Timeout - _clock.Elapsed;
            if (!_process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                Kill(Timeout);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            if (_process.HasExited)
            {
                // From here on the time limit no longer applies: the program ended in time.
                Interlocked.CompareExchange(ref _reason, Exited, NoReason);
                exitCode = _process.ExitCode;
            }

            // Both end with the program (a descendant holding a pipe open is not waited for).
            _input?.Join(TimeSpan.FromSeconds(1));
            _stderr?.Join(TimeSpan.FromSeconds(1));
        }

        var reason = Volatile.Read(ref _reason);
        string stderr;
        long stderrTotal;
        lock (_stderrTail)
        {
            var kept = Math.Min(_stderrLength, ExternalLimits.StderrKept);
            stderr = (_stderrTotal > kept ? "…" : "") + Encoding.UTF8.GetString(_stderrTail, _stderrLength - kept, kept);
            stderrTotal = _stderrTotal;
        }

        return new ExternalResult(
            _command,
            _startError is null ? exitCode : null,
            reason == Timeout,
            reason == Limit,
            reason == Cancel,
            ((RunOutput)Output).Total,
            stderr,
            stderrTotal,
            _startError)
        {
            OutputHeldOpen = reason == Timeout && _exitedAtKill,
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill(Cancel);
        _timer?.Dispose();
        _cancellation.Dispose();
        _process?.Dispose();
    }

    private void Kill(int reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, NoReason) != NoReason)
        {
            return;
        }

        try
        {
            _exitedAtKill = _process?.HasExited ?? false;
            _process?.Kill(entireProcessTree: true);
        }
        catch (Exception x) when (x is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // It has exited already.
        }

        ((RunOutput)Output).Abandon();
    }

    private static Thread Background(string name, Action run)
    {
        var thread = new Thread(() => run()) { Name = name, IsBackground = true };
        thread.Start();
        return thread;
    }

    private void CollectStderr(Stream stderr)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = stderr.Read(buffer)) > 0)
            {
                lock (_stderrTail)
                {
                    // The buffer holds twice what is kept, so that making room is rare.
                    var take = Math.Min(n, ExternalLimits.StderrKept);
                    if (_stderrLength + take > _stderrTail.Length)
                    {
                        var keep = Math.Min(_stderrLength, ExternalLimits.StderrKept - take);
                        Array.Copy(_stderrTail, _stderrLength - keep, _stderrTail, 0, keep);
                        _stderrLength = keep;
                    }

                    Array.Copy(buffer, n - take, _stderrTail, _stderrLength, take);
                    _stderrLength += take;
                    _stderrTotal += n;
                }
            }
        }
        catch (Exception x) when (x is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process.
        }
    }

    private static void CloseQuietly(Stream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (Exception x) when (x is IOException or ObjectDisposedException)
        {
            // The program has exited: nothing to close.
        }
    }

    /// <summary>
    /// Reads a pipe on a thread of its own into a few reusable chunks, so that the reader waits on
    /// the chunks (and can be released by a kill) rather than inside a read that may never return.
    /// </summary>
    private sealed class Pump
    {
        private const int ChunkBytes = 64 * 1024;
        private const int MaxChunks = 4;

        private readonly Stream _source;
        private readonly object _gate = new();
        private readonly Queue<(byte[] Buffer, int Count)> _full = new();
        private readonly Stack<byte[]> _free = new();
        private int _allocated;
        private bool _ended;
        private bool _abandoned;

        public Pump(Stream source)
        {
            _source = source;
            Background("external-stdout", Run);
        }

        /// <summary>The next chunk written; false at the end of the output or once abandoned.</summary>
        public bool TryTake(out byte[] buffer, out int count)
        {
            lock (_gate)
            {
                while (_full.Count == 0 && !_ended && !_abandoned)
                {
                    Monitor.Wait(_gate);
                }

                if (_full.Count > 0 && !_abandoned)
                {
                    (buffer, count) = _full.Dequeue();
                    return true;
                }

                (buffer, count) = (null!, 0);
                return false;
            }
        }

        /// <summary>Gives a chunk back for reuse.</summary>
        public void Return(byte[] buffer)
        {
            lock (_gate)
            {
                _free.Push(buffer);
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Ends the output for the reader now, whatever the pipe does.</summary>
        public void Abandon()
        {
            lock (_gate)
            {
                _abandoned = true;
                Monitor.PulseAll(_gate);
            }
        }

        private void Run()
        {
            try
            {
                while (true)
                {
                    byte[] buffer;
                    lock (_gate)
                    {
                        while (_free.Count == 0 && _allocated == MaxChunks && !_abandoned)
                        {
                            Monitor.Wait(_gate);
                        }

                        if (_abandoned)
                        {
                            return;
                        }

                        if (!_free.TryPop(out buffer!))
                        {
                            buffer = new byte[ChunkBytes];
                            _allocated++;
                        }
                    }

                    var n = _source.Read(buffer, 0, buffer.Length);
                    lock (_gate)
                    {
                        if (n == 0)
                        {
                            _ended = true;
                            Monitor.PulseAll(_gate);
                            return;
                        }

                        _full.Enqueue((buffer, n));
                        Monitor.PulseAll(_gate);
                    }
                }
            }
            catch (Exception x) when (x is IOException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _ended = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>The output as the reader sees it: counted, bounded, copied, and ending at a kill.</summary>
    private sealed class RunOutput(ExternalRun run, Pump? pump, Stream? copy) : Stream
    {
        private Stream? _copy = copy;
        private byte[]? _chunk;
        private int _offset;
        private int _count;
        private bool _ended = pump is null;

        public long Total { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Abandon() => pump?.Abandon();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_ended || buffer.IsEmpty)
            {
                return 0;
            }

            if (_chunk is null)
            {
                if (!pump!.TryTake(out var chunk, out var n))
                {
                    _ended = true;
                    return 0;
                }

                var allowed = run._limits.MaxOutputBytes - Total;
                if (n > allowed)
                {
                    n = (int)Math.Max(0, allowed);
                    run.Kill(Limit);
                }

                Total += n;
                Copy(chunk.AsSpan(0, n));
                (_chunk, _offset, _count) = (chunk, 0, n);
            }

            var take = Math.Min(buffer.Length, _count - _offset);
            _chunk.AsSpan(_offset, take).CopyTo(buffer);
            _offset += take;
            if (_offset == _count)
            {
                pump!.Return(_chunk);
                _chunk = null;
                _ended = run.Killed;
            }

            if (take == 0)
            {
                _ended = true;
            }

            return take;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void Copy(ReadOnlySpan<byte> bytes)
        {
            if (_copy is null)
            {
                return;
            }

            try
            {
                _copy.Write(bytes);
            }
            catch (Exception x) when (x is OutputException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                run.CopyError = x.Message;
                _copy = null;
            }
        }
    }
}
