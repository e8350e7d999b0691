using System.Text.Json;
using System.Text.Json.Nodes;
using Peering.Cli;
using Peering.StateMachines;
using Peering.TestSupport;

namespace Peering.Cli.Tests;

/// <summary>
/// <c>peering explore --shard K/N</c> and <c>--merge</c>: the merged report of every shard has the one-process
/// run's verdict, coverage and counterexample depth; reports that cannot be merged are refused with exit 3,
/// naming the file and the field.
/// </summary>
public sealed class ExploreShardTests : IDisposable
{
    // 2 OSDs, 1 object, lengths 0..1: 8 initial configurations, 64 then 194 snapshots, so N <= 3 shards split at depth 2.
    private static readonly string[] World = ["explore", "--profile", "lean-core", "--osds", "2", "--objects", "1", "--max-length", "1", "--jobs", "1"];

    private readonly string _dir = Directory.CreateTempSubdirectory("explore-shard-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Peering<TFault>(params string[] args)
        where TFault : IFault
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = PeeringTool.Create(FaultyContract<TFault>.Types).Run(args, ToolEnvironment.Capture(stdout, stderr));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string File(string name) => Path.Combine(_dir, name);

    // One process, then each shard, then the merge: the two reports (one process, merged) and the exit codes.
    private (JsonElement One, int OneCode, JsonElement Merged, int MergedCode, string[] Shards) Explore<TFault>(int depth, int shards)
        where TFault : IFault
    {
        string[] bound = [.. World, "--depth", $"{depth}"];
        var (oneCode, _, _) = Peering<TFault>([.. bound, "--json", File("one.json"), "--trace", File("one.jsonl")]);
        var reports = new string[shards];
        for (var k = 0; k < shards; k++)
        {
            reports[k] = File($"shard{k}.json");
            Peering<TFault>([.. bound, "--shard", $"{k}/{shards}", "--json", reports[k], "--trace", File($"shard{k}.jsonl")]);
        }

        var (mergedCode, output, error) = Peering<TFault>(["explore", "--merge", .. reports, "--json", File("merged.json")]);
        Assert.True(error.Length == 0, error);
        Assert.Contains($"merged: {shards} shard reports", output);
        return (Read("one.json"), oneCode, Read("merged.json"), mergedCode, reports);
    }

    private JsonElement Read(string name)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(File(name)));
        return doc.RootElement.Clone();
    }

    private static string[] Names(JsonElement list, params string[] keys) =>
        [.. list.EnumerateArray().Select(e => string.Join(" ", keys.Select(k => e.GetProperty(k).GetString())))];

    // What coverage reached, as sets of names (counts are work done, which sharding repeats).
    private static string[][] Reached(JsonElement report)
    {
        var c = report.GetProperty("coverage");
        return
        [
            Names(c.GetProperty("handled_pairs").GetProperty("reached"), "state", "event"),
            Names(c.GetProperty("handled_pairs").GetProperty("unreached"), "state", "event"),
            Names(c.GetProperty("ignored_pairs").GetProperty("reached"), "state", "event"),
            Names(c.GetProperty("single_moves").GetProperty("reached"), "from", "to"),
            Names(c.GetProperty("single_moves").GetProperty("unreached"), "from", "to"),
            Names(c.GetProperty("single_moves").GetProperty("undeclared"), "from", "to"),
            Names(c.GetProperty("step_pairs"), "from", "to"),
            Names(c.GetProperty("spec_step_pairs").GetProperty("unreached"), "from", "to"),
        ];
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Merged_shards_have_the_verdict_and_coverage_of_one_process(int shards)
    {
        var (one, oneCode, merged, mergedCode, _) = Explore<NoFault>(depth: 6, shards);

        Assert.Equal(ExitCodes.Ok, oneCode);
        Assert.Equal(ExitCodes.Ok, mergedCode);
        Assert.Equal("completed", merged.GetProperty("status").GetString());
        Assert.Equal(one.GetProperty("depth_reached").GetInt32(), merged.GetProperty("depth_reached").GetInt32());
        Assert.Equal(one.GetProperty("exhausted").GetBoolean(), merged.GetProperty("exhausted").GetBoolean());
        Assert.Equal(Reached(one), Reached(merged));

        // The split is real (deeper depths were divided), the shared depths count once, and the
        // deeper ones count at least every snapshot of one process (some in several shards).
        var shared = merged.GetProperty("shared_through_depth").GetInt32();
        Assert.InRange(shared, 0, 5);
        var oneLevels = one.GetProperty("snapshots_per_depth").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var mergedLevels = merged.GetProperty("snapshots_per_depth").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(oneLevels[..(shared + 1)], mergedLevels[..(shared + 1)]);
        Assert.All(oneLevels.Zip(mergedLevels), p => Assert.True(p.Second >= p.First));
        Assert.Equal(mergedLevels.Sum(), merged.GetProperty("distinct_snapshots").GetInt64());
        Assert.Equal(shards, merged.GetProperty("merged_shards").GetInt32());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Merged_shards_find_the_counterexample_depth_of_one_process(int shards)
    {
        var (one, oneCode, merged, mergedCode, _) = Explore<LateCleanIsBad>(depth: 6, shards);

        Assert.Equal(ExitCodes.Failure, oneCode);
        Assert.Equal(ExitCodes.Failure, mergedCode);
        Assert.Equal("violation", merged.GetProperty("status").GetString());
        var depth = one.GetProperty("violation").GetProperty("depth").GetInt32();
        Assert.True(depth > merged.GetProperty("shared_through_depth").GetInt32(), "the violation lies beyond the split");
        Assert.Equal(depth, merged.GetProperty("violation").GetProperty("depth").GetInt32());
        Assert.Equal(
            one.GetProperty("violation").GetProperty("invariants").EnumerateArray().Select(e => e.GetString()),
            merged.GetProperty("violation").GetProperty("invariants").EnumerateArray().Select(e => e.GetString()));

        // The merged report points at the trace of a shard that found it, and that trace replays to the violation's depth (+ the set-up step).
        var trace = merged.GetProperty("violation").GetProperty("trace").GetString()!;
        Assert.Matches(@"shard\d\.jsonl$", trace);
        Assert.Equal(depth + 2, System.IO.File.ReadAllLines(trace).Length);
    }

    /// <summary>A planted invariant bug deeper than the split: Clean after three map changes (epoch 13) breaks invariant 0.</summary>
    public readonly struct LateCleanIsBad : IFault
    {
        /// <inheritdoc/>
        public static ulong Violations(Machine.PgSnapshot snapshot) => snapshot.State == Machine.PgState.Clean && snapshot.Epoch >= 13 ? 1UL : 0;
    }

    // Shard reports of depth 5 in 3 shards, to be spoiled one way or another.
    private string[] Shards()
    {
        var reports = new string[3];
        for (var k = 0; k < 3; k++)
        {
            reports[k] = File($"s{k}.json");
            Assert.Equal(ExitCodes.Ok, Peering<NoFault>([.. World, "--depth", "5", "--shard", $"{k}/3", "--json", reports[k], "--trace", File("t.jsonl")]).Code);
        }

        return reports;
    }

    private static void Edit(string path, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
        edit(node);
        System.IO.File.WriteAllText(path, node.ToJsonString());
    }

    private void Refused(string[] reports, string file, string field)
    {
        var (code, output, error) = Peering<NoFault>(["explore", "--merge", .. reports]);
        Assert.Equal(ExitCodes.Malformed, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"peering: {file}: field '{field}'", error);
        Assert.DoesNotContain("result:", output);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_missing_shard_is_refused()
    {
        var r = Shards();
        Refused([r[0], r[2]], r[0], "shard.count");
    }

    [Fact]
    public void A_shard_given_twice_is_refused()
    {
        var r = Shards();
        Refused([r[0], r[1], r[1]], r[1], "shard.index");
    }

    [Fact]
    public void A_shard_of_another_bound_is_refused()
    {
        var r = Shards();
        Edit(r[1], o => o["depth"] = 6);
        Refused(r, r[1], "depth");
    }

    [Fact]
    public void A_shard_of_another_world_is_refused()
    {
        var r = Shards();
        Edit(r[2], o => o["osds"] = 3);
        Refused(r, r[2], "world parameters");
    }

    [Fact]
    public void A_shard_of_another_split_is_refused()
    {
        var r = Shards();
        Edit(r[1], o => o["shard"]!["count"] = 4);
        Refused(r, r[1], "shard.count");
    }

    [Fact]
    public void A_shard_index_not_below_the_count_is_refused()
    {
        var r = Shards();
        Edit(r[2], o => o["shard"]!["index"] = 3);
        Refused(r, r[2], "shard.index");
    }

    [Fact]
    public void A_negative_count_is_refused()
    {
        var r = Shards();
        Edit(r[0], o => o["transitions"] = -1);
        Refused(r, r[0], "transitions");
    }

    [Fact]
    public void A_null_field_is_refused()
    {
        var r = Shards();
        Edit(r[1], o => o["status"] = null);
        Refused(r, r[1], "status");
    }

    [Fact]
    public void A_missing_field_is_refused()
    {
        var r = Shards();
        Edit(r[1], o => o["coverage"]!.AsObject().Remove("step_pairs"));
        Refused(r, r[1], "coverage.step_pairs");
    }

    [Fact]
    public void Counts_that_do_not_add_up_are_refused()
    {
        var r = Shards();
        Edit(r[0], o => o["distinct_snapshots"] = 1);
        Refused(r, r[0], "distinct_snapshots");
    }

    [Fact]
    public void Counts_that_overflow_together_are_refused()
    {
        var r = Shards();
        Edit(r[0], o => o["coverage"]!["step_pairs"]![0]!["count"] = long.MaxValue);
        Edit(r[1], o => o["coverage"]!["step_pairs"]![0]!["count"] = long.MaxValue);
        var (code, _, error) = Peering<NoFault>(["explore", "--merge", .. r]);
        Assert.Equal(ExitCodes.Malformed, code);
        Assert.StartsWith($"peering: {r[1]}: the counts overflow", error);
    }

    [Fact]
    public void A_report_of_a_whole_run_is_not_a_shard()
    {
        var r = Shards();
        Edit(r[0], o => o.Remove("shard"));
        Refused(r, r[0], "shard");
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused()
    {
        var r = Shards();
        System.IO.File.WriteAllText(r[1], "{\"depth\": 5,");
        var (code, _, error) = Peering<NoFault>(["explore", "--merge", .. r]);
        Assert.Equal(ExitCodes.Malformed, code);
        Assert.StartsWith($"peering: {r[1]}: not JSON", error);
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/2")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void A_bad_shard_is_a_usage_error(string shard)
    {
        var (code, _, error) = Peering<NoFault>([.. World, "--shard", shard]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--shard must be K/N", error);
    }

    [Fact]
    public void Merge_with_shard_is_a_usage_error()
    {
        var (code, _, error) = Peering<NoFault>(["explore", "--merge", File("a.json"), "--shard", "0/2"]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--merge", error);
    }
}
