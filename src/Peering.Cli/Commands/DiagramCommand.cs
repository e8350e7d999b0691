using System.CommandLine;

namespace Peering.Cli.Commands;

/// <summary><c>peering diagram</c> (placeholder until its issue lands).</summary>
public static class DiagramCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("diagram", "Not implemented yet");
        command.SetAction(_ => CommandLine.UsageError("diagram is not implemented yet"));
        return command;
    }
}
