namespace Peering.StateMachines.Tools;

/// <summary>The exit codes every command of a tool uses (README "Commands").</summary>
public static class ExitCodes
{
    /// <summary>Success: everything agreed, no failure found.</summary>
    public const int Ok = 0;

    /// <summary>A divergence, an invariant violation or a failing fuzz cycle was found.</summary>
    public const int Failure = 1;

    /// <summary>Wrong arguments.</summary>
    public const int Usage = 2;

    /// <summary>Malformed input (a trace that is not well-formed).</summary>
    public const int Malformed = 3;

    /// <summary>Output could not be written (for example the failure directory).</summary>
    public const int Output = 4;

    /// <summary>A resource bound was reached before the work was done (<c>explore --max-states</c>).</summary>
    public const int StateBound = 5;

    /// <summary>Interrupted (Ctrl-C) before the end, with no failure found (128 + SIGINT; SIGHUP gives 129).</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM before the end, with no failure found (128 + SIGTERM; every command).</summary>
    public const int Terminated = 143;
}
