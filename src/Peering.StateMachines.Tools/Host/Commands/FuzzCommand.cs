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
            var options = new CampaignOptions(host, "Cycles in the campaign (each a generated trace)");
            var noRoundTrip = new Option<bool>("--no-roundtrip") { Description = "Skip the JSONL round trip (invariants are still checked on every step)" };
            var command = new Command("fuzz", "Run a randomized campaign: generate traces in process, check every invariant after every step, verify the JSONL round trip");
            options.AddTo(command, noRoundTrip);
            command.SetAction(r =>
            {
                if (r.GetValue(options.Merge) is { Length: > 0 } parts)
                {
                    return Merge(host, env, parts, r.GetValue(options.Json), CampaignSummary.FormatOf(host.Name));
                }

                if (options.Parse(host, env, r) is not { } settings)
                {
                    return ExitCodes.Usage;
                }

                return Run(host, env, source, settings with { RoundTrip = !r.GetValue(noRoundTrip) }, r.GetValue(options.Jobs), r.GetValue(options.Save), r.GetValue(options.Json));
            });
            return command;
        }

        /// <summary>Runs a campaign and reports it; the exit code.</summary>
        public static int Run(Host host, ToolEnvironment env, IEventSource<TSnapshot, TEvent> source, FuzzSettings settings, int jobs, string? failureDirectory, string? jsonPath)
        {
            if (!TryOpenStore(host, env, failureDirectory, out var store))
            {
                return ExitCodes.Output;
            }

            var campaign = new Campaign(settings, source, host.Name, store, jobs);
            return Run(host, env, campaign, CampaignText.Header(settings, campaign.Jobs), "fuzz", failureDirectory, jsonPath, env.Cancellation);
        }

        /// <summary>Opens the failure directory, if any, before any cycle runs; false after reporting why it cannot be written.</summary>
        public static bool TryOpenStore(Host host, ToolEnvironment env, string? failureDirectory, out FailureStore? store)
        {
            store = null;
            if (failureDirectory is null)
            {
                return true;
            }

            try
            {
                store = FailureStore.Open(failureDirectory, env.FileSystem);
                return true;
            }
            catch (OutputException x)
            {
                env.Error.WriteLine($"{host.Name}: {x.Message}");
                return false;
            }
        }

        /// <summary>Runs <paramref name="campaign"/> under the progress display, printing the header, each failure and the summary; the exit code.</summary>
        public static int Run(Host host, ToolEnvironment env, Campaign campaign, string header, string command, string? failureDirectory, string? jsonPath, CancellationToken cancellation)
        {
            // Opened (as a temporary file) before the campaign, so an unwritable --json is said at once, not after it.
            using var json = jsonPath is null ? null : PendingFile.Create(env.FileSystem, jsonPath, env.OpenStandardOutput);
            var display = new ProgressDisplay(() => CampaignText.Progress(campaign.Progress, command), env);
            env.Out.WriteLine(header);
            campaign.FailureFound += record => display.Print(CampaignText.Failure(record, failureDirectory));
            CampaignSummary summary;
            using (display.Start())
            {
                summary = campaign.Run(cancellation);
            }

            return Report(host, env, summary, json);
        }

        /// <summary>Merges the summaries at <paramref name="paths"/> (of the format <paramref name="format"/>) and reports them; the exit code.</summary>
        public static int Merge(Host host, ToolEnvironment env, string[] paths, string? jsonPath, string format)
        {
            // Before anything is read: the merged summary must not replace one of the shards'.
            PendingFile.RefuseInput(env.FileSystem, "--json", jsonPath, paths);
            using var json = jsonPath is null ? null : PendingFile.Create(env.FileSystem, jsonPath, env.OpenStandardOutput);
            var parts = new List<CampaignSummary>();
            foreach (var path in paths)
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(path);
                }
                catch (Exception x) when (x is IOException or UnauthorizedAccessException)
                {
                    throw new InputException($"{path}: cannot be read: {x.Message}", x);
                }

                try
                {
                    parts.Add(CampaignSummary.Read(bytes, format));
                }
                catch (FormatException x)
                {
                    env.Error.WriteLine(MalformedTraceException.Printable($"{path}: {x.Message}", 400));
                    return ExitCodes.Malformed;
                }
            }

            CampaignSummary merged;
            try
            {
                merged = CampaignSummary.Merge(parts);
            }
            catch (FormatException x)
            {
                env.Error.WriteLine($"{host.Name}: --merge: {x.Message}");
                return ExitCodes.Malformed;
            }

            // A shard that is missing (a runner that died) must not pass for the whole campaign.
            if (!merged.Complete)
            {
                var missing = Enumerable.Range(1, merged.ShardCount).Except(merged.Shards).Select(k => $"{k}/{merged.ShardCount}");
                env.Error.WriteLine($"{host.Name}: --merge: no summary of shard {string.Join(", ", missing)}");
                return ExitCodes.Malformed;
            }

            env.Out.WriteLine($"merged {ToolText.Count(paths.Length, "summary", "summaries")}: shards {string.Join(",", merged.Shards)} of {merged.ShardCount}{(merged.Complete ? " (complete)" : " (incomplete)")}");
            foreach (var failure in merged.Failures)
            {
                env.Out.WriteLine(CampaignText.Failure(failure, null));
            }

            return Report(host, env, merged, json);
        }

        /// <summary>Prints the summary line, writes the JSON summary; the exit code of the campaign.</summary>
        public static int Report(Host host, ToolEnvironment env, CampaignSummary summary, PendingFile? json)
        {
            env.Out.WriteLine(CampaignText.Summary(summary));
            if (summary.OutputError is not null)
            {
                env.Error.WriteLine($"{host.Name}: {summary.OutputError}");
            }

            if (json is not null)
            {
                try
                {
                    json.Write(summary.ToJson());
                    json.Commit();
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
