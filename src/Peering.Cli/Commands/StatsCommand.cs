using System.CommandLine;

namespace Peering.Cli.Commands;

/// <summary><c>peering stats</c> (placeholder until its issue lands).</summary>
public static class StatsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("stats", "Not implemented yet");
        command.SetAction(_ => CommandLine.UsageError("stats is not implemented yet"));
        return command;
    }
}
