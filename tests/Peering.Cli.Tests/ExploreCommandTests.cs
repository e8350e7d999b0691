using System.Text.Json;
using Peering.Cli;
using Peering.Machine;
using Peering.StateMachines;
using Peering.TestSupport;

namespace Peering.Cli.Tests;

/// <summary><c>peering explore</c>: exit codes, the report, the JSON file and the counterexample trace.</summary>
public sealed class ExploreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("explore-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // peering explore in process over the world of 2 OSDs, 1 object, lengths 0..1, on the reducer with TFault.
    private (int Code, string Out, string Err) Run<TFault>(int depth = 4, long maxStates = 1_000_000)
        where TFault : IFault
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args =
        [
            "explore", "--profile", "lean-core", "--osds", "2", "--objects", "1", "--max-length", "1", "--depth", $"{depth}", "--jobs", "2",
            "--max-states", $"{maxStates}", "--json", Path.Combine(_dir, "report.json"), "--trace", Path.Combine(_dir, "cex.jsonl"),
        ];
        var code = PeeringTool.Create(FaultyContract<TFault>.Types).Run(args, ToolEnvironment.Capture(stdout, stderr));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private (int Code, string Out, string Err) Run(int depth = 4, long maxStates = 1_000_000) => Run<NoFault>(depth, maxStates);

    [Fact]
    public void Small_bound_completes_with_exit_0_and_reports_figures_and_coverage()
    {
        var (code, output, progress) = Run();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("result: no violation", output);
        Assert.Contains("distinct snapshots: ", output);
        Assert.Contains("transitions taken: ", output);
        Assert.Contains("depth reached: 4", output);
        Assert.Contains("peak memory: ", output);
        Assert.Contains("REDUCER.md §13 pairs reachable from a generated start: 33/33 reached", output);
        Assert.Contains("depth 4: ", progress);
        Assert.False(File.Exists(Path.Combine(_dir, "cex.jsonl")));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "report.json")));
        var root = json.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("lean-core", root.GetProperty("profile").GetString());
        Assert.Equal(8, root.GetProperty("snapshots_per_depth")[0].GetInt64());
        Assert.Equal(5, root.GetProperty("snapshots_per_depth").GetArrayLength());
        Assert.True(root.GetProperty("transitions").GetInt64() > root.GetProperty("distinct_snapshots").GetInt64());
        var coverage = root.GetProperty("coverage");
        Assert.Equal(33, coverage.GetProperty("spec_step_pairs").GetProperty("reachable_from_generated_start").GetArrayLength());
        Assert.Equal(0, coverage.GetProperty("spec_step_pairs").GetProperty("unreached").GetArrayLength());
        Assert.Equal(0, coverage.GetProperty("single_moves").GetProperty("undeclared").GetArrayLength());

        // Reset is never entered (REDUCER.md §12), so no single move out of it is made.
        Assert.Contains(
            coverage.GetProperty("single_moves").GetProperty("unreached").EnumerateArray(),
            m => m.GetProperty("from").GetString() == "Reset" && m.GetProperty("to").GetString() == "GetPeerInfo");
    }

    [Fact]
    public void State_bound_stops_with_exit_5()
    {
        var (code, output, _) = Run(maxStates: 20);

        Assert.Equal(5, code);
        Assert.Equal(ExitCodes.StateBound, code);
        Assert.Contains("--max-states", output);
        Assert.Contains("distinct snapshots: 20", output);
    }

    [Fact]
    public void Planted_violation_exits_1_and_writes_a_trace_that_replays()
    {
        // Plant: "Clean is a violation". The first initial configuration is pool 2, min size 1,
        // acting [0, 1], empty local image; the first event of its alphabet is 1 reporting an empty
        // image, after which nothing is short: Clean after one event.
        var (code, output, _) = Run<CleanIsBad>();

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("violation: sources_backed after 1 event from", output);
        var path = Path.Combine(_dir, "cex.jsonl");
        Assert.Contains(path, output);
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("""{"kind":"step","step":0,"from_state":"Initial","to_state":"GetPeerInfo","event":{"type":"Initialize",""", lines[0]);
        Assert.StartsWith("""{"kind":"step","step":1,"from_state":"GetPeerInfo","to_state":"Clean","event":{"type":"PeerInfoReceived","from":1,""", lines[1]);
        Assert.Equal("""{"kind":"summary","seed":0,"events":2}""", lines[2]);

        var replay = new PeeringTools.Replayer().Run([TraceInput.File(path)]);
        Assert.Null(replay.Divergence);
        Assert.Equal(2, replay.Steps);
    }

    [Theory]
    [InlineData("explore", "--osds", "1")]
    [InlineData("explore", "--objects", "0")]
    [InlineData("explore", "--depth", "-1")]
    [InlineData("explore", "--jobs", "0")]
    [InlineData("explore", "--max-states", "0")]
    [InlineData("explore", "--profile", "bogus")]
    [InlineData("explore", "--depth", "eight")]
    public void Bad_arguments_exit_2(params string[] args)
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, PeeringTool.Create().Run(args, ToolEnvironment.Capture(new StringWriter(), stderr)));
        Assert.EndsWith("Run 'peering --help' for usage.", stderr.ToString().TrimEnd());
    }
}
