using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Peering.StateMachines.Tools;

/// <summary>Wrong arguments found while a command runs (exit code 2, with the usage hint).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>An input that cannot be read: unreadable, vanished, not a file (exit code 2, one line).</summary>
public sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The one place an exception becomes what the user sees: one line on standard error and an exit
/// code (README "Exit codes"). No exception type or stack trace reaches the user.
/// </summary>
internal static class ToolErrors
{
    /// <summary>Exit code of an unexpected exception (a bug in the tool): EX_SOFTWARE of sysexits.h.</summary>
    public const int Internal = 70;

    /// <summary>Reports <paramref name="x"/> on <paramref name="stderr"/>; the exit code.</summary>
    public static int Report(string tool, Exception x, TextWriter stderr, ToolSignals? signals)
    {
        var (code, line, hint) = x switch
        {
            UsageException => (ExitCodes.Usage, $"{tool}: {x.Message}", true),
            InputException => (ExitCodes.Usage, $"{tool}: {x.Message}", false),
            MalformedTraceException => (ExitCodes.Malformed, x.Message, false),
            OutputException => (ExitCodes.Output, $"{tool}: {x.Message}", false),
            OperationCanceledException => (signals?.ExitCode ?? ExitCodes.Interrupted, $"{tool}: interrupted", false),
            OutOfMemoryException or InsufficientExecutionStackException => (ExitCodes.StateBound, $"{tool}: out of memory: {x.Message}", false),
            IOException or UnauthorizedAccessException => (ExitCodes.Output, $"{tool}: {x.Message}", false),
            _ => (Internal, $"{tool}: internal error: {x.Message}", false),
        };
        Say(stderr, MalformedTraceException.Printable(line, int.MaxValue));
        if (hint)
        {
            Say(stderr, $"Run '{tool} --help' for usage.");
        }

        return code;
    }

    /// <summary>Writes a line to standard error, which may itself be unwritable (then nothing more can be said).</summary>
    public static void Say(TextWriter stderr, string line)
    {
        try
        {
            stderr.WriteLine(line);
            stderr.Flush();
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>
/// SIGINT, SIGTERM and SIGHUP: the first one cancels the running command, which stops as Ctrl-C
/// stops it (summary so far, failures on disk, partial outputs removed), and the exit code is
/// 128 + the signal (130, 143, 129); a second one ends the process at once, and so does the end of
/// <see cref="Grace"/> for a command that cannot stop sooner. A signal within <see cref="Repeat"/> of
/// the first is the same request delivered twice, not a second one: `timeout` signals both the
/// command and its process group, and a terminal's Ctrl-C reaches every process of the group. A signal
/// the process was started ignoring stays ignored (the runtime installs no handler for it): under
/// <c>nohup</c> a hang-up does not stop a campaign.
/// </summary>
public sealed class ToolSignals : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal;
    private long _firstAt;
    private Timer? _grace;

    /// <summary>How long a command has to stop cleanly after the first signal.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    /// <summary>How soon after the first a signal is taken for the same one delivered again.</summary>
    public static readonly TimeSpan Repeat = TimeSpan.FromMilliseconds(500);

    private ToolSignals()
    {
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The exit code of a command stopped by the signal received (130 when none was, as for a test's cancellation).</summary>
    public int ExitCode => _signal switch
    {
        0 => ExitCodes.Interrupted,
        var n => 128 + n,
    };

    /// <summary>Registers the handlers (on platforms without POSIX signals, Ctrl-C only).</summary>
    public static ToolSignals Register()
    {
        var signals = new ToolSignals();
        foreach (var (signal, number) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1) })
        {
            try
            {
                signals._registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // The first signal is the command's to handle; a second one takes the default action.
                    if (Interlocked.CompareExchange(ref signals._firstAt, Stopwatch.GetTimestamp(), 0) == 0)
                    {
                        context.Cancel = true;
                        signals._signal = number;
                        signals._grace = new Timer(_ => Environment.Exit(signals.ExitCode), null, Grace, Timeout.InfiniteTimeSpan);
                        signals._cts.Cancel();
                    }
                    else if (Stopwatch.GetElapsedTime(Volatile.Read(ref signals._firstAt)) < Repeat)
                    {
                        context.Cancel = true;
                    }
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }

        IgnoreFileSizeSignal();
        return signals;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _grace?.Dispose();

        _cts.Dispose();
    }

    // With SIGXFSZ ignored, a write beyond `ulimit -f` fails with EFBIG (exit 4, one line) instead of killing the process.
    private static void IgnoreFileSizeSignal()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            try
            {
                _ = Signal(SigXfsz, 1);
            }
            catch (Exception x) when (x is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }
    }

    private const int SigXfsz = 25; // Linux, macOS and FreeBSD alike

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);
}
