using System.CommandLine;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>The options every campaign command (<c>fuzz</c>, <c>replay-fuzz</c>) takes, and their validation into <see cref="FuzzSettings"/>.</summary>
    internal sealed class CampaignOptions
    {
        public CampaignOptions(Host host, string cyclesDescription)
        {
            Profile = new Option<string>("--profile") { Description = "Event mix", DefaultValueFactory = _ => host.FuzzProfile! };
            Profile.AcceptOnlyFromAmong([.. host.Events!.Profiles]);
            Cycles = new Option<long>("--cycles") { Description = cyclesDescription, DefaultValueFactory = _ => 64 }.InRange(1L, long.MaxValue);
            Range = new Option<long[]>("--event-range")
            {
                Description = "Each cycle's --events bound is drawn from [MIN, MAX] (default 32 1024)",
                HelpName = "MIN MAX",
                Arity = new ArgumentArity(2, 2),
                AllowMultipleArgumentsPerToken = true,
            };
            Events = new Option<long?>("--events") { Description = "Every cycle's --events bound (instead of --event-range)" }.InRange(0L, long.MaxValue);
            Seed = new Option<ulong>("--seed") { Description = "Campaign seed; each cycle's seed is derived from it", DefaultValueFactory = _ => 42 };
            Jobs = new Option<int>("--jobs") { Description = "Threads (default: the processor count); results do not depend on it", DefaultValueFactory = _ => Math.Min(Environment.ProcessorCount, OptionRules.MaxJobs) }.InRange(1, OptionRules.MaxJobs);
            Stop = new Option<bool>("--stop-on-first-failure") { Description = "Stop at the first failing cycle (the lowest failing index)" };
            Save = new Option<string?>("--save-failure-traces") { Description = "Write each failing cycle's trace and failures.json here", HelpName = "DIR" };
            Shard = new Option<string?>("--shard") { Description = "Run shard K of N: the cycles whose index mod N is K-1", HelpName = "K/N" };
            Json = new Option<string?>("--json") { Description = "Write the machine-readable summary here", HelpName = "FILE" };
            Merge = new Option<string[]>("--merge")
            {
                Description = "Merge the --json summaries of shards of one campaign instead of running one",
                HelpName = "FILE",
                AllowMultipleArgumentsPerToken = true,
            };
            (Require, Aliases) = RequireOptions(host);
        }

        public Option<string> Profile { get; }

        public Option<long> Cycles { get; }

        public Option<long[]> Range { get; }

        public Option<long?> Events { get; }

        public Option<ulong> Seed { get; }

        public Option<int> Jobs { get; }

        public Option<bool> Stop { get; }

        public Option<string?> Save { get; }

        public Option<string?> Shard { get; }

        public Option<string?> Json { get; }

        public Option<string[]> Merge { get; }

        public Option<string[]> Require { get; }

        public List<Option<bool>> Aliases { get; }

        /// <summary>Adds every option to <paramref name="command"/>, the command's <paramref name="own"/> before <c>--merge</c>.</summary>
        public void AddTo(Command command, params Option[] own)
        {
            foreach (var option in new Option[] { Profile, Cycles, Range, Events, Seed, Jobs, Stop, Save, Require, Shard, Json }.Concat(own).Append(Merge).Concat(Aliases))
            {
                command.Options.Add(option);
            }
        }

        /// <summary>The campaign the options describe; null after a usage error is reported (exit code 2).</summary>
        public FuzzSettings? Parse(Host host, ToolEnvironment env, ParseResult r)
        {
            var eventRange = r.GetValue(Range) is { Length: > 0 } given ? given : null;
            var fixedEvents = r.GetValue(Events);
            if (eventRange is not null && fixedEvents is not null)
            {
                host.UsageError(env, "--events and --event-range are exclusive");
                return null;
            }

            var (min, max) = fixedEvents is { } n ? (n, n) : eventRange is [var a, var b] ? (a, b) : (32L, 1024L);
            if (min < 0 || min > max)
            {
                host.UsageError(env, $"--event-range {min} {max}: need 0 <= MIN <= MAX");
                return null;
            }

            var part = Tools.Shard.All;
            if (r.GetValue(Shard) is { } text && !Tools.Shard.TryParse(text, out part))
            {
                host.UsageError(env, $"--shard {text}: expected K/N with 1 <= K <= N");
                return null;
            }

            if (RequiredChecks(host, r, Require, Aliases) is not { } required)
            {
                host.UsageError(env, $"--require-check: not a check of {TContract.Definition.Name} (its checks: {string.Join(", ", TContract.Definition.Checks)})");
                return null;
            }

            return new FuzzSettings
            {
                Profile = r.GetValue(Profile)!,
                Cycles = r.GetValue(Cycles),
                MinEvents = min,
                MaxEvents = max,
                Seed = r.GetValue(Seed),
                RequiredChecks = required,
                StopOnFirstFailure = r.GetValue(Stop),
                Shard = part,
            };
        }
    }
}
