using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Peering.Cli.Tests.Robustness;
using Peering.Generation;
using Peering.TestSupport;

namespace Peering.Cli.Tests.Tools;

/// <summary>
/// <c>peering replay-fuzz</c> against stand-ins that are always there: <c>peering generate</c> itself
/// (a correct implementation of the spec), a wrapper that corrupts one field of one step, and
/// wrappers for every way an external program can misbehave (docs/differential.md).
/// </summary>
public sealed class ReplayFuzzCommandTests : IDisposable
{
    private readonly StandIns _standIns = new();

    public void Dispose() => _standIns.Dispose();

    // The seed of cycle 0 of a campaign of seed 42 (docs/fuzzing.md: Rng.Derive(campaign seed, index)).
    private static readonly ulong Cycle0Seed = new FuzzSettings().Cycle(0).Seed;

    private (CliRun Run, JsonElement[] Records, string Directory) Campaign(string program, params string[] more)
    {
        var dir = _standIns.NewDirectory("failures");
        var run = PeeringProcess.Run(["replay-fuzz", "--against", program, "--events", "40", "--save-failure-traces", dir, .. more.Contains("--cycles") ? more : ["--cycles", "1", .. more]]);
        return (run, StandIns.Records(dir), dir);
    }

    private static JsonElement External(JsonElement record) => record.GetProperty("external");

    [PosixFact]
    public void Against_peering_generate_every_cycle_agrees_and_the_campaign_is_the_fuzz_campaign()
    {
        var json = Path.Combine(_standIns.Directory, "summary.json");
        var run = PeeringProcess.Run(["replay-fuzz", "--against", StandIns.Generate, "--cycles", "4", "--event-range", "32", "80", "--seed", "9", "--json", json]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"replay-fuzz: lean-core, seed 9, 4 cycles, events 32..80, against {StandIns.Generate} --profile {{profile}} --seed {{seed}} --events {{events}}, timeout 60 s", run.Stdout);

        // The same cycles (seeds and bounds) as the in-process campaign, ending in the same states.
        var fuzz = PeeringProcess.Run(["fuzz", "--cycles", "4", "--event-range", "32", "80", "--seed", "9", "--no-roundtrip"]);
        Assert.Equal(0, fuzz.ExitCode);
        Assert.Equal(FuzzCommandTests.Summary(fuzz.Stdout), FuzzCommandTests.Summary(run.Stdout));

        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var root = doc.RootElement;
        Assert.Equal("peering-replay-fuzz-summary/1", root.GetProperty("format").GetString());
        Assert.Equal("trace", root.GetProperty("campaign").GetProperty("input").GetString());
        Assert.EndsWith("generate --profile {profile} --seed {seed} --events {events}", root.GetProperty("campaign").GetProperty("against").GetString());
        Assert.Empty(root.GetProperty("failures").EnumerateArray());
    }

