using System.CommandLine;

namespace Peering.Cli.Commands;

/// <summary><c>peering explore</c> (placeholder until its issue lands).</summary>
public static class ExploreCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("explore", "Not implemented yet");
        command.SetAction(_ => CommandLine.UsageError("explore is not implemented yet"));
        return command;
    }
}
