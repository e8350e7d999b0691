using System.CommandLine;
using System.Diagnostics;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// <c>TOOL explore</c>: bounded exhaustive exploration of the machine (docs/exploration.md). Every
    /// event sequence of the world's alphabet up to the depth, from every initial configuration,
    /// breadth-first; every declared invariant on every new snapshot; coverage against the declared machine.
    /// </summary>
    internal static class ExploreCommand
    {
        /// <summary>The default path of a counterexample trace.</summary>
        public const string DefaultTrace = "explore-counterexample.jsonl";

        public static Command Create(Host host, ToolEnvironment env)
        {
            var setup = host.Exploration!;
            var depth = new Option<int>("--depth") { HelpName = "N", Description = "Events explored after each initial configuration (0 to 64)", DefaultValueFactory = _ => 8 };
            var jobs = new Option<int>("--jobs") { HelpName = "N", Description = "Worker threads (the default is the number of cores)", DefaultValueFactory = _ => Math.Min(Environment.ProcessorCount, OptionRules.MaxJobs) }.InRange(1, OptionRules.MaxJobs);
            var json = new Option<string?>("--json") { Description = "Also write the report as JSON to FILE", HelpName = "FILE" };
            var maxStates = new Option<long>("--max-states")
            {
                HelpName = "N",
                Description = $"Stop with exit code {ExitCodes.StateBound} rather than keep more distinct snapshots than this (the memory bound)",
                DefaultValueFactory = _ => 20_000_000,
            };
            var trace = new Option<string>("--trace") { Description = "Where a counterexample trace is written", HelpName = "FILE", DefaultValueFactory = _ => DefaultTrace };
            var shard = new Option<string?>("--shard")
            {
                HelpName = "K/N",
                Description = "Explore shard K (0 to N-1) of N: a deterministic part of the bound; --merge the shards' --json reports",
            };
            var merge = new Option<string[]>("--merge")
            {
                HelpName = "REPORT",
                Description = "Merge the --json reports of every shard of one exploration into its report (no exploration is run)",
                AllowMultipleArgumentsPerToken = true,
            };
            var command = new Command("explore", "Explore every event sequence up to a depth in a small world, checking every invariant on every snapshot");
            foreach (var option in setup.Options)
            {
                command.Options.Add(option);
            }

            foreach (var option in new Option[] { depth, jobs, json, maxStates, trace, shard, merge })
            {
                command.Options.Add(option);
            }

            command.SetAction(r =>
            {
                if (r.GetValue(merge) is { Length: > 0 } reports)
                {
                    return r.GetValue(shard) is not null
                        ? host.UsageError(env, "--merge reads the shards' reports: it cannot be given with --shard")
                        : Merge(host, env, reports, r.GetValue(json));
                }

                ExplorationShard? part = null;
                if (r.GetValue(shard) is { } text && (part = ExplorationShard.Parse(text)) is null)
                {
                    return host.UsageError(env, $"--shard must be K/N with 0 <= K < N, not '{text}'");
                }

                var world = setup.Create(r);
                if (world.World is null)
                {
                    return host.UsageError(env, world.Description);
                }

                var problem = r.GetValue(depth) is < 0 or > 64 ? "--depth must be 0 to 64"
                    : r.GetValue(maxStates) < 1 ? "--max-states must be at least 1"
                    : null;
                if (problem is not null)
                {
                    return host.UsageError(env, problem);
                }

                var spec = new ExploreSpec(world.Description, world.Parameters, r.GetValue(depth), r.GetValue(jobs), r.GetValue(maxStates), r.GetValue(trace)!, world.Expected);
                return Run(host, env, world.World, spec, r.GetValue(json), part);
            });
            return command;
        }

        /// <summary><c>--merge</c>: the merged report of the shards' JSON reports; exit 3 naming the file and field of one that cannot be merged.</summary>
        public static int Merge(Host host, ToolEnvironment env, IReadOnlyList<string> reports, string? jsonPath)
        {
            // Before anything is read: the merged report must not replace one of the shards'.
            PendingFile.RefuseInput(env.FileSystem, "--json", jsonPath, reports);
            using var json = jsonPath is null ? null : PendingFile.Create(env.FileSystem, jsonPath, env.OpenStandardOutput);
            ExploreReport<TSnapshot, TEvent> report;
            try
            {
                report = ExploreMerge.Merge<TSnapshot, TEvent>(TContract.Definition, reports);
            }
            catch (ShardReportException e)
            {
                env.Error.WriteLine($"{host.Name}: {e.Message}");
                return ExitCodes.Malformed;
            }

            env.Out.WriteLine($"explore --merge: {ToolText.Count(reports.Count, "shard report")}");
            return Finish(env, report, json);
        }

        /// <summary>Runs an exploration (or one shard of it), prints the report, progress and errors; the exit code.</summary>
        public static int Run(Host host, ToolEnvironment env, IExplorationWorld<TSnapshot, TEvent> world, ExploreSpec spec, string? jsonPath, ExplorationShard? shard = null)
        {
            // The outputs are opened (as temporary files) before the run, so an unwritable one is said at once, not after it.
            PendingFile.RefuseInput(env.FileSystem, "--json", jsonPath, [spec.TracePath]);
            using var json = jsonPath is null ? null : PendingFile.Create(env.FileSystem, jsonPath, env.OpenStandardOutput);
            using var trace = PendingFile.Create(env.FileSystem, spec.TracePath, env.OpenStandardOutput);
            env.Out.WriteLine(
                $"explore: {spec.World}, depth {spec.Depth}, {ToolText.Count(spec.Jobs, "job")}, {ToolText.Count(world.InitialEvents.Count, "initial configuration")}{(shard is { } s ? $", shard {s}" : string.Empty)}");
            var options = new ExplorationOptions
            {
                MaxDepth = spec.Depth,
                MaxStates = spec.MaxStates,
                Jobs = spec.Jobs,
                Shard = shard,
                Cancellation = env.Cancellation,
                Progress = p => env.Error.WriteLine(
                    $"depth {p.Depth}: {p.NewStates:N0} new, {p.DistinctStates:N0} distinct, {p.Transitions:N0} transitions, {p.Elapsed.TotalSeconds:F1} s"),
            };
            var result = Exploration.Run(world, options);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var report = new ExploreReport<TSnapshot, TEvent>(spec, result, peak);

            // Only a counterexample replaces the trace file; otherwise an old one stays as it was.
            if (result.Violation is { } violation)
            {
                Exploration.WriteTrace(trace.Stream, violation.Steps);
                trace.Commit();
            }

            return Finish(env, report, json);
        }

        // Prints the report, writes the JSON; the exit code of its status.
        private static int Finish(ToolEnvironment env, ExploreReport<TSnapshot, TEvent> report, PendingFile? json)
        {
            report.WriteText(env.Out);
            if (json is not null)
            {
                report.WriteJson(json.Stream);
                json.Commit();
            }

            return report.Status switch
            {
                ExplorationStatus.Completed => ExitCodes.Ok,
                ExplorationStatus.Violation => ExitCodes.Failure,
                ExplorationStatus.Interrupted => ExitCodes.Interrupted,
                _ => ExitCodes.StateBound,
            };
        }
    }
}
