using System.Text.Json;
using Peering.Cli.Tests.Robustness;

namespace Peering.Cli.Tests.Tools;

/// <summary><c>peering generate</c> through the real command: GENERATOR.md §1, §3 and TRACE-SCHEMA.md §1, §9.</summary>
public sealed class GenerateCommandTests
{
    private static string[] Lines(CliRun run) => run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonElement Json(string line) => JsonDocument.Parse(line).RootElement;

    [Fact]
    public void The_defaults_are_profile_full_seed_42_and_30_events()
    {
        var run = PeeringProcess.Run(["generate"]);
        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run);

        // 30 < 50: exactly 30 events after the Initialize, then the summary.
        Assert.Equal(32, lines.Length);
        Assert.Equal("{\"kind\":\"summary\",\"seed\":42,\"events\":31}", lines[^1]);
        Assert.Equal(
            ["Cross-validation driver: seed=42 events=30 format=jsonl profile=full", "Done. Total events: 31"],
            run.ErrorLines);
        var steps = lines[..^1].Select(Json).ToList();
        Assert.Equal(Enumerable.Range(0, 31), steps.Select(s => s.GetProperty("step").GetInt32()));
        Assert.Equal("Initialize", steps[0].GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("GetPeerInfo", steps[0].GetProperty("to_state").GetString());
    }

    [Fact]
    public void Options_reach_the_trace_and_the_stderr_lines()
    {
        var run = PeeringProcess.Run(["generate", "--profile", "lean-core", "--seed", "18446744073709551615", "--events", "12"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"kind\":\"summary\",\"seed\":18446744073709551615,\"events\":13}", Lines(run)[^1]);
        Assert.Equal(
            ["Cross-validation driver: seed=18446744073709551615 events=12 format=jsonl profile=lean-core", "Done. Total events: 13"],
            run.ErrorLines);
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("1", 2)]
    [InlineData("49", 50)]
    public void Below_50_events_the_count_is_exact(string events, int stepLines)
    {
        var run = PeeringProcess.Run(["generate", "--events", events, "--seed", "3"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(stepLines + 1, Lines(run).Length);
        Assert.Equal(stepLines, Json(Lines(run)[^1]).GetProperty("events").GetInt32());
    }

    [Theory]
    [InlineData("-5", "peering: --events -5: must be at least 0")]
    [InlineData("x", "peering: --events x: expected a whole number")]
    public void An_event_bound_out_of_range_is_one_usage_line_naming_the_option(string events, string line)
    {
        var run = PeeringProcess.Run(["generate", "--events", events]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal([line, "Run 'peering --help' for usage."], run.ErrorLines);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void From_50_events_the_count_is_between_50_and_the_bound()
    {
        var counts = Enumerable.Range(1, 6)
            .Select(seed => Lines(PeeringProcess.Run(["generate", "--events", "400", "--seed", seed.ToString()])).Length - 2)
            .ToList();
        Assert.All(counts, n => Assert.InRange(n, 50, 400));
        Assert.True(counts.Distinct().Count() > 1);
    }

    [Theory]
    [InlineData("--profile", "wide")]
    [InlineData("--format", "xml")]
    [InlineData("--seed", "-1")]
    [InlineData("--seed", "18446744073709551616")]
    [InlineData("--events", "many")]
    [InlineData("--unknown", "1")]
    public void Invalid_values_are_usage_errors_before_any_output(string option, string value)
    {
        var run = PeeringProcess.Run(["generate", option, value]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.NotEmpty(run.ErrorLines);
    }

    [Fact]
    public void A_seed_and_its_32_bit_truncation_give_different_traces()
    {
        var full = PeeringProcess.Run(["generate", "--seed", "4294967303"]);
        var truncated = PeeringProcess.Run(["generate", "--seed", "7"]);
        Assert.NotEqual(Lines(full)[..^1], Lines(truncated)[..^1]);
        Assert.Equal(Lines(full)[..^1], Lines(PeeringProcess.Run(["generate", "--seed", "4294967303"]))[..^1]);
    }

    [Fact]
    public void The_jsonl_output_replays_cleanly()
    {
        using var files = new TraceFiles();
        var path = files.Write("g.jsonl", Lines(PeeringProcess.Run(["generate", "--events", "300", "--seed", "11"])));
        Assert.Null(new PeeringTools.Replayer().Run([TraceInput.File(path)]).Divergence);
        Assert.Equal(0, PeeringProcess.Run(["replay", path]).ExitCode);
    }

    [Fact]
    public void The_legacy_format_has_an_event_and_a_snapshot_block_per_step_and_no_summary()
    {
        var run = PeeringProcess.Run(["generate", "--format", "legacy", "--events", "40", "--seed", "5"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Cross-validation driver: seed=5 events=40 format=legacy profile=full", run.ErrorLines[0]);
        var lines = run.Stdout.Split('\n');
        Assert.Equal("", lines[^1]);
        lines = lines[..^1];
        Assert.Equal(41, lines.Count(l => l.StartsWith("IMAGE_EVENT ", StringComparison.Ordinal)));
        Assert.Equal(41, lines.Count(l => l == "IMAGE_CONTEXT"));
        Assert.Equal(82, lines.Count(l => l == "---"));
        Assert.DoesNotContain(lines, l => l.StartsWith('{'));
        Assert.DoesNotContain(lines, l => l == "IMAGE_EVENT PeerInfoReceived");

        // The Initialize block's keys (§9), then the snapshot block's fixed keys in order; empty lists keep their space.
        Assert.Equal("IMAGE_EVENT Initialize", lines[0]);
        Assert.Equal(
            ["pgid", "whoami", "epoch", "acting", "up", "pool_size", "pool_min_size", "local_image", "local_committed_seq",
             "last_epoch_started", "last_interval_started", "last_epoch_clean", "prior_osds"],
            lines[1..14].Select(l => l.Split(' ')[0]));
        Assert.Equal("prior_osds ", lines[13]);
        Assert.Equal("---", lines[14]);
        Assert.Equal("IMAGE_CONTEXT", lines[15]);
        var end = Array.IndexOf(lines, "---", 15);
        var keys = lines[16..end].Select(l => l.Split(' ')[0]).Distinct().ToList();
        string[] fixedKeys =
        [
            "pgid", "whoami", "epoch", "acting", "acting_epoch", "up", "up_epoch", "pool_size", "pool_min_size",
            "local_committed_seq", "local_image", "local_last_epoch_started", "local_last_interval_started", "local_last_epoch_clean",
            "auth_seq", "auth_image", "peers_queried", "peers_responded", "prior_osds", "recovered", "timed_out_probes",
            "need_up_thru", "activated", "pending_acting_change", "last_peering_reset",
            "have_enough_info", "image_invariant", "image_clean", "image_recovering",
        ];
        Assert.Equal(fixedKeys, keys.Where(fixedKeys.Contains));
        Assert.All(lines[16..end].Where(l => l.StartsWith("need_up_thru", StringComparison.Ordinal) || l.StartsWith("image_", StringComparison.Ordinal)),
            l => Assert.Matches("^[a-z_]+ [01]$", l));
        Assert.Contains(lines, l => l.StartsWith("IMAGE_EVENT PeerImageReceived", StringComparison.Ordinal));
    }
}
