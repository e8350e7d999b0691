using System.CommandLine;
using Peering.Fuzzing;
using Peering.Generation;
using Peering.Machine;

namespace Peering.Cli.Commands;

/// <summary>
/// <c>peering fuzz</c>: a randomized campaign, every step checked (issue 4); <c>--merge</c> adds up shard summaries.
/// </summary>
public static class FuzzCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Event mix", DefaultValueFactory = _ => "lean-core" };
        profile.AcceptOnlyFromAmong("lean-core", "full");
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
        var image = new Option<bool>("--require-image-invariant") { Description = "Also fail a cycle when after_checks.image_invariant is false" };
        var shard = new Option<string?>("--shard") { Description = "Run shard K of N: the cycles whose index mod N is K-1", HelpName = "K/N" };
        var json = new Option<string?>("--json") { Description = "Write the machine-readable summary here", HelpName = "FILE" };
        var noRoundTrip = new Option<bool>("--no-roundtrip") { Description = "Skip the JSONL round trip (invariants are still checked on every step)" };
        var merge = new Option<string[]>("--merge")
        {
            Description = "Merge the --json summaries of shards of one campaign instead of running one",
            HelpName = "FILE",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("fuzz", "Run a randomized campaign: generate traces in process, check every invariant after every step, verify the JSONL round trip")
        {
            profile, cycles, range, events, seed, jobs, stop, save, image, shard, json, noRoundTrip, merge,
        };
        command.SetAction(r =>
        {
            var env = FuzzEnvironment.Console(out var cancel);
            using (cancel)
            {
                if (r.GetValue(merge) is { Length: > 0 } parts)
                {
                    return Merge(parts, r.GetValue(json), env);
                }

                var eventRange = r.GetValue(range) is { Length: > 0 } given ? given : null;
                var fixedEvents = r.GetValue(events);
                if (eventRange is not null && fixedEvents is not null)
                {
                    return CommandLine.UsageError("--events and --event-range are exclusive");
                }

                var (min, max) = fixedEvents is { } n ? (n, n) : eventRange is [var a, var b] ? (a, b) : (32L, 1024L);
                if (min < 0 || min > max)
                {
                    return CommandLine.UsageError($"--event-range {min} {max}: need 0 <= MIN <= MAX");
                }

                if (r.GetValue(cycles) < 1 || r.GetValue(jobs) < 1)
                {
                    return CommandLine.UsageError("--cycles and --jobs must be at least 1");
                }

                var part = Shard.All;
                if (r.GetValue(shard) is { } text && !Shard.TryParse(text, out part))
                {
                    return CommandLine.UsageError($"--shard {text}: expected K/N with 1 <= K <= N");
                }

                Profiles.TryParse(r.GetValue(profile), out var p);
                var settings = new FuzzSettings
                {
                    Profile = p,
                    Cycles = r.GetValue(cycles),
                    MinEvents = min,
                    MaxEvents = max,
                    Seed = r.GetValue(seed),
                    RoundTrip = !r.GetValue(noRoundTrip),
                    RequireImageInvariant = r.GetValue(image),
                    StopOnFirstFailure = r.GetValue(stop),
                    Shard = part,
                };
                return Run(settings, r.GetValue(jobs), r.GetValue(save), r.GetValue(json), env);
            }
        });
        return command;
    }

    /// <summary>Runs a campaign and reports it; the exit code.</summary>
    internal static int Run(FuzzSettings settings, int jobs, string? failureDirectory, string? jsonPath, FuzzEnvironment env)
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
                env.Error.WriteLine($"peering: {x.Message}");
                return ExitCodes.Output;
            }
        }

        var campaign = new Campaign(settings, env.Reducer, store, jobs);
        var display = new FuzzProgressDisplay(campaign.Progress, env);
        env.Out.WriteLine(CampaignText.Header(settings, campaign.Jobs));
        campaign.FailureFound += record => display.Print(CampaignText.Failure(record, failureDirectory));
        CampaignSummary summary;
        using (display.Start())
        {
            summary = campaign.Run(env.Cancellation);
        }

        return Report(summary, jsonPath, env);
    }

    private static int Merge(string[] paths, string? jsonPath, FuzzEnvironment env)
    {
        CampaignSummary merged;
        try
        {
            merged = CampaignSummary.Merge([.. paths.Select(path => CampaignSummary.FromJson(File.ReadAllBytes(path)))]);
        }
        catch (Exception x) when (x is FormatException or IOException or UnauthorizedAccessException)
        {
            return CommandLine.UsageError($"--merge: {x.Message}");
        }

        env.Out.WriteLine($"merged {paths.Length} summaries: shards {string.Join(",", merged.Shards)} of {merged.ShardCount}{(merged.Complete ? " (complete)" : " (incomplete)")}");
        foreach (var failure in merged.Failures)
        {
            env.Out.WriteLine(CampaignText.Failure(failure, null));
        }

        return Report(merged, jsonPath, env);
    }

    private static int Report(CampaignSummary summary, string? jsonPath, FuzzEnvironment env)
    {
        env.Out.WriteLine(CampaignText.Summary(summary));
        if (summary.OutputError is not null)
        {
            env.Error.WriteLine($"peering: {summary.OutputError}");
        }

        if (jsonPath is not null)
        {
            try
            {
                AtomicFile.Write(env.FileSystem, jsonPath, summary.ToJson());
            }
            catch (OutputException x)
            {
                env.Error.WriteLine($"peering: {x.Message}");
                return ExitCodes.Output;
            }
        }

        return summary.OutputError is not null ? ExitCodes.Output
            : summary.Failures.Count > 0 ? ExitCodes.Failure
            : summary.Interrupted ? ExitCodes.Interrupted
            : ExitCodes.Ok;
    }
}
