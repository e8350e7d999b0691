using System.CommandLine;
using Peering.Generation;
using Peering.Statistics;
using Peering.Traces;

namespace Peering.Cli.Commands;

/// <summary><c>peering stats TRACE...</c>: event, effect and transition histograms of traces.</summary>
public static class StatsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Trace files (.jsonl, .jsonl.gz), directories of them, or - for standard input",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Write the histograms as JSON instead of a table" };
        var versus = new Option<string?>("--versus-generated")
        {
            Description = "Set the traces beside as many steps of this generator profile, with the per-bin z and a Bonferroni verdict (Markdown)",
            HelpName = "PROFILE",
        };
        versus.AcceptOnlyFromAmong("lean-core", "full");
        var command = new Command("stats", "Histograms of traces: event types, effect types and (from_state, to_state) transitions")
        {
            paths, json, versus,
        };
        command.SetAction(r => Run(r.GetValue(paths)!, r.GetValue(json), r.GetValue(versus), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Counts every trace of <paramref name="paths"/> and prints the histograms; the exit code.</summary>
    internal static int Run(string[] paths, bool json, string? versusProfile, TextWriter stdout, TextWriter stderr)
    {
        var stats = new TraceStatistics();
        try
        {
            foreach (var input in TraceInput.Expand(paths))
            {
                stats.Add(input);
            }
        }
        catch (FileNotFoundException e)
        {
            return CommandLine.UsageError(e.Message);
        }
        catch (MalformedTraceException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Malformed;
        }

        if (versusProfile is not null)
        {
            Profiles.TryParse(versusProfile, out var profile);
            var generated = GeneratedSample.Collect(profile, stats.Steps);
            stdout.Write(GeneratedSample.Report("traces", stats, $"generated {versusProfile}", generated));
        }
        else if (json)
        {
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stats.ToJson()));
        }
        else
        {
            stdout.Write(stats.ToTable());
        }

        return ExitCodes.Ok;
    }
}
