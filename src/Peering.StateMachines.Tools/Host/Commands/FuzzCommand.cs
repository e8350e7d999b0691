using System.CommandLine;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// <c>TOOL fuzz</c>: a randomized campaign, every step checked (docs/fuzzing.md); <c>--merge</c> adds up shard summaries.
    /// </summary>
    internal static class FuzzCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var source = host.Events!;
            var profile = new Option<string>("--profile") { Description = "Event mix", DefaultValueFactory = _ => host.FuzzProfile! };
            profile.AcceptOnlyFromAmong([.. source.Profiles]);
            var cycles = new Option<long>("--cycles") { Description = "Cycles in the campaign (each a generated trace)", DefaultValueFactory = _ => 64 };
            var range = new Option<long[]>("--event-range")
            {
                Description = "Each cycle's --events bound is drawn from [MIN, MAX] (default 32 1024)",
                HelpName = "MIN MAX",
                Arity = new ArgumentArity(2, 2),
                AllowMultipleArgumentsPerToken = true,
            };
            var events = new Option<long?>("--events") { Description = "Every cycle's --events bound (instead of --event-range)" };
            var seed = new Option<ulong>("--seed") { Description = "Campaign seed; each cycle's seed is derived from it", DefaultValueFactory = _ => 42 };
            var jobs = new Option<int>("--jobs") { Description = "Threads (default: the processor count); results do not depend on it", DefaultValueFactory = _ => Environment.ProcessorCount };
            var stop = new Option<bool>("--stop-on-first-failure") { Description = "Stop at the first failing cycle (the lowest failing index)" };
            var save = new Option<string?>("--save-failure-traces") { Description = "Write each failing cycle's trace and failures.json here", HelpName = "DIR" };
            var shard = new Option<string?>("--shard") { Description = "Run shard K of N: the cycles whose index mod N is K-1", HelpName = "K/N" };
            var json = new Option<string?>("--json") { Description = "Write the machine-readable summary here", HelpName = "FILE" };
            var noRoundTrip = new Option<bool>("--no-roundtrip") { Description = "Skip the JSONL round trip (invariants are still checked on every step)" };
            var merge = new Option<string[]>("--merge")
            {
                Description = "Merge the --json summaries of shards of one campaign instead of running one",
                HelpName = "FILE",
                AllowMultipleArgumentsPerToken = true,
            };
            var (require, aliases) = RequireOptions(host);
            var command = new Command("fuzz", "Run a randomized campaign: generate traces in process, check every invariant after every step, verify the JSONL round trip")
            {
                profile, cycles, range, events, seed, jobs, stop, save, require, shard, json, noRoundTrip, merge,
            };
            foreach (var alias in aliases)
            {
                command.Options.Add(alias);
            }

            command.SetAction(r =>
            {
                if (r.GetValue(merge) is { Length: > 0 } parts)
                {
                    return Merge(host, env, parts, r.GetValue(json));
                }

                var eventRange = r.GetValue(range) is { Length: > 0 } given ? given : null;
                var fixedEvents = r.GetValue(events);
                if (eventRange is not null && fixedEvents is not null)
                {
                    return host.UsageError(env, "--events and --event-range are exclusive");
                }

                var (min, max) = fixedEvents is { } n ? (n, n) : eventRange is [var a, var b] ? (a, b) : (32L, 1024L);
                if (min < 0 || min > max)
                {
                    return host.UsageError(env, $"--event-range {min} {max}: need 0 <= MIN <= MAX");
                }

                if (r.GetValue(cycles) < 1 || r.GetValue(jobs) < 1)
                {
                    return host.UsageError(env, "--cycles and --jobs must be at least 1");
                }

                var part = Shard.All;
                if (r.GetValue(shard) is { } text && !Shard.TryParse(text, out part))
                {
                    return host.UsageError(env, $"--shard {text}: expected K/N with 1 <= K <= N");
                }

                if (RequiredChecks(host, r, require, aliases) is not { } required)
                {
                    return host.UsageError(env, $"--require-check: not a check of {TContract.Definition.Name} (its checks: {string.Join(", ", TContract.Definition.Checks)})");
                }

                var settings = new FuzzSettings
                {
                    Profile = r.GetValue(profile)!,
                    Cycles = r.GetValue(cycles),
                    MinEvents = min,
                    MaxEvents = max,
                    Seed = r.GetValue(seed),
                    RoundTrip = !r.GetValue(noRoundTrip),
                    RequiredChecks = required,
                    StopOnFirstFailure = r.GetValue(stop),
                    Shard = part,
                };
                return Run(host, env, source, settings, r.GetValue(jobs), r.GetValue(save), r.GetValue(json));
            });
            return command;
        }

        /// <summary>Runs a campaign and reports it; the exit code.</summary>
        public static int Run(Host host, ToolEnvironment env, IEventSource<TSnapshot, TEvent> source, FuzzSettings settings, int jobs, string? failureDirectory, string? jsonPath)
        {
            FailureStore? store = null;
            if (failureDirectory is not null)
            {
                try
                {
                    store = FailureStore.Open(failureDirectory, env.FileSystem);
                }
                catch (OutputException x)
                {
                    env.Error.WriteLine($"{host.Name}: {x.Message}");
                    return ExitCodes.Output;
                }
            }

            var campaign = new Campaign(settings, source, host.Name, store, jobs);
            var display = new ProgressDisplay(() => CampaignText.Progress(campaign.Progress), env);
            env.Out.WriteLine(CampaignText.Header(settings, campaign.Jobs));
            campaign.FailureFound += record => display.Print(CampaignText.Failure(record, failureDirectory));
            CampaignSummary summary;
            using (display.Start())
            {
                summary = campaign.Run(env.Cancellation);
            }

            return Report(host, env, summary, jsonPath);
        }

        private static int Merge(Host host, ToolEnvironment env, string[] paths, string? jsonPath)
        {
            CampaignSummary merged;
            try
            {
                merged = CampaignSummary.Merge([.. paths.Select(path => CampaignSummary.FromJson(File.ReadAllBytes(path), host.Name))]);
            }
            catch (Exception x) when (x is FormatException or IOException or UnauthorizedAccessException)
            {
                return host.UsageError(env, $"--merge: {x.Message}");
            }

            env.Out.WriteLine($"merged {paths.Length} summaries: shards {string.Join(",", merged.Shards)} of {merged.ShardCount}{(merged.Complete ? " (complete)" : " (incomplete)")}");
            foreach (var failure in merged.Failures)
            {
                env.Out.WriteLine(CampaignText.Failure(failure, null));
            }

            return Report(host, env, merged, jsonPath);
        }

        private static int Report(Host host, ToolEnvironment env, CampaignSummary summary, string? jsonPath)
        {
            env.Out.WriteLine(CampaignText.Summary(summary));
            if (summary.OutputError is not null)
            {
                env.Error.WriteLine($"{host.Name}: {summary.OutputError}");
            }

            if (jsonPath is not null)
            {
                try
                {
                    AtomicFile.Write(env.FileSystem, jsonPath, summary.ToJson());
                }
                catch (OutputException x)
                {
                    env.Error.WriteLine($"{host.Name}: {x.Message}");
                    return ExitCodes.Output;
                }
            }

            return summary.OutputError is not null ? ExitCodes.Output
                : summary.Failures.Count > 0 ? ExitCodes.Failure
                : summary.Interrupted ? ExitCodes.Interrupted
                : ExitCodes.Ok;
        }
    }

    /// <summary><c>--require-check NAME</c> (repeatable) and the host's aliases of it.</summary>
    internal static (Option<string[]> Require, List<Option<bool>> Aliases) RequireOptions(Host host)
    {
        var require = new Option<string[]>("--require-check")
        {
            Description = $"Also fail when this check is false in after_checks (one of: {string.Join(", ", TContract.Definition.Checks)}); repeatable",
            HelpName = "NAME",
        };
        require.AcceptOnlyFromAmong([.. TContract.Definition.Checks]);
        var aliases = host.CheckAliases.Select(a => new Option<bool>(a.Option) { Description = $"Also fail when after_checks.{a.Check} is false (--require-check {a.Check})" }).ToList();
        return (require, aliases);
    }

    /// <summary>The required checks of a parse, in declaration order without repeats; null if one is unknown.</summary>
    internal static IReadOnlyList<string>? RequiredChecks(Host host, ParseResult r, Option<string[]> require, List<Option<bool>> aliases)
    {
        var names = new HashSet<string>(r.GetValue(require) ?? [], StringComparer.Ordinal);
        for (var i = 0; i < aliases.Count; i++)
        {
            if (r.GetValue(aliases[i]))
            {
                names.Add(host.CheckAliases[i].Check);
            }
        }

        return names.All(TContract.Definition.Checks.Contains) ? [.. TContract.Definition.Checks.Where(names.Contains)] : null;
    }
}
