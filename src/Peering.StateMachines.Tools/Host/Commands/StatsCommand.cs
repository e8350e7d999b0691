using System.CommandLine;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary><c>TOOL stats TRACE...</c>: event, effect and transition histograms of traces.</summary>
    internal static class StatsCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var paths = new Argument<string[]>("paths")
            {
                Description = "Trace files (.jsonl, .jsonl.gz), directories of them, or - for standard input",
                Arity = ArgumentArity.OneOrMore,
            }.NoOptions();
            var json = new Option<string?>("--json") { Description = "Also write the histograms as JSON to FILE (- for standard output, instead of the table)", HelpName = "FILE" };
            var command = new Command("stats", "Histograms of traces: event types, effect types and (from_state, to_state) transitions")
            {
                paths, json,
            };
            Option<string?>? versus = null;
            if (host.Events is { } source)
            {
                versus = new Option<string?>("--versus-generated")
                {
                    Description = "Set the traces beside as many generated steps of this profile, with the per-bin z and a Bonferroni verdict (Markdown)",
                    HelpName = "PROFILE",
                };
                versus.AcceptOnlyFromAmong([.. source.Profiles]);
                command.Options.Add(versus);
            }

            command.SetAction(r => Run(host, env, r.GetValue(paths)!, r.GetValue(json), versus is null ? null : r.GetValue(versus)));
            return command;
        }

        private static int Run(Host host, ToolEnvironment env, string[] paths, string? jsonPath, string? versusProfile)
        {
            // Before anything is read: the JSON must not replace one of the traces.
            PendingFile.RefuseInput(env.FileSystem, "--json", jsonPath, paths);
            using var json = jsonPath is null ? null : PendingFile.Create(env.FileSystem, jsonPath, env.OpenStandardOutput);
            var stats = Statistics.Create();
            var complete = true;
            try
            {
                foreach (var input in TraceInput.Expand(paths, env.OpenStandardInput, env.Cancellation))
                {
                    if (!(complete = Statistics.Add(stats, input, env.Cancellation)))
                    {
                        break;
                    }
                }
            }
            catch (FileNotFoundException e)
            {
                return host.UsageError(env, e.Message);
            }
            catch (MalformedTraceException e)
            {
                env.Error.WriteLine(e.Message);
                return ExitCodes.Malformed;
            }

            // A signal: the histograms of the steps read so far, said to be partial (README "Exit codes").
            if (!complete)
            {
                env.Error.WriteLine($"stats interrupted: the histograms of the {ToolText.Count(stats.Steps, "step")} read before the signal");
            }

            if (versusProfile is not null && complete)
            {
                var generated = Statistics.Generated(host.Events!, versusProfile, stats.Steps, host.SampleEvents);
                env.Out.Write(GeneratedSample.Report("traces", stats, $"generated {versusProfile}", generated));
            }
            else if (jsonPath != "-")
            {
                env.Out.Write(stats.ToTable());
            }

            // Partial histograms are not written as if they were of every input.
            if (json is not null && complete)
            {
                json.Write(stats.ToJson());
                json.Write("\n"u8);
                json.Commit();
            }

            return complete ? ExitCodes.Ok : ExitCodes.Interrupted;
        }
    }
}
