using System.CommandLine;

namespace Peering.Cli.Commands;

/// <summary><c>peering fuzz</c> (placeholder until its issue lands).</summary>
public static class FuzzCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("fuzz", "Not implemented yet");
        command.SetAction(_ => CommandLine.UsageError("fuzz is not implemented yet"));
        return command;
    }
}
