using System.Diagnostics;
using System.Text.Json;
using Peering.Cli.Tests.Robustness;
using Peering.Generation;
using Peering.Machine;
using Peering.TestSupport;
using Xunit.Abstractions;

namespace Peering.Cli.Tests.Tools;

/// <summary>
/// <c>replay-fuzz</c> and <c>shrink --events-driver</c> against the real reference programs in
/// <c>../shared/reference</c> (skipped, with the reason, where they are absent or cannot run): the
/// reference project's own CI campaign, both directions, and a planted divergence confirmed.
/// </summary>
public sealed class ReferenceProgramTests(ITestOutputHelper output) : IDisposable
{
    private readonly StandIns _standIns = new();

    public void Dispose() => _standIns.Dispose();

    private static string CrossValidate => ReferencePrograms.CrossValidate;

    private static string EventsDriver => ReferencePrograms.EventsDriver;

    // The commands of the README's section for users of the reference project: the script's, then this tool's.
    private static (List<string> Script, List<string> Ours) ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(DiagramCommandTests.RepoRoot, "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("## For users of the reference project", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no section for users of the reference project");
        var text = readme[section..readme.IndexOf("\n## ", section + 1, StringComparison.Ordinal)].Replace("\\\n", " ");
        var lines = text.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        return ([.. lines.Where(l => l.StartsWith("python3 scripts/replay_fuzz.py ", StringComparison.Ordinal))],
            [.. lines.Where(l => l.StartsWith("peering replay-fuzz ", StringComparison.Ordinal))]);
    }

    [ReferenceFact]
    public void The_readmes_replacement_for_the_reference_CI_runs_clean_against_cross_validate()
    {
        // The reference's .github/workflows/ci.yml: 256 lean-core cycles requiring the image invariant,
        // then 24 full cycles; events 32..1024, 4 jobs. The switch is the program name.
        var (script, ours) = ReadmeCommands();
        Assert.Equal(2, ours.Count);
        Assert.Equal(script.Select(c => c["python3 scripts/replay_fuzz.py ".Length..]), ours.Select(c => c["peering replay-fuzz ".Length..]));

        // Run from a directory laid out like the reference repository, where the script's default program is.
        var repository = Directory.CreateDirectory(Path.Combine(_standIns.Directory, "reference-repository")).FullName;
        Directory.CreateDirectory(Path.Combine(repository, "build", "cpp"));
        File.CreateSymbolicLink(Path.Combine(repository, "build", "cpp", "cross_validate"), CrossValidate);
        var clock = Stopwatch.StartNew();
        foreach (var command in ours)
        {
            var args = command.Split(' ')[2..];
            var run = PeeringProcess.Run(["replay-fuzz", .. args], timeout: TimeSpan.FromMinutes(10), workingDirectory: repository);
            output.WriteLine(run.Stdout);
            Assert.Equal(0, run.ExitCode);
            var cycles = long.Parse(args[Array.IndexOf(args, "--cycles") + 1]);
            var (ran, steps, failures, _) = FuzzCommandTests.Summary(run.Stdout);
            Assert.Equal((cycles, 0), (ran, failures));

            // GENERATOR.md §3: a trace of bound E has between min(50, E) + 1 and E + 1 steps.
            Assert.InRange(steps, cycles * 51, cycles * 1025);
            Assert.True(Directory.Exists(Path.Combine(repository, args[Array.IndexOf(args, "--save-failure-traces") + 1])));
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s");
    }

    [ReferenceFact]
    public void A_wrapper_that_corrupts_one_field_of_the_reference_trace_is_found_at_that_step()
    {
        var wrapper = _standIns.Script("corrupt-reference.sh",
            $$"""{{StandIns.Sh(CrossValidate)}} "$@" | sed '/"step":5,/s/"last_peering_reset":[0-9]*},"after_checks"/"last_peering_reset":999},"after_checks"/'""");
        var dir = _standIns.NewDirectory("corrupt");
        var run = PeeringProcess.Run(["replay-fuzz", "--against", wrapper, "--cycles", "1", "--save-failure-traces", dir]);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(StandIns.Records(dir));
        var seed = record.GetProperty("seed").GetString()!;
        var events = record.GetProperty("events").GetInt64().ToString();

        // The value the reference itself wrote there is what this reducer computes.
        var reference = StandIns.Output(CrossValidate, "--profile", "lean-core", "--seed", seed, "--events", events);
        var line = System.Text.Encoding.UTF8.GetString(reference).Split('\n')[5];
        var original = JsonDocument.Parse(line).RootElement.GetProperty("after").GetProperty("last_peering_reset").GetInt64();
        Assert.Equal((5L, "divergence"), (record.GetProperty("step").GetInt64(), record.GetProperty("kind").GetString()));
        var difference = Assert.Single(record.GetProperty("differences").EnumerateArray());
        Assert.Equal(("$.after.last_peering_reset", "999", original.ToString()),
            (difference.GetProperty("path").GetString(), difference.GetProperty("expected").GetString(), difference.GetProperty("actual").GetString()));
    }

    [ReferenceFact]
    public void The_reference_reproduces_every_step_of_this_projects_generated_traces()
    {
        foreach (var (profile, cycles) in new[] { ("lean-core", "24"), ("full", "16") })
        {
            string[] campaign = ["--profile", profile, "--cycles", cycles, "--event-range", "32", "400", "--seed", "11"];
            var run = PeeringProcess.Run(["replay-fuzz", "--events-driver", EventsDriver, .. campaign]);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains($"sent to {EventsDriver} --events-file - --seed {{seed}} --check-roundtrip", run.Stdout);

            // The same cycles as the in-process campaign, and the reference ends each in the same state.
            var fuzz = PeeringProcess.Run(["fuzz", .. campaign, "--no-roundtrip"]);
            Assert.Equal(FuzzCommandTests.Summary(fuzz.Stdout), FuzzCommandTests.Summary(run.Stdout));
        }
    }

    // The peering tools over a reducer with a planted fault: a replica accepts a ReplicaRecoveryComplete above its authority.
    private static MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.Host FaultyHost() =>
        PeeringTool.Create(FaultyContract<Overshoot>.Types);

    private static ExternalSettings FaultyDriver(ToolEnvironment env) =>
        MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ReplayFuzzCommand.EventsDriver(FaultyHost(), env, EventsDriver)!;

    [ReferenceFact]
    public void The_events_direction_confirms_a_planted_divergence_against_the_reference()
    {
        var dir = _standIns.NewDirectory("planted");
        var stdout = new StringWriter();
        var env = ToolEnvironment.Capture(stdout, new StringWriter());
        var cycles = new MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ExternalCycles(
            new FuzzSettings { Profile = "lean-core", Cycles = 40, MaxEvents = 400, Seed = 3 }, FaultyDriver(env), PeeringEvents.Instance, "peering");
        var exit = MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ReplayFuzzCommand.Run(FaultyHost(), env, cycles, 2, dir, null);
        Assert.Equal(ExitCodes.Failure, exit);
        var records = StandIns.Records(dir);
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            Assert.Equal(("divergence", "ReplicaRecoveryComplete", "after snapshot differs"),
                (record.GetProperty("kind").GetString(), record.GetProperty("event").GetString(), record.GetProperty("what").GetString()));

            // REDUCER.md §7.10: the reference ignores a ReplicaRecoveryComplete above the authority, so its
            // committed seq stays where it was; the faulty reducer takes the event's.
            var trace = Path.Combine(dir, record.GetProperty("trace").GetString()!);
            var line = JsonDocument.Parse(File.ReadLines(trace).ElementAt((int)record.GetProperty("step").GetInt64())).RootElement;
            var seq = record.GetProperty("differences").EnumerateArray().Single(d => d.GetProperty("path").GetString() == "$.after.local_info.committed_seq");
            Assert.Equal(line.GetProperty("before").GetProperty("local_info").GetProperty("committed_seq").GetInt64().ToString(), seq.GetProperty("expected").GetString());
            Assert.Equal(line.GetProperty("event").GetProperty("new_committed_seq").GetInt64().ToString(), seq.GetProperty("actual").GetString());

            // The trace is the reference's: the real reducer agrees with every step of it.
            Assert.Equal(0, PeeringProcess.Run(["replay", trace]).ExitCode);
        }
    }

