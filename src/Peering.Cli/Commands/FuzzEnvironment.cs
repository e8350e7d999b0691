using Peering.Fuzzing;
using Peering.Machine;

namespace Peering.Cli.Commands;

/// <summary>What <c>peering fuzz</c> talks to; tests substitute each part (writers, file system, reducer, Ctrl-C).</summary>
internal sealed record FuzzEnvironment(
    TextWriter Out,
    TextWriter Error,
    bool ErrorIsTerminal,
    IFileSystem FileSystem,
    IReducer Reducer,
    CancellationToken Cancellation,
    TimeSpan ProgressEvery)
{
    /// <summary>The console: Ctrl-C cancels the campaign once (a second Ctrl-C ends the process).</summary>
    public static FuzzEnvironment Console(out IDisposable registration)
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
        return new FuzzEnvironment(
            System.Console.Out, System.Console.Error, terminal, PhysicalFileSystem.Instance, PeeringReducer.Instance, cts.Token,
            terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10));
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>
/// The live progress of <c>peering fuzz</c> on standard error: one line rewritten in place on a
/// terminal (cycles, steps, steps/s, failures, time left), plain periodic lines otherwise. Failure
/// reports go through <see cref="Print"/> so that they never land inside a progress line.
/// </summary>
internal sealed class FuzzProgressDisplay(CampaignProgress progress, FuzzEnvironment env)
{
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _done = new();
    private bool _lineShown;

    /// <summary>Starts the display; disposing stops it and clears the line.</summary>
    public IDisposable Start()
    {
        var thread = new Thread(Loop) { Name = "fuzz-progress", IsBackground = true };
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
                var line = CampaignText.Progress(progress);
                if (env.ErrorIsTerminal)
                {
                    env.Error.Write($"\r\u001b[K{line}");
                    _lineShown = true;
                }
                else
                {
                    env.Error.WriteLine(line);
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
