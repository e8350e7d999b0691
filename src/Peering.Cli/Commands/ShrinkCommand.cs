using System.CommandLine;

namespace Peering.Cli.Commands;

/// <summary><c>peering shrink</c> (placeholder until its issue lands).</summary>
public static class ShrinkCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("shrink", "Not implemented yet");
        command.SetAction(_ => CommandLine.UsageError("shrink is not implemented yet"));
        return command;
    }
}