    [ReferenceFact]
    public void Shrink_with_a_slow_events_driver_ends_within_max_seconds()
    {
        // Each run of this driver takes 2 s and disagrees at step 2; the search runs out of budget.
        const int MaxSeconds = 6;
        var wrapper = _standIns.Script("slow-corrupt.sh",
            $$"""sleep 2; {{StandIns.Sh(EventsDriver)}} "$@" | sed '/"step":2,/s/"last_peering_reset":[0-9]*},"after_checks"/"last_peering_reset":999},"after_checks"/'""");
        var trace = Path.Combine(_standIns.Directory, "input.jsonl");
        File.WriteAllLines(trace, TraceFiles.Generate(7, 200));
        var shrunk = Path.Combine(_standIns.Directory, "shrunk.jsonl");

        var startUp = Stopwatch.StartNew();
        Assert.Equal(0, PeeringProcess.Run(["--version"]).ExitCode);
        startUp.Stop();
        var clock = Stopwatch.StartNew();
        var run = PeeringProcess.Run(["shrink", trace, "-o", shrunk, "--events-driver", wrapper, "--max-seconds", $"{MaxSeconds}"]);
        clock.Stop();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s (start-up {startUp.Elapsed.TotalSeconds:F1} s): {run.Stdout}{run.Stderr}");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("budget exhausted", run.Stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(MaxSeconds + 1.5) + startUp.Elapsed, $"shrink took {clock.Elapsed} for --max-seconds {MaxSeconds}");

        // The shrunk trace is the driver's own for the kept events: it disagrees with this reducer at step 2.
        var steps = PeeringTools.TraceReader.ReadSteps(TraceInput.File(shrunk)).ToList();
        Assert.Equal(2, steps[^1].Step.Step);
        Assert.Equal(999, JsonDocument.Parse(File.ReadLines(shrunk).ElementAt(2)).RootElement.GetProperty("after").GetProperty("last_peering_reset").GetInt64());
    }