    [PosixFact]
    public void A_wrapper_that_corrupts_one_field_of_one_step_is_found_saved_and_exits_1()
    {
        var wrapper = _standIns.Script("corrupt.sh", $$"""{{StandIns.Generate}} "$@" | sed '/"step":5,/s/"last_peering_reset":[0-9]*},"after_checks"/"last_peering_reset":999},"after_checks"/'""");
        var (run, records, dir) = Campaign(wrapper, "--cycles", "2");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(2, records.Length);
        Assert.Equal(2, FuzzCommandTests.Summary(run.Stdout).Failures);
        foreach (var record in records)
        {
            var seed = ulong.Parse(record.GetProperty("seed").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var arguments = new[] { "--profile", "lean-core", "--seed", seed.ToString(), "--events", "40" };

            // What the corrupted field held: step 5 of the trace the unwrapped program writes.
            var clean = PeeringProcess.Run(["generate", .. arguments]).Stdout.Split('\n')[5];
            var original = JsonDocument.Parse(clean).RootElement.GetProperty("after").GetProperty("last_peering_reset").GetInt64();
            Assert.Equal("divergence", record.GetProperty("kind").GetString());
            Assert.Equal(5, record.GetProperty("step").GetInt64());
            var difference = Assert.Single(record.GetProperty("differences").EnumerateArray());
            Assert.Equal("$.after.last_peering_reset", difference.GetProperty("path").GetString());
            Assert.Equal("999", difference.GetProperty("expected").GetString());
            Assert.Equal(original.ToString(), difference.GetProperty("actual").GetString());
            Assert.Contains($"FAIL cycle {record.GetProperty("cycle").GetInt64()} seed {seed} (events 40): step 5 (", run.Stdout);

            // The saved trace is what the program wrote, byte for byte; replay finds the same divergence in it.
            var trace = Path.Combine(dir, record.GetProperty("trace").GetString()!);
            Assert.Equal(StandIns.Output(wrapper, arguments), File.ReadAllBytes(trace));
            var replay = PeeringProcess.Run(["replay", trace]);
            Assert.Equal(ExitCodes.Failure, replay.ExitCode);
            Assert.Contains("step 5 (", replay.Stdout);
            Assert.Contains("$.after.last_peering_reset: expected 999, actual " + original, replay.Stdout);

            // The record has the command line, the exit code and the program's standard error.
            var external = External(record);
            Assert.Equal([wrapper, .. arguments], external.GetProperty("command").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(0, external.GetProperty("exit_code").GetInt32());
            Assert.Contains($"seed={seed} events=40", external.GetProperty("stderr").GetString());
            Assert.Equal(new FileInfo(trace).Length, external.GetProperty("output_bytes").GetInt64());
            Assert.Equal($"{wrapper} --profile lean-core --seed {seed} --events 40 | peering replay -", record.GetProperty("reproduce").GetString());
        }

        Assert.Equal(records.Length + 1, Directory.GetFiles(dir).Count(f => Path.GetFileName(f) != FailureStore.LockFile));
    }

    [PosixFact]
    public void A_non_zero_exit_fails_the_cycle_with_the_exit_code_and_the_programs_stderr()
    {
        var (run, records, dir) = Campaign(_standIns.Script("exit3.sh", $"""{StandIns.Generate} "$@"; echo 'the implementation gave up' >&2; exit 3"""));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("exit", record.GetProperty("kind").GetString());
        Assert.Equal("exited with code 3", record.GetProperty("what").GetString());
        Assert.Equal(3, External(record).GetProperty("exit_code").GetInt32());
        Assert.EndsWith("the implementation gave up\n", External(record).GetProperty("stderr").GetString());
        Assert.Contains("  stderr: the implementation gave up", run.Stdout);

        // The trace itself was whole: 41 steps and the summary (GENERATOR.md: --events 40 < 50 is exactly 40 events after the Initialize).
        var lines = File.ReadAllLines(Path.Combine(dir, record.GetProperty("trace").GetString()!));
        Assert.Equal(42, lines.Length);
        Assert.StartsWith("{\"kind\":\"summary\"", lines[^1]);
    }

    [PosixFact]
    public void Output_that_is_not_a_trace_is_a_malformed_input_failure()
    {
        var (run, records, _) = Campaign(_standIns.Script("hello.sh", "echo hello"));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("malformed", record.GetProperty("kind").GetString());
        Assert.Equal("the output is not a trace: stdout:1:1: not a JSON object line: a trace line starts with '{'", record.GetProperty("what").GetString());
        Assert.Equal(6, External(record).GetProperty("output_bytes").GetInt64());
    }

    [PosixFact]
    public void A_trace_for_another_seed_is_a_mismatch()
    {
        // It writes the trace of seed 1 whatever it is asked: every step replays, the summary says which seed it was.
        var (run, records, _) = Campaign(_standIns.Script("seed1.sh", $"""exec {StandIns.Generate} --profile "$2" --seed 1 --events "$6" """));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("mismatch", record.GetProperty("kind").GetString());
        Assert.Equal($"a trace for seed 1 (its summary line), not for this cycle's seed {Cycle0Seed}", record.GetProperty("what").GetString());
    }

    [PosixFact]
    public void Output_that_stops_early_is_truncated()
    {
        var (run, records, _) = Campaign(_standIns.Script("early.sh", $"""{StandIns.Generate} "$@" | head -n 10"""));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("truncated", record.GetProperty("kind").GetString());
        Assert.Equal("the output ended after 10 steps, before the trace's summary line", record.GetProperty("what").GetString());
    }

    [PosixFact]
    public void Two_traces_in_one_output_are_a_mismatch()
    {
        var (run, records, _) = Campaign(_standIns.Script("twice.sh", $"""{StandIns.Generate} "$@"; {StandIns.Generate} "$@" """));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("mismatch", record.GetProperty("kind").GetString());

        // 41 step lines and a summary, then the second trace.
        Assert.Equal("a second trace starts at line 43 of the output (a cycle is one trace)", record.GetProperty("what").GetString());
    }

    [PosixFact]
    public void A_hang_is_killed_at_the_timeout_and_fails_the_cycle()
    {
        var pidFile = Path.Combine(_standIns.Directory, "hang.pid");
        var clock = Stopwatch.StartNew();
        var (run, records, _) = Campaign(_standIns.Script("hang.sh", $"echo $$ > {StandIns.Sh(pidFile)}\nexec sleep 1000"), "--timeout", "1");
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 30);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("timeout", record.GetProperty("kind").GetString());
        Assert.Equal("no end after 1 s (0 steps read): killed", record.GetProperty("what").GetString());
        Assert.True(External(record).GetProperty("timed_out").GetBoolean());
        Assert.True(StandIns.Gone(StandIns.WaitForPid(pidFile)), "the hung program is still running");
    }

    [PosixFact]
    public void A_process_left_holding_the_output_open_cannot_hang_the_campaign()
    {
        var clock = Stopwatch.StartNew();
        var (run, records, _) = Campaign(_standIns.Script("orphan.sh", $"""(sleep 8 &); {StandIns.Generate} "$@" """), "--timeout", "2");
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 7.5);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("timeout", record.GetProperty("kind").GetString());
        // How many of the trace's 41 steps were replayed within the 2 s depends on the machine's load.
        Assert.Matches(@"^its output was still open after 2 s \((\d|[1-3]\d|4[01]) steps? read\), though it had exited: a process it started holds it$", record.GetProperty("what").GetString());
    }

