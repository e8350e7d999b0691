using System.CommandLine;
using Peering.Generation;

namespace Peering.Cli.Commands;

/// <summary><c>peering generate</c>: one random trace on standard output (GENERATOR.md).</summary>
public static class GenerateCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var profile = new Option<string>("--profile")
        {
            Description = "Event mix",
            DefaultValueFactory = _ => "full",
        };
        profile.AcceptOnlyFromAmong("lean-core", "full");
        var seed = new Option<ulong>("--seed")
        {
            Description = "Random seed (a full 64-bit value; echoed in the summary line)",
            DefaultValueFactory = _ => 42,
        };
        var events = new Option<long>("--events")
        {
            Description = "Upper bound on the events after Initialize: below 50 exactly that many, else uniform in [50, N]",
            DefaultValueFactory = _ => 30,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format",
            DefaultValueFactory = _ => "jsonl",
        };
        format.AcceptOnlyFromAmong("jsonl", "legacy");
        var command = new Command("generate", "Generate one random trace to standard output")
        {
            profile,
            seed,
            events,
            format,
        };
        command.SetAction(result =>
        {
            Profiles.TryParse(result.GetValue(profile), out var p);
            var f = result.GetValue(format) == "legacy" ? TraceFormat.Legacy : TraceFormat.Jsonl;
            var s = result.GetValue(seed);
            var n = result.GetValue(events);
            Console.Error.WriteLine($"Cross-validation driver: seed={s} events={n} format={result.GetValue(format)} profile={p.Name()}");
            using var stdout = Console.OpenStandardOutput();
            var steps = TraceGeneration.Write(stdout, p, s, n, f);
            Console.Error.WriteLine($"Done. Total events: {steps}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