    [ReferenceFact]
    public void The_events_of_a_failing_trace_refute_or_confirm_it_against_the_reference()
    {
        // A trace written by the faulty reducer: the real reducer disagrees with it.
        var fs = PhysicalFileSystem.Instance;
        var found = _standIns.NewDirectory("faulty-fuzz");
        var summary = Faulty<Overshoot>.Campaign(new FuzzSettings { Profile = "lean-core", Cycles = 40, MaxEvents = 400, Seed = 3, StopOnFirstFailure = true }, FailureStore.Open(found, fs), 1).Run();
        var failure = Assert.Single(summary.Failures);
        var trace = Path.Combine(found, failure.Trace!);
        Assert.Equal(ExitCodes.Failure, PeeringProcess.Run(["replay", trace]).ExitCode);

        // Refuted: the reference agrees with the real reducer on its events, so the trace's producer is wrong.
        var real = PeeringProcess.Run(["replay-fuzz", "--events-driver", EventsDriver, "--events-of", trace]);
        Assert.Equal(0, real.ExitCode);
        Assert.StartsWith("replay-fuzz: the events of 1 trace, sent to ", real.Stdout);

        // Confirmed: the faulty reducer disagrees with the reference at the step where it failed.
        var events = PeeringTools.TraceReader.ReadSteps(TraceInput.File(trace)).Select(s => s.Step.Event).ToList();
        var dir = _standIns.NewDirectory("confirm");
        var env = ToolEnvironment.Capture(new StringWriter(), new StringWriter());
        var cycles = new MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ExternalCycles(
            new FuzzSettings(), FaultyDriver(env), [new(trace, failure.Seed, events)], "peering");
        Assert.Equal(ExitCodes.Failure, MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ReplayFuzzCommand.Run(FaultyHost(), env, cycles, 1, dir, null));
        var record = Assert.Single(StandIns.Records(dir));
        Assert.Equal(("divergence", failure.Step), (record.GetProperty("kind").GetString(), record.GetProperty("step").GetInt64()));
    }

    [ReferenceFact]
    public void Shrink_minimises_a_disagreement_with_the_reference_to_its_few_events()
    {
        var found = _standIns.NewDirectory("faulty-fuzz");
        var summary = Faulty<Overshoot>.Campaign(new FuzzSettings { Profile = "lean-core", Cycles = 40, MaxEvents = 400, Seed = 3, StopOnFirstFailure = true }, FailureStore.Open(found, PhysicalFileSystem.Instance), 1).Run();
        var trace = Path.Combine(found, Assert.Single(summary.Failures).Trace!);
        var shrunk = Path.Combine(_standIns.Directory, "shrunk.jsonl");
        var stdout = new StringWriter();
        var env = ToolEnvironment.Capture(stdout, new StringWriter());
        var exit = MachineTools<FaultyContract<Overshoot>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ShrinkCommand.Run(
            FaultyHost(), env, trace, shrunk, new ShrinkOptions { EventsDriver = FaultyDriver(env) });
        output.WriteLine(stdout.ToString());
        Assert.Equal(0, exit);

        // FaultyContract.cs: the shortest disagreement is an Initialize as a replica, a ReplicaActivate and the
        // overshooting ReplicaRecoveryComplete; a generated primary Initialize needs one more event to become a replica.
        var steps = PeeringTools.TraceReader.ReadSteps(TraceInput.File(shrunk)).Select(s => s.Step).ToList();
        Assert.InRange(steps.Count, 3, 4);
        Assert.IsType<ReplicaRecoveryComplete>(steps[^1].Event);

        // The shrunk trace is the reference's own for the kept events: the real reducer agrees with it.
        Assert.Equal(0, PeeringProcess.Run(["replay", shrunk]).ExitCode);
        Assert.Contains("after snapshot differs", stdout.ToString());
    }

    [ReferenceFact]
    public void Shrink_with_an_events_driver_that_mishandles_one_event_type_keeps_that_one_event()
    {
        // An events driver that gets every PeerInfoReceived step wrong: the disagreement needs no other event.
        var driver = _standIns.Script("drift.sh",
            $$"""{{StandIns.Sh(EventsDriver)}} "$@" | sed '/"type":"PeerInfoReceived"/s/"last_peering_reset":[0-9]*},"after_checks"/"last_peering_reset":999},"after_checks"/'""");
        var generated = Path.Combine(_standIns.Directory, "generated.jsonl");
        File.WriteAllText(generated, PeeringProcess.Run(["generate", "--profile", "lean-core", "--seed", "3", "--events", "300"]).Stdout);
        var shrunk = Path.Combine(_standIns.Directory, "one.jsonl");
        var run = PeeringProcess.Run(["shrink", generated, "-o", shrunk, "--events-driver", driver]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(" steps to 1 (", run.Stdout);
        var step = Assert.Single(PeeringTools.TraceReader.ReadSteps(TraceInput.File(shrunk))).Step;
        Assert.IsType<PeerInfoReceived>(step.Event);
        Assert.Equal(999u, step.After.LastPeeringReset);
    }
}
