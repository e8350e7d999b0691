using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peering.TestSupport;

namespace Peering.StateMachines.Tools.Tests;

/// <summary>
/// The proof that the toolchain is generic: the door (tests/Peering.TestMachines), a machine that is
/// not peering, turned into a tool by the command-line host in three lines, runs every command end to
/// end. The planted bug (Door.cs: the third kick on a locked door breaks it open with the bolt still
/// thrown, violating <c>bolt_only_when_closed</c>; shortest sequence Lock, Kick, Kick, Kick) is what
/// fuzz, shrink and explore must find.
/// </summary>
public sealed class DoorToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("door-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DoorTools.Host Tool() => ToolHost.Create(Door.Types, "door")
        .WithEvents(DoorExploration.Events)
        .WithExploration(DoorExploration.World, "the door's events worth trying");

    private sealed record Result(int Exit, string Out, string Err, byte[] Stdout)
    {
        public string[] Lines => Encoding.UTF8.GetString(Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var bytes = new MemoryStream();
        var exit = Tool().Run(args, ToolEnvironment.Capture(stdout, stderr, stdoutBytes: bytes));
        return new Result(exit, stdout.ToString(), stderr.ToString(), bytes.ToArray());
    }

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    // The door's own trace of a fixed event sequence, as the tools write it.
    private string Trace(string name, params DoorEvent[] events)
    {
        using var output = new MemoryStream();
        DoorTools.TraceWriter.Write(output, events);
        return Write(name, Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Help_lists_every_command_the_host_gives_the_door()
    {
        var help = Run("--help");
        Assert.Equal(0, help.Exit);
        foreach (var command in new[] { "fuzz", "generate", "replay-fuzz", "replay", "stats", "shrink", "diagram", "explore" })
        {
            Assert.Contains(command, help.Out);
        }
    }

    [Fact]
    public void Generate_writes_a_trace_that_replays_and_rewrites_byte_for_byte()
    {
        var generated = Run("generate", "--seed", "9", "--events", "25");
        Assert.Equal(0, generated.Exit);

        // EventSource.Create: exactly --events events, then the summary line with the seed.
        Assert.Equal(26, generated.Lines.Length);
        Assert.Equal("""{"kind":"summary","seed":9,"events":25}""", generated.Lines[^1]);
        var path = Write("door.jsonl", generated.Lines);

        var replay = Run("replay", path);
        Assert.Equal(0, replay.Exit);
        Assert.StartsWith("replay ok: 1 file, 25 steps", replay.Out);

        var rewritten = Path.Combine(_dir, "rewritten.jsonl");
        Assert.Equal(0, Run("replay", "--rewrite", rewritten, path).Exit);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(rewritten));
    }

    [Fact]
    public void A_trace_with_an_injected_divergence_exits_1_with_the_field_that_differs()
    {
        // Lock with key brass, then the wrong key: the door stays Locked and the key is not forgotten.
        var lines = File.ReadAllLines(Trace("locked.jsonl", new LockDoor("brass", null), new Unlock("iron")));
        var line = JsonNode.Parse(lines[1])!;
        line["after"]!["key"] = "iron";
        lines[1] = line.ToJsonString();
        var tampered = Write("tampered.jsonl", lines);

        var replay = Run("replay", tampered);
        Assert.Equal(ExitCodes.Failure, replay.Exit);
        Assert.Contains($"divergence at {tampered}:2: step 1 (Unlock): after snapshot differs", replay.Out);
        Assert.Contains("  $.after.key: expected \"iron\", actual \"brass\"", replay.Out);
        Assert.Contains("replay failed: 1 file, 2 steps", replay.Out);
    }

    [Fact]
    public void Fuzz_finds_the_planted_bug_and_shrink_reduces_it_to_the_four_events_that_cause_it()
    {
        var failures = Path.Combine(_dir, "failures");
        var fuzz = Run("fuzz", "--cycles", "40", "--events", "60", "--stop-on-first-failure", "--save-failure-traces", failures, "--jobs", "1");
        Assert.Equal(ExitCodes.Failure, fuzz.Exit);
        Assert.True(fuzz.Out.Contains("invariant bolt_only_when_closed violated", StringComparison.Ordinal), fuzz.Out);
        Assert.Contains("reproduce: door generate --profile default --seed ", fuzz.Out);

        using var records = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(failures, "failures.json")));
        var record = Assert.Single(records.RootElement.EnumerateArray().ToList());
        Assert.Equal("invariant", record.GetProperty("kind").GetString());
        Assert.Equal("Kick", record.GetProperty("event").GetString());
        var found = Path.Combine(failures, record.GetProperty("trace").GetString()!);

        var shrunk = Path.Combine(_dir, "shrunk.jsonl");
        var shrink = Run("shrink", found, "-o", shrunk);
        Assert.Equal(0, shrink.Exit);
        Assert.Contains("shrunk ", shrink.Out);
        Assert.Contains(" steps to 4 (", shrink.Out);

        // Lock, then three kicks: nothing shorter breaks the invariant, and ddmin leaves no event it can drop.
        var events = DoorTools.TraceReader.ReadSteps(TraceInput.File(shrunk)).Select(s => s.Step.Event).ToList();
        Assert.Equal(4, events.Count);
        Assert.IsType<LockDoor>(events[0]);
        Assert.All(events.Skip(1), e => Assert.IsType<Kick>(e));
        Assert.Equal([DoorExploration.PlantedInvariant], Door.EvaluateInvariants(DoorTools.TraceReader.ReadSteps(TraceInput.File(shrunk)).Last().Step.After).Violations());
    }

    [PosixFact]
    public void Replay_fuzz_checks_the_door_against_an_external_program_and_finds_the_step_it_gets_wrong()
    {
        // The "external implementation": a script that prints the trace of the seed it is asked for
        // (its fourth argument, in the default form --profile P --seed S --events E), from files written here.
        var settings = new FuzzSettings { Cycles = 3, MinEvents = 10, MaxEvents = 30 };
        var clean = Directory.CreateDirectory(Path.Combine(_dir, "clean")).FullName;
        var tampered = Directory.CreateDirectory(Path.Combine(_dir, "tampered")).FullName;
        long steps = 0;
        string? changed = null;
        for (var i = 0; i < settings.Cycles; i++)
        {
            var spec = settings.Cycle(i);
            using var output = new MemoryStream();
            steps += DoorTools.TraceWriter.Generate(output, DoorExploration.Events, "default", spec.Seed, spec.EventsBound);
            var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            File.WriteAllLines(Path.Combine(clean, $"{spec.Seed}.jsonl"), lines);
            if (i == 1)
            {
                // One number of step 2's after snapshot, off by one.
                var line = JsonNode.Parse(lines[2])!;
                var after = line["after"]!.AsObject();
                changed = after.First(p => p.Value is JsonValue v && v.TryGetValue<long>(out _)).Key;
                after[changed] = after[changed]!.GetValue<long>() + 1;
                lines[2] = line.ToJsonString();
            }

            File.WriteAllLines(Path.Combine(tampered, $"{spec.Seed}.jsonl"), lines);
        }

        // EventSource.Create: exactly --events events a trace.
        Assert.Equal(Enumerable.Range(0, 3).Sum(i => settings.Cycle(i).EventsBound), steps);
        string Program(string traces)
        {
            var path = Path.Combine(_dir, Path.GetFileName(traces) + ".sh");
            File.WriteAllText(path, $"#!/bin/sh\nexec cat '{traces}'/\"$4\".jsonl\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            return path;
        }

        var agree = Run("replay-fuzz", "--against", Program(clean), "--cycles", "3", "--event-range", "10", "30", "--jobs", "2");
        Assert.Equal(0, agree.Exit);
        Assert.Contains($"3 cycles, {steps} steps, 0 failures", agree.Out);

        var failures = Path.Combine(_dir, "replay-fuzz-failures");
        var differ = Run("replay-fuzz", "--against", Program(tampered), "--cycles", "3", "--event-range", "10", "30", "--save-failure-traces", failures);
        Assert.Equal(ExitCodes.Failure, differ.Exit);
        using var records = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(failures, "failures.json")));
        var record = Assert.Single(records.RootElement.EnumerateArray().ToList());
        Assert.Equal((1, 2, "divergence"), (record.GetProperty("cycle").GetInt32(), record.GetProperty("step").GetInt32(), record.GetProperty("kind").GetString()));
        Assert.Equal($"$.after.{changed}", Assert.Single(record.GetProperty("differences").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(tampered, $"{settings.Cycle(1).Seed}.jsonl")), File.ReadAllBytes(Path.Combine(failures, record.GetProperty("trace").GetString()!)));
    }

    [Fact]
    public void Explore_finds_the_planted_bug_at_the_smallest_depth_and_writes_a_replayable_counterexample()
    {
        var cex = Path.Combine(_dir, "cex.jsonl");
        var json = Path.Combine(_dir, "explore.json");
        var explore = Run("explore", "--depth", "8", "--jobs", "2", "--trace", cex, "--json", json);
        Assert.Equal(ExitCodes.Failure, explore.Exit);
        Assert.StartsWith("explore: the door's events worth trying, depth 8, 2 jobs, 0 initial configurations", explore.Out);
        Assert.Contains($"violation: bolt_only_when_closed after {DoorExploration.PlantedViolationDepth} events", explore.Out);
        Assert.Equal(DoorExploration.PlantedViolationDepth + 1, File.ReadAllLines(cex).Length);
        Assert.Equal(0, Run("replay", cex).Exit);

        // Below the violation's depth, nothing is found.
        var shallow = Run("explore", "--depth", $"{DoorExploration.PlantedViolationDepth - 1}", "--trace", cex);
        Assert.Equal(0, shallow.Exit);
        Assert.Contains("result: no violation", shallow.Out);
    }

    [Fact]
    public void Diagram_coverage_marks_the_moves_a_trace_made()
    {
        // Open: Closed -> Open. Slam: Open -> Slamming, then Slamming -> Closed (continues; the bolt is drawn).
        // Lock: Closed -> Locked. Each a Moved effect (the door's [TransitionLog]).
        var trace = Trace("moves.jsonl", new Open(3), new Close(Slam: true), new LockDoor("brass", 1));
        var diagram = Run("diagram", "--coverage", trace);
        Assert.Equal(0, diagram.Exit);
        Assert.Contains("    Closed --> Open : Open ×1, Kick\n", diagram.Out);
        Assert.Contains("    Open --> Slamming : Close ×1, Kick\n", diagram.Out);
        Assert.Contains("    Slamming --> Closed : (continues) ×1\n", diagram.Out);
        Assert.Contains("    Closed --> Locked : Lock ×1\n", diagram.Out);
        Assert.Contains("%% not reached: Locked -> Closed on Unlock", diagram.Out);
        Assert.Contains("coverage: 4 of ", diagram.Err);
    }

    [Fact]
    public void Stats_counts_the_events_effects_and_transitions_of_a_trace()
    {
        var trace = Trace("stats.jsonl", new Open(3), new Close(Slam: true), new LockDoor("brass", 1), new Kick(1));
        var stats = Run("stats", trace, "--json", "-");
        Assert.Equal(0, stats.Exit);
        using var doc = JsonDocument.Parse(stats.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("traces").GetInt32());
        Assert.Equal(4, root.GetProperty("steps").GetInt32());
        Assert.Equal(1, root.GetProperty("events").GetProperty("Kick").GetInt32());

        // Moved: Closed->Open, Open->Slamming, Slamming->Closed, Closed->Locked; a Bang for the slam; a
        // Splinter for the kick on the locked door.
        Assert.Equal(4, root.GetProperty("effects").GetProperty("Moved").GetInt32());
        Assert.Equal(1, root.GetProperty("effects").GetProperty("Bang").GetInt32());
        Assert.Equal(1, root.GetProperty("effects").GetProperty("Splinter").GetInt32());
        Assert.Equal(1, root.GetProperty("transitions").GetProperty("Open -> Closed").GetInt32());
    }

    [Fact]
    public void A_malformed_trace_is_exit_3_with_the_file_line_and_path()
    {
        var bad = Write("bad.jsonl", [File.ReadAllLines(Trace("ok.jsonl", new Open(3)))[0].Replace("\"force\":3", "\"force\":\"3\"", StringComparison.Ordinal)]);
        var replay = Run("replay", bad);
        Assert.Equal(ExitCodes.Malformed, replay.Exit);
        Assert.StartsWith($"{bad}:1:", replay.Err);
        Assert.Contains("($.event.force)", replay.Err);
    }
}
