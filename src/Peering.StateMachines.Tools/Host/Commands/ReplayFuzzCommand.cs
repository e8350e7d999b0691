using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Peering.StateMachines.Tools;

/// <summary>
/// What a tool knows about the external implementations <c>replay-fuzz</c> checks it against: the
/// argument forms a bare program path gets, the program it runs by default, and other names for
/// its options (those of a script it replaces).
/// </summary>
public sealed record ExternalImplementation
{
    /// <summary>Appended to an <c>--against</c> command without placeholders: the argument form of the toolkit's own <c>generate</c>.</summary>
    public string TraceArguments { get; init; } = "--profile {profile} --seed {seed} --events {events}";

    /// <summary>Appended to an <c>--events-driver</c> command without placeholders; null: the command runs as written.</summary>
    public string? EventsArguments { get; init; }

    /// <summary>The program <c>--against</c> runs when neither it nor <c>--events-driver</c> is given; null: one of them is required.</summary>
    public string? DefaultProgram { get; init; }

    /// <summary>Other names of <c>replay-fuzz</c>'s options: alias to option name (for example <c>--event</c> to <c>--events</c>).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();
}

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// <c>TOOL replay-fuzz</c>: a differential campaign (docs/differential.md). Each cycle runs an
    /// external program that writes a trace (for the cycle's profile, seed and events bound, or for
    /// events sent to it) and replay-checks what it writes, as it writes it, against this machine.
    /// </summary>
    internal static class ReplayFuzzCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var setup = host.External ?? new ExternalImplementation();
            var options = new CampaignOptions(host, "Cycles in the campaign (each a run of the external program)");

            // A job is a pipeline, the program writing while this process replays: two per core keep both busy.
            options.Jobs.DefaultValueFactory = _ => Math.Min(2 * Environment.ProcessorCount, OptionRules.MaxJobs);
            options.Jobs.Description = "Cycles run at once (default: twice the processor count); results do not depend on it";
            var against = new Option<string?>("--against")
            {
                Description = "The program that writes each cycle's trace, as a command line with {profile}, {seed} and {events}"
                    + $" (without placeholders, '{setup.TraceArguments}' is appended)" + (setup.DefaultProgram is null ? "" : $"; default {setup.DefaultProgram}"),
                HelpName = "CMD",
            };
            var driver = new Option<string?>("--events-driver")
            {
                Description = "Instead: a program that reads events on standard input and writes their trace; it is sent this tool's generated events"
                    + (setup.EventsArguments is null ? "" : $" (without placeholders, '{setup.EventsArguments}' is appended)"),
                HelpName = "CMD",
            };
            var eventsOf = new Option<string[]>("--events-of")
            {
                Description = "With --events-driver: send the events of these traces (one cycle each) instead of generated ones",
                HelpName = "TRACE",
                AllowMultipleArgumentsPerToken = true,
            };
            var timeout = new Option<double>("--timeout")
            {
                Description = "Seconds a cycle's program may run before it is killed and the cycle fails",
                DefaultValueFactory = _ => DefaultLimits.Timeout.TotalSeconds,
            }.Seconds();
            var maxOutput = new Option<long>("--max-output-mb")
            {
                Description = "MiB a cycle's program may write before it is killed and the cycle fails",
                DefaultValueFactory = _ => DefaultLimits.MaxOutputBytes >> 20,
            }.InRange(1L, long.MaxValue >> 20);
            var command = new Command("replay-fuzz", "Run a differential campaign: an external program writes each cycle's trace, and every step is replay-checked against this machine");
            options.AddTo(command, against, driver, eventsOf, timeout, maxOutput);
            foreach (var (alias, name) in setup.Aliases)
            {
                var option = command.Options.FirstOrDefault(o => o.Name == name) ?? throw new ArgumentException($"{alias}: replay-fuzz has no option {name}");
                option.Aliases.Add(alias);
            }

            command.SetAction(r =>
            {
                if (r.GetValue(options.Merge) is { Length: > 0 } parts)
                {
                    return FuzzCommand.Merge(host, env, parts, r.GetValue(options.Json), ExternalCycles.FormatOf(host.Name));
                }

                if (options.Parse(host, env, r) is not { } settings)
                {
                    return ExitCodes.Usage;
                }

                var (traceCommand, eventsCommand, sequencePaths) = (r.GetValue(against), r.GetValue(driver), r.GetValue(eventsOf) ?? []);
                if (traceCommand is not null && eventsCommand is not null)
                {
                    return host.UsageError(env, "--against and --events-driver are exclusive");
                }

                if (sequencePaths.Length > 0 && eventsCommand is null)
                {
                    return host.UsageError(env, "--events-of needs --events-driver");
                }

                var sendsEvents = eventsCommand is not null;
                if ((eventsCommand ?? traceCommand ?? setup.DefaultProgram) is not { } text)
                {
                    return host.UsageError(env, "give the external program: --against CMD (it writes traces) or --events-driver CMD (it is sent events)");
                }

                var seconds = r.GetValue(timeout);
                var mebibytes = r.GetValue(maxOutput);
                if (!(seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2) || mebibytes < 1 || mebibytes > long.MaxValue >> 20)
                {
                    return host.UsageError(env, "--timeout and --max-output-mb must be positive");
                }

                var limits = new ExternalLimits(TimeSpan.FromSeconds(seconds), mebibytes << 20);
                var byDefault = traceCommand is null && !sendsEvents ? " (the default program; give --against CMD)" : "";
                if (Program(host, env, text, sendsEvents, limits, byDefault) is not { } external)
                {
                    return ExitCodes.Usage;
                }

                ExternalCycles cycles;
                if (sequencePaths.Length > 0)
                {
                    if (ReadSequences(host, env, sequencePaths, out var sequences) is { } failed)
                    {
                        return failed;
                    }

                    cycles = new ExternalCycles(settings, external, sequences, host.Name);
                }
                else
                {
                    cycles = new ExternalCycles(settings, external, host.Events!, host.Name);
                }

                return Run(host, env, cycles, r.GetValue(options.Jobs), r.GetValue(options.Save), r.GetValue(options.Json));
            });
            return command;
        }

        /// <summary>The events-driven program of <paramref name="text"/> with the default limits; null after a usage error is reported.</summary>
        public static ExternalSettings? EventsDriver(Host host, ToolEnvironment env, string text) => Program(host, env, text, sendsEvents: true, DefaultLimits, "");

        // The program of the command line text, checked before anything runs; null after a usage error is reported.
        private static ExternalSettings? Program(Host host, ToolEnvironment env, string text, bool sendsEvents, ExternalLimits limits, string note)
        {
            var option = sendsEvents ? "--events-driver" : "--against";
            var setup = host.External ?? new ExternalImplementation();
            CommandTemplate template;
            try
            {
                template = CommandTemplate.Parse(text, sendsEvents ? setup.EventsArguments : setup.TraceArguments);
            }
            catch (FormatException x)
            {
                host.UsageError(env, $"{option} {text}: {x.Message}");
                return null;
            }

            if (template.ResolveProgram(out var problem) is not { } program)
            {
                host.UsageError(env, $"{option}: {problem}{note}");
                return null;
            }

            return new ExternalSettings(template, program, sendsEvents, limits);
        }

        /// <summary>A minute and a GiB: far beyond what a correct program needs for a trace of --events 32768 (about 90 MB in a fraction of a second).</summary>
        public static ExternalLimits DefaultLimits { get; } = new(TimeSpan.FromSeconds(60), 1L << 30);

        /// <summary>Runs the campaign of <paramref name="cycles"/> and reports it; the exit code (the host makes an interruption 128 + the signal).</summary>
        public static int Run(Host host, ToolEnvironment env, ExternalCycles cycles, int jobs, string? failureDirectory, string? jsonPath)
        {
            if (!FuzzCommand.TryOpenStore(host, env, failureDirectory, out var store))
            {
                return ExitCodes.Output;
            }

            // A signal stops the campaign as Ctrl-C does (the programs are killed, the summary printed); the host gives its exit code.
            var campaign = new Campaign(cycles.Settings, cycles, store, jobs);
            return FuzzCommand.Run(host, env, campaign, Header(cycles, campaign.Jobs), "replay-fuzz", failureDirectory, jsonPath, env.Cancellation);
        }

        private static string Header(ExternalCycles cycles, int jobs)
        {
            var s = cycles.Settings;
            var p = cycles.Parameters;
            var what = cycles.Sequences is not null
                ? $"the events of {s.Cycles} {(s.Cycles == 1 ? "trace" : "traces")}"
                : $"{s.Profile}, seed {s.Seed}, {ToolText.Count(s.Cycles, "cycle")}{(s.Shard.N > 1 ? $" (shard {s.Shard}: {s.ShardCycles:N0} of them)" : "")}, "
                    + (s.MinEvents == s.MaxEvents ? $"events {s.MinEvents}" : $"events {s.MinEvents}..{s.MaxEvents}");
            var how = p.Input == "events" ? $"sent to {p.Against}" : $"against {p.Against}";
            var checks = string.Concat(s.RequiredChecks.Select(c => $", {c} required"));
            var limits = string.Create(CultureInfo.InvariantCulture, $"timeout {cycles.External.Limits.Timeout.TotalSeconds:0.###} s");
            return $"replay-fuzz: {what}, {how}{checks}, {limits}, {jobs} {(jobs == 1 ? "job" : "jobs")}";
        }

        // The traces' events, one sequence per trace (a file may hold several); exit code 2 or 3 on a bad input.
        private static int? ReadSequences(Host host, ToolEnvironment env, string[] paths, out List<EventSequence> sequences)
        {
            sequences = [];
            IReadOnlyList<TraceInput> inputs;
            try
            {
                inputs = TraceInput.Expand(paths, env.OpenStandardInput, env.Cancellation);
            }
            catch (FileNotFoundException e)
            {
                return host.UsageError(env, $"--events-of: {e.Message}");
            }

            try
            {
                foreach (var input in inputs)
                {
                    var inFile = new List<(List<TEvent> Events, ulong Seed)>();
                    using var lines = new TraceLines(input);
                    var sequence = default(TraceSequence);
                    while (lines.TryNext(out var line, out var at))
                    {
                        switch (TraceReader.Parse(line, at))
                        {
                            case TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect> step:
                                if (sequence.Step(step.Step, at))
                                {
                                    inFile.Add(([], 0));
                                }

                                inFile[^1].Events.Add(step.Event);
                                break;
                            case TraceSummary summary:
                                sequence.Summary(summary.Events, at);
                                inFile[^1] = inFile[^1] with { Seed = summary.Seed };
                                break;
                        }
                    }

                    sequence.Finish(input.Name, lines.LinesRead);
                    sequences.AddRange(inFile.Select((s, i) => new EventSequence(inFile.Count == 1 ? input.Name : $"{input.Name}#{i + 1}", s.Seed, s.Events)));
                }
            }
            catch (MalformedTraceException e)
            {
                env.Error.WriteLine(e.Message);
                return ExitCodes.Malformed;
            }

            return null;
        }
    }
}
