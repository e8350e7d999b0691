using System.Text.Json;
using System.Text.RegularExpressions;
using Peering.Cli.Tests.Robustness;
using Peering.Generation;
using Peering.Machine;
using Peering.TestSupport;

namespace Peering.Cli.Tests.Tools;

/// <summary><c>peering fuzz</c>: the command line, exit codes, the failure files, a full disk and Ctrl-C.</summary>
public sealed class FuzzCommandTests : IDisposable
{
    private readonly TraceFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly Regex SummaryLine = new(@"^(\d+) cycles, ([\d,]+) steps, (\d+) failures? .*; digest ([0-9a-f]{16})$", RegexOptions.Multiline);

    internal static (long Cycles, long Steps, int Failures, string Digest) Summary(string stdout)
    {
        var m = SummaryLine.Match(stdout);
        Assert.True(m.Success, stdout);
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value.Replace(",", "")), int.Parse(m.Groups[3].Value), m.Groups[4].Value);
    }

    [Fact]
    public void With_no_arguments_it_runs_64_lean_core_cycles_of_32_to_1024_events()
    {
        var run = PeeringProcess.Run(["fuzz"]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("fuzz: lean-core, seed 42, 64 cycles, events 32..1024, invariants every step, round trip on", run.Stdout);
        var (cycles, steps, failures, _) = Summary(run.Stdout);
        Assert.Equal(64, cycles);
        Assert.Equal(0, failures);

        // Each cycle has between min(50, E) + 1 and E + 1 steps for its bound E in [32, 1024].
        Assert.InRange(steps, 64 * 33, 64 * 1025);
    }

    [Theory]
    [InlineData("--profile", "wide")]
    [InlineData("--cycles", "0")]
    [InlineData("--jobs", "0")]
    [InlineData("--shard", "3/2")]
    [InlineData("--shard", "x")]
    [InlineData("--event-range", "10")]
    [InlineData("--event-range", "20 10")]
    [InlineData("--event-range", "-1 10")]
    [InlineData("--seed", "-5")]
    [InlineData("--bogus", "1")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        var run = PeeringProcess.Run(["fuzz", option, .. value.Split(' ')]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.NotEmpty(run.ErrorLines);
        Assert.DoesNotContain("cycles,", run.Stdout);
    }

    [Fact]
    public void Events_and_an_event_range_are_exclusive() =>
        Assert.Equal(ExitCodes.Usage, PeeringProcess.Run(["fuzz", "--events", "40", "--event-range", "32", "64"]).ExitCode);

    [Fact]
    public void Options_shape_the_campaign_and_the_json_summary()
    {
        var json = Path.Combine(_files.Directory, "summary.json");
        var run = PeeringProcess.Run(["fuzz", "--profile", "full", "--cycles", "9", "--events", "40", "--seed", "5", "--jobs", "2",
            "--no-roundtrip", "--require-image-invariant", "--json", json]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("fuzz: full, seed 5, 9 cycles, events 40, invariants every step, round trip off, image_invariant required, 2 jobs", run.Stdout);
        var (cycles, steps, _, digest) = Summary(run.Stdout);

        // --events 40 < 50: every cycle has exactly 41 steps.
        Assert.Equal((9, 9 * 41), (cycles, steps));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var root = doc.RootElement;
        Assert.Equal("peering-fuzz-summary/3", root.GetProperty("format").GetString());
        Assert.Equal("full", root.GetProperty("campaign").GetProperty("profile").GetString());
        Assert.Equal(40, root.GetProperty("campaign").GetProperty("event_min").GetInt64());
        Assert.False(root.GetProperty("campaign").GetProperty("round_trip").GetBoolean());
        Assert.Equal(9 * 41, root.GetProperty("steps").GetInt64());
        Assert.Equal(digest, root.GetProperty("digest").GetString());
        Assert.Empty(root.GetProperty("failures").EnumerateArray());
    }

    [Fact]
    public void The_job_count_does_not_change_the_result()
    {
        var one = Summary(PeeringProcess.Run(["fuzz", "--cycles", "12", "--jobs", "1"]).Stdout);
        var two = Summary(PeeringProcess.Run(["fuzz", "--cycles", "12", "--jobs", "2"]).Stdout);
        Assert.Equal(one, two);
    }

    [Fact]
    public void Shard_summaries_merge_into_the_whole_campaign()
    {
        var whole = Summary(PeeringProcess.Run(["fuzz", "--cycles", "10", "--event-range", "32", "200"]).Stdout);
        var parts = new List<string>();
        foreach (var k in new[] { 1, 2, 3 })
        {
            var json = Path.Combine(_files.Directory, $"shard{k}.json");
            var run = PeeringProcess.Run(["fuzz", "--cycles", "10", "--event-range", "32", "200", "--shard", $"{k}/3", "--json", json]);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains($"(shard {k}/3: {(k == 1 ? 4 : 3)} of them)", run.Stdout);
            parts.Add(json);
        }

        var mergedJson = Path.Combine(_files.Directory, "merged.json");
        var merged = PeeringProcess.Run(["fuzz", "--merge", .. parts, "--json", mergedJson]);
        Assert.Equal(0, merged.ExitCode);
        Assert.Contains("merged 3 summaries: shards 1,2,3 of 3 (complete)", merged.Stdout);
        Assert.Equal(whole, Summary(merged.Stdout));
        Assert.Equal(ExitCodes.Malformed, PeeringProcess.Run(["fuzz", "--merge", parts[0], parts[0]]).ExitCode);
    }

    // In process, with a reducer that has a deliberate fault, writers to read back, and a file system to break.
    private static (int Exit, string Out, string Err) Fuzz<TFault>(
        FuzzSettings settings, string? directory, IFileSystem? fs = null, CancellationToken cancel = default, string? json = null, int jobs = 2, bool terminal = false)
        where TFault : IFault
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = ToolEnvironment.Capture(stdout, stderr, fs, cancel) with { ErrorIsTerminal = terminal };
        var host = PeeringTool.Create(FaultyContract<TFault>.Types);
        var exit = MachineTools<FaultyContract<TFault>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.FuzzCommand.Run(
            host, env, PeeringEvents.Instance, settings, jobs, directory, json);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static readonly FuzzSettings Campaign = new() { Profile = "lean-core", Cycles = 40, MaxEvents = 400, Seed = 3 };

    [Fact]
    public void Failures_exit_1_and_are_on_disk_with_their_seeds()
    {
        var dir = Path.Combine(_files.Directory, "failures");
        var (exit, stdout, stderr) = Fuzz<Overshoot>(Campaign, dir);
        Assert.Equal(ExitCodes.Failure, exit);
        var records = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "failures.json"))).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(records);
        Assert.Equal(records.Count, Summary(stdout).Failures);
        foreach (var record in records)
        {
            var cycle = record.GetProperty("cycle").GetInt64();
            var seed = ulong.Parse(record.GetProperty("seed").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Campaign.Cycle(cycle).Seed, seed);
            Assert.Contains($"FAIL cycle {cycle} seed {seed} (events {record.GetProperty("events").GetInt64()}): step {record.GetProperty("step").GetInt64()} (ReplicaRecoveryComplete): invariant ", stdout);
            var trace = Path.Combine(dir, record.GetProperty("trace").GetString()!);
            Assert.Contains($"  trace: {trace}", stdout);
            Assert.True(File.Exists(trace));

            // Written by the faulty reducer: the real one replays it to a divergence at the failing step.
            var replay = PeeringProcess.Run(["replay", trace]);
            Assert.Equal(ExitCodes.Failure, replay.ExitCode);
            Assert.Contains($"step {record.GetProperty("step").GetInt64()} (ReplicaRecoveryComplete): after snapshot differs", replay.Stdout);
        }

        Assert.Equal(records.Count + 1, Directory.GetFiles(dir).Count(f => Path.GetFileName(f) != FailureStore.LockFile));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Assert.DoesNotContain("FAIL", stderr);
    }

    [Fact]
    public void An_unwritable_failure_directory_is_exit_4_before_fuzzing()
    {
        var (exit, stdout, stderr) = Fuzz<NoFault>(Campaign, "/f", new MemoryFileSystem { ReadOnly = true });
        Assert.Equal(ExitCodes.Output, exit);
        Assert.Contains("peering: cannot write", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void A_full_failure_directory_is_exit_4_and_the_failure_is_still_reported()
    {
        var fs = new MemoryFileSystem { FreeBytes = 2000 };
        var (exit, stdout, stderr) = Fuzz<Overshoot>(Campaign with { Cycles = 5000 }, "/f", fs);
        Assert.Equal(ExitCodes.Output, exit);
        Assert.Contains("No space left on device", stderr);
        Assert.Matches(@"FAIL cycle \d+ seed \d+ \(events \d+\): step \d+ \(ReplicaRecoveryComplete\)", stdout);
        Assert.Contains("trace: NOT SAVED", stdout);
        Assert.Contains("reproduce: peering generate --profile lean-core --seed ", stdout);
        Assert.Contains("(stopped: output error)", stdout);
        Assert.Empty(fs.Files);
    }

    [Fact]
    public void Ctrl_c_prints_the_summary_with_every_failure_found_on_disk()
    {
        using var cancel = new CancellationTokenSource();
        var fs = new MemoryFileSystem();
        // Cancel once the first failure is on disk: the fault fires, the store writes, then "Ctrl-C".
        var watcher = new Thread(() =>
        {
            while (!fs.FileExists("/f/failures.json"))
            {
                Thread.Sleep(1);
            }

            cancel.Cancel();
        });
        watcher.Start();
        var (exit, stdout, _) = Fuzz<Overshoot>(Campaign with { Cycles = 100_000 }, "/f", fs, cancel.Token);
        watcher.Join();
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("(interrupted)", stdout);
        var (cycles, _, failures, _) = Summary(stdout);
        Assert.InRange(cycles, 1, 99_999);
        var records = JsonDocument.Parse(fs.ReadAllBytes("/f/failures.json")).RootElement.GetArrayLength();
        Assert.Equal(failures, records);
        Assert.Equal(records + 1, fs.Files.Count);
    }

    [Fact]
    public void Ctrl_c_without_failures_exits_130()
    {
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        var json = Path.Combine(_files.Directory, "interrupted.json");
        var (exit, stdout, _) = Fuzz<NoFault>(Campaign with { Cycles = 1_000_000 }, null, cancel: cancel.Token, json: json);
        Assert.Equal(ExitCodes.Interrupted, exit);
        Assert.Contains("(interrupted)", stdout);
        Assert.True(JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.GetProperty("interrupted").GetBoolean());
    }

    [Fact]
    public void On_a_terminal_progress_is_one_line_rewritten_in_place_and_cleared_at_the_end()
    {
        var (exit, _, text) = Fuzz<NoFault>(Campaign with { Cycles = 300 }, null, jobs: 1, terminal: true);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("\n", text);
        var updates = text.Split("\r\u001b[K", StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Matches(@"^fuzz: [\d,]+/300 cycles, [\d,]+ steps, [\d,]+ steps/s, \d+ failures, (\?|\d+:\d\d) left$", u));
        Assert.EndsWith("\r\u001b[K", text);
    }

    [Fact]
    public void Progress_goes_to_stderr_as_plain_lines_when_it_is_not_a_terminal()
    {
        var (_, stdout, stderr) = Fuzz<NoFault>(Campaign with { Cycles = 300 }, null, jobs: 1);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(@"^fuzz: [\d,]+/300 cycles, [\d,]+ steps, [\d,]+ steps/s, \d+ failures, (\?|\d+:\d\d) left$", l));
        Assert.DoesNotContain("\u001b", stderr);
        Assert.DoesNotContain("steps/s, 0 failures,", stdout);
    }
}
