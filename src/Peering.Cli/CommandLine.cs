using System.CommandLine;

namespace Peering.Cli;

/// <summary>The exit codes every command uses (README "Exit codes").</summary>
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

    /// <summary>Interrupted (Ctrl-C) before the end, with no failure found (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>A resource bound was reached before the work was done (<c>explore --max-states</c>).</summary>
    public const int StateBound = 5;
}

/// <summary>Parsing and dispatch shared by every command.</summary>
public static class CommandLine
{
    /// <summary>Parses <paramref name="args"/>; a usage error is one line on stderr and exit code 2.</summary>
    public static int Run(RootCommand root, string[] args, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"peering: {error.Message}");
            }

            stderr.WriteLine("Run 'peering --help' for usage.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke();
    }

    /// <summary>A usage error found after parsing (an invalid combination of values).</summary>
    public static int UsageError(string message)
    {
        Console.Error.WriteLine($"peering: {message}");
        return ExitCodes.Usage;
    }
}
