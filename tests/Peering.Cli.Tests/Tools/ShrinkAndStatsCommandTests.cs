using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peering.Cli.Tests.Robustness;
using Peering.Generation;
using Peering.TestSupport;

namespace Peering.Cli.Tests.Tools;

/// <summary><c>peering shrink</c> and <c>peering stats</c> through the command line.</summary>
public sealed class ShrinkAndStatsCommandTests : IDisposable
{
    private readonly TraceFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Shrink_reduces_a_divergent_trace_to_one_that_replays_to_the_same_divergence()
    {
        var lines = TraceFiles.Generate(5, 300);
        var line = JsonNode.Parse(lines[90])!;
        line["after"]!["last_peering_reset"] = 1;
        lines[90] = line.ToJsonString();
        var input = _files.Write("diverges.jsonl", lines);
        var original = PeeringProcess.Run(["replay", input]);
        Assert.Equal(ExitCodes.Failure, original.ExitCode);

        var output = Path.Combine(_files.Directory, "small.jsonl");
        var run = PeeringProcess.Run(["shrink", input, "-o", output]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("failure: step 90 (", run.Stdout);
        var kept = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Stdout, @"shrunk \d+ steps to (\d+) ").Groups[1].Value);
        Assert.InRange(kept, 1, 90);
        Assert.Equal(kept + 1, File.ReadAllLines(output).Length);