    [PosixFact]
    public void A_program_that_writes_without_end_is_killed_at_the_output_limit()
    {
        var (run, records, dir) = Campaign(_standIns.Script("endless.sh", $"""{StandIns.Generate} "$@" | head -n 3; exec yes ''"""), "--max-output-mb", "4");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var record = Assert.Single(records);
        Assert.Equal("output-limit", record.GetProperty("kind").GetString());
        Assert.Equal("wrote more than the output limit of 4 MiB (3 steps read): killed", record.GetProperty("what").GetString());
        Assert.True(External(record).GetProperty("output_limit_exceeded").GetBoolean());
        Assert.Equal(4 << 20, External(record).GetProperty("output_bytes").GetInt64());
        Assert.Equal(4 << 20, new FileInfo(Path.Combine(dir, record.GetProperty("trace").GetString()!)).Length);
    }

    [PosixTheory]
    [InlineData("missing", "not found")]
    [InlineData("not-executable", "is not executable (no execute permission)")]
    [InlineData("directory", "is a directory, not a program")]
    public void A_program_that_cannot_run_is_a_usage_error_before_any_cycle(string what, string problem)
    {
        var path = Path.Combine(_standIns.Directory, what);
        if (what == "not-executable")
        {
            File.WriteAllText(path, "#!/bin/sh\n");
        }
        else if (what == "directory")
        {
            Directory.CreateDirectory(path);
        }

        var run = PeeringProcess.Run(["replay-fuzz", "--against", path]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"peering: --against: {path} {problem}", run.ErrorLines[0]);
        Assert.Equal("", run.Stdout);
    }

    [PosixTheory]
    [InlineData("--against", "cat {sed}", "unknown placeholder {sed}")]
    [InlineData("--against", "cat 'x", "unbalanced ' quote")]
    [InlineData("--against", "{seed} x", "the program name cannot hold a placeholder")]
    [InlineData("--against", "no-such-program-on-path", "no-such-program-on-path not found on PATH")]
    [InlineData("--timeout", "0", "peering: --timeout 0: must be a number of seconds more than 0")]
    [InlineData("--events-of", "x.jsonl", "--events-of needs --events-driver")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        var run = PeeringProcess.Run(["replay-fuzz", option, value, .. option == "--against" ? Array.Empty<string>() : ["--against", "/bin/cat"]]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.ErrorLines[0]);
        Assert.Equal("", run.Stdout);
    }

    [PosixFact]
    public void Without_a_program_it_runs_the_reference_scripts_default_and_says_when_it_is_not_there()
    {
        var run = PeeringProcess.Run(["replay-fuzz", "--cycles", "1"]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("peering: --against: build/cpp/cross_validate not found (the default program; give --against CMD)", run.ErrorLines[0]);
    }

    [PosixFact]
    public void The_reference_scripts_option_names_are_accepted()
    {
        var json = Path.Combine(_standIns.Directory, "script.json");
        var generator = _standIns.Script("cross_validate", $"""exec {StandIns.Generate} "$@" """);
        var run = PeeringProcess.Run(["replay-fuzz", "--cross-validate", generator, "--profile", "full", "--cycles", "2", "--event", "40",
            "--stop-on-first-failure", "--require-cpp-image-invariant", "--jobs", "2", "--json", json]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"replay-fuzz: full, seed 42, 2 cycles, events 40, against {generator} --profile {{profile}} --seed {{seed}} --events {{events}}, image_invariant required", run.Stdout);
        var campaign = JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.GetProperty("campaign");
        Assert.Equal(["image_invariant"], campaign.GetProperty("required_checks").EnumerateArray().Select(c => c.GetString()));
        Assert.True(campaign.GetProperty("stop_on_first_failure").GetBoolean());

        // --events 40 < 50: exactly 41 steps a cycle.
        Assert.Equal(2 * 41, FuzzCommandTests.Summary(run.Stdout).Steps);
    }

    [PosixFact]
    public void Shard_summaries_merge_into_the_whole_campaign_and_not_with_a_fuzz_summary()
    {
        string[] campaign = ["replay-fuzz", "--against", StandIns.Generate, "--cycles", "3", "--event-range", "32", "60"];
        var whole = PeeringProcess.Run(campaign);
        Assert.Equal(0, whole.ExitCode);
        var parts = new[] { 1, 2 }.Select(k =>
        {
            var json = Path.Combine(_standIns.Directory, $"shard{k}.json");
            Assert.Equal(0, PeeringProcess.Run([.. campaign, "--shard", $"{k}/2", "--json", json]).ExitCode);
            return json;
        }).ToArray();
        var merged = PeeringProcess.Run(["replay-fuzz", "--merge", .. parts]);
        Assert.Equal(0, merged.ExitCode);
        Assert.Contains("merged 2 summaries: shards 1,2 of 2 (complete)", merged.Stdout);
        Assert.Equal(FuzzCommandTests.Summary(whole.Stdout), FuzzCommandTests.Summary(merged.Stdout));

        var fuzz = Path.Combine(_standIns.Directory, "fuzz.json");
        Assert.Equal(0, PeeringProcess.Run(["fuzz", "--cycles", "3", "--event-range", "32", "60", "--shard", "1/2", "--json", fuzz]).ExitCode);
        Assert.Equal(ExitCodes.Malformed, PeeringProcess.Run(["replay-fuzz", "--merge", parts[1], fuzz]).ExitCode);
    }

    [PosixFact]
    public void Failure_records_keep_how_the_program_ran_through_a_merge()
    {
        var wrapper = _standIns.Script("exit5.sh", $"""{StandIns.Generate} "$@"; exit 5""");
        var parts = new[] { 1, 2 }.Select(k =>
        {
            var json = Path.Combine(_standIns.Directory, $"failing{k}.json");
            Assert.Equal(ExitCodes.Failure, PeeringProcess.Run(["replay-fuzz", "--against", wrapper, "--cycles", "2", "--events", "40", "--shard", $"{k}/2", "--json", json]).ExitCode);
            return json;
        }).ToArray();
        var merged = Path.Combine(_standIns.Directory, "failing.json");
        var run = PeeringProcess.Run(["replay-fuzz", "--merge", .. parts, "--json", merged]);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("(exit code 5, ", run.Stdout);
        var failures = JsonDocument.Parse(File.ReadAllBytes(merged)).RootElement.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal([0L, 1L], failures.Select(f => f.GetProperty("cycle").GetInt64()));
        Assert.All(failures, f => Assert.Equal(5, External(f).GetProperty("exit_code").GetInt32()));
        Assert.All(failures, f => Assert.Equal(wrapper, External(f).GetProperty("command")[0].GetString()));
    }

    [PosixFact]
    public void A_full_failure_directory_is_exit_4_with_the_failure_reported_and_nothing_left_behind()
    {
        var wrapper = _standIns.Script("corrupt.sh", $$"""{{StandIns.Generate}} "$@" | sed '/"step":5,/s/"to_state":"[A-Za-z]*"/"to_state":"Deleting"/'""");
        var fs = new MemoryFileSystem { FreeBytes = 20_000 };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var template = CommandTemplate.Parse(StandIns.Sh(wrapper), PeeringTool.Reference.TraceArguments);
        var external = new ExternalSettings(template, wrapper, SendsEvents: false, new ExternalLimits(TimeSpan.FromSeconds(60), 1 << 30));
        var cycles = new PeeringTools.ExternalCycles(new FuzzSettings { Cycles = 1, MinEvents = 40, MaxEvents = 40 }, external, PeeringEvents.Instance, "peering");
        var exit = PeeringTools.ReplayFuzzCommand.Run(PeeringTool.Create(), ToolEnvironment.Capture(stdout, stderr, fs), cycles, 1, "/f", null);
        Assert.Equal(ExitCodes.Output, exit);
        Assert.Contains($"FAIL cycle 0 seed {Cycle0Seed} (events 40): step 5 (", stdout.ToString());
        Assert.Contains("trace: NOT SAVED", stdout.ToString());
        Assert.Contains("No space left on device", stderr.ToString());
        Assert.Empty(fs.Files);
    }

    [PosixTheory]
    [InlineData(15, ExitCodes.Terminated)]
    [InlineData(2, ExitCodes.Interrupted)]
    public async Task SIGTERM_and_SIGINT_stop_the_campaign_with_the_summary_and_end_the_program(int signal, int exitCode)
    {
        var pidFile = Path.Combine(_standIns.Directory, $"signal-{signal}.pid");
        var hang = _standIns.Script($"hang-{signal}.sh", $"echo $$ > {StandIns.Sh(pidFile)}\nexec sleep 1000");
        using var process = PeeringProcess.Start(["replay-fuzz", "--against", hang, "--cycles", "3", "--jobs", "1"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var program = StandIns.WaitForPid(pidFile);
        Assert.Equal(0, Kill(process.Id, signal));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the campaign did not stop");
        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains("0 cycles, 0 steps, 0 failures (interrupted)", await stdout);
        Assert.True(StandIns.Gone(program), "the external program is still running");
        await stderr;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [PosixFact]
    public void The_events_direction_checks_that_the_trace_is_of_the_events_sent()
    {
        // An "events driver" that ignores its input and writes a generated trace instead.
        var driver = _standIns.Script("ignores-input.sh", $"cat > /dev/null\nexec {StandIns.Generate} --profile lean-core --seed 5 --events 40");
        var dir = _standIns.NewDirectory("events");
        var run = PeeringProcess.Run(["replay-fuzz", "--events-driver", driver, "--cycles", "1", "--events", "40", "--save-failure-traces", dir]);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"sent to {driver} --events-file - --seed {{seed}} --check-roundtrip", run.Stdout);
        var record = Assert.Single(StandIns.Records(dir));
        Assert.Equal("mismatch", record.GetProperty("kind").GetString());
        Assert.Equal("not the event sent", record.GetProperty("what").GetString());

        // The fields that differ are named.
        Assert.NotEmpty(record.GetProperty("differences").EnumerateArray());
        Assert.All(record.GetProperty("differences").EnumerateArray(), d => Assert.StartsWith("$.event.", d.GetProperty("path").GetString()));
        Assert.Equal([driver, "--events-file", "-", "--seed", Cycle0Seed.ToString(), "--check-roundtrip"], External(record).GetProperty("command").EnumerateArray().Select(a => a.GetString()));
    }

    [PosixFact]
    public void Events_of_a_malformed_trace_are_a_malformed_input_error()
    {
        var bad = Path.Combine(_standIns.Directory, "bad.jsonl");
        File.WriteAllText(bad, "{\"kind\":\"step\"}\n");
        var run = PeeringProcess.Run(["replay-fuzz", "--events-driver", "/bin/cat", "--events-of", bad]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        Assert.StartsWith($"{bad}:1:", run.ErrorLines[0]);
    }
}