        var replay = PeeringProcess.Run(["replay", output]);
        Assert.Equal(ExitCodes.Failure, replay.ExitCode);
        Assert.Contains($"step {kept - 1} (", replay.Stdout);
        Assert.Contains("$.after.last_peering_reset: expected 1, actual", replay.Stdout);
    }

    [Fact]
    public void Shrink_in_process_reduces_the_injected_fault_to_a_handful_of_steps()
    {
        var dir = Path.Combine(_files.Directory, "found");
        var summary = Faulty<Overshoot>.Campaign(new FuzzSettings { StopOnFirstFailure = true }, FailureStore.Open(dir), 2).Run();
        var trace = Path.Combine(dir, Assert.Single(summary.Failures).Trace!);
        var output = Path.Combine(_files.Directory, "shrunk.jsonl");
        var stdout = new StringWriter();
        var exit = PeeringTool.Create(FaultyContract<Overshoot>.Types).Run(["shrink", trace, "-o", output], ToolEnvironment.Capture(stdout, new StringWriter()));
        Assert.Equal(0, exit);
        Assert.Matches(@"shrunk \d+ steps to [345] \(", stdout.ToString());
        Assert.Contains("invariant", stdout.ToString());
        Assert.InRange(File.ReadAllLines(output).Length, 4, 6);
    }

    [Fact]
    public void Shrink_refuses_a_trace_that_does_not_fail_and_a_malformed_one()
    {
        var clean = _files.Write("clean.jsonl", TraceFiles.Generate(2, 40));
        var run = PeeringProcess.Run(["shrink", clean, "-o", Path.Combine(_files.Directory, "out.jsonl")]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("the trace does not fail", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_files.Directory, "out.jsonl")));

        var broken = _files.Write("broken.jsonl", ["{\"kind\":\"step\",\"step\":0,"]);
        var malformed = PeeringProcess.Run(["shrink", broken, "-o", Path.Combine(_files.Directory, "out.jsonl")]);
        Assert.Equal(ExitCodes.Malformed, malformed.ExitCode);
        Assert.Single(malformed.ErrorLines);
        Assert.StartsWith($"{broken}:1:", malformed.ErrorLines[0]);

        // Blank and indented lines before the fault: shrink points at the same line and column as replay.
        var lines = TraceFiles.Generate(2, 40);
        var indented = _files.Write("indented.jsonl", [lines[0], "", "  " + lines[1][..^1] + ",]", .. lines.Skip(2)]);
        var fromShrink = PeeringProcess.Run(["shrink", indented, "-o", Path.Combine(_files.Directory, "out.jsonl")]);
        var fromReplay = PeeringProcess.Run(["replay", indented]);
        Assert.Equal(ExitCodes.Malformed, fromShrink.ExitCode);
        Assert.StartsWith($"{indented}:3:{lines[1].Length + 3}: ", fromReplay.ErrorLines[0]); // the "]" after the comma
        Assert.Equal(fromReplay.ErrorLines, fromShrink.ErrorLines);

        Assert.Equal(ExitCodes.Usage, PeeringProcess.Run(["shrink", clean]).ExitCode);
        Assert.Equal(ExitCodes.Usage, PeeringProcess.Run(["shrink", Path.Combine(_files.Directory, "missing.jsonl"), "-o", "x"]).ExitCode);
    }

    [Fact]
    public void Stats_counts_steps_events_effects_and_transitions()
    {
        var lines = TraceFiles.Generate(8, 40);
        var path = _files.Write("t.jsonl", lines);
        var steps = lines[..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var run = PeeringProcess.Run(["stats", path, path, "--json", "-"]);
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(2, root.GetProperty("traces").GetInt32());
        Assert.Equal(2 * steps.Count, root.GetProperty("steps").GetInt32());
        foreach (var group in steps.GroupBy(s => s.GetProperty("event").GetProperty("type").GetString()!))
        {
            Assert.Equal(2 * group.Count(), root.GetProperty("events").GetProperty(group.Key).GetInt32());
        }

        foreach (var group in steps.SelectMany(s => s.GetProperty("effects").EnumerateArray()).GroupBy(e => e.GetProperty("type").GetString()!))
        {
            Assert.Equal(2 * group.Count(), root.GetProperty("effects").GetProperty(group.Key).GetInt32());
        }

        foreach (var group in steps.GroupBy(s => $"{s.GetProperty("from_state").GetString()} -> {s.GetProperty("to_state").GetString()}"))
        {
            Assert.Equal(2 * group.Count(), root.GetProperty("transitions").GetProperty(group.Key).GetInt32());
        }
    }

    [Fact]
    public void Stats_json_FILE_writes_the_histograms_there_beside_the_table_as_on_every_command()
    {
        var lines = TraceFiles.Generate(8, 40);
        var path = _files.Write("t.jsonl", lines);
        var json = Path.Combine(_files.Directory, "stats.json");
        var run = PeeringProcess.Run(["stats", path, "--json", json]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"1 trace, {lines.Length - 1} steps, ", run.Stdout);
        Assert.Equal(lines.Length - 1, JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.GetProperty("steps").GetInt32());

        // The JSON never replaces a trace it reads.
        var onto = PeeringProcess.Run(["stats", path, "--json", path]);
        Assert.Equal(ExitCodes.Usage, onto.ExitCode);
        Assert.Equal(lines, File.ReadAllLines(path));
    }

    [Fact]
    public void Stats_prints_a_table_reads_directories_and_gzip_and_rejects_bad_input()
    {
        var dir = Path.Combine(_files.Directory, "traces");
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "a.jsonl"), TraceFiles.Generate(1, 30));
        using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(dir, "b.jsonl.gz")), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes(string.Join('\n', TraceFiles.Generate(2, 30)) + "\n"));
        }

        var run = PeeringProcess.Run(["stats", dir]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("2 traces, 62 steps, ", run.Stdout);
        Assert.Matches(@"(?m)^Initialize\s+2\s+3\.23%$", run.Stdout);
        Assert.Matches(@"(?m)^transition\s+count\s+share$", run.Stdout);
        Assert.Matches(@"(?m)^Initial -> GetPeerInfo\s+2\s+3\.23%$", run.Stdout);

        Assert.Equal(ExitCodes.Usage, PeeringProcess.Run(["stats", Path.Combine(_files.Directory, "nothing")]).ExitCode);
        var bad = _files.Write("bad.jsonl", ["{\"kind\":\"step\"}"]);
        var malformed = PeeringProcess.Run(["stats", bad]);
        Assert.Equal(ExitCodes.Malformed, malformed.ExitCode);
        Assert.Single(malformed.ErrorLines);
        Assert.Equal("", malformed.Stdout);
    }
}
