using System.Text;
using System.Text.Json.Nodes;
using Peering.Generation;

namespace Peering.Tests.Traces;

/// <summary>
/// The replay checker (TRACE-SCHEMA.md §7): what counts as agreement, what is a divergence, and
/// what a divergence report says. Inputs are traces this reducer wrote, then edited by hand.
/// </summary>
public class ReplayerTests
{
    private static List<string> Lines(ulong seed = 5, Profile profile = Profile.LeanCore, long events = 40)
    {
        using var output = new MemoryStream();
        PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, (profile).Name(), seed, events);
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static ReplayReport Replay(IEnumerable<string> lines) =>
        new PeeringTools.Replayer().Run([TraceInput.Memory("t.jsonl", Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"))]);

    private static string Edit(string line, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    [Fact]
    public void A_trace_as_written_agrees()
    {
        var lines = Lines();
        var report = Replay(lines);
        Assert.Null(report.Divergence);
        Assert.Equal(lines.Count - 1, report.Steps);
        Assert.Equal(1, report.Traces);
    }

    [Fact]
    public void A_changed_after_snapshot_is_reported_with_only_the_differing_field()
    {
        var lines = Lines();
        var last = lines.Count - 2;
        lines[last] = Edit(lines[last], o => o["after"]!["epoch"] = 9999);

        var d = Replay(lines).Divergence!;
        Assert.Equal("t.jsonl", d.File);
        Assert.Equal(last + 1, d.Line);
        Assert.Equal(last, d.Step);
        Assert.Equal("after snapshot differs", d.What);
        var only = Assert.Single(d.Differences);
        Assert.Equal("$.after.epoch", only.Path);
        Assert.Equal("9999", only.Expected);
    }

    [Fact]
    public void The_first_divergence_stops_the_replay_at_its_line()
    {
        var lines = Lines();
        lines[3] = Edit(lines[3], o => o["before"]!["pool_size"] = 77);
        lines[6] = Edit(lines[6], o => o["after"]!["pool_size"] = 77);

        var report = Replay(lines);
        Assert.Equal(4, report.Divergence!.Line);
        Assert.StartsWith("input snapshot mismatch", report.Divergence.What);
        Assert.Equal(4, report.Steps);
    }

    [Fact]
    public void Effects_in_another_order_agree_as_for_the_reference_checker()
    {
        var lines = Lines();
        var at = lines.FindIndex(l => JsonNode.Parse(l)!["effects"] is JsonArray { Count: >= 2 });
        lines[at] = Edit(lines[at], o =>
        {
            var effects = o["effects"]!.AsArray();
            var first = effects[0]!.DeepClone();
            effects.RemoveAt(0);
            effects.Add(first);
        });

        Assert.Null(Replay(lines).Divergence);
    }

    [Fact]
    public void A_missing_effect_is_a_divergence()
    {
        var lines = Lines();
        var at = lines.FindIndex(l => JsonNode.Parse(l)!["effects"] is JsonArray { Count: >= 1 });
        lines[at] = Edit(lines[at], o => o["effects"]!.AsArray().RemoveAt(0));

        var d = Replay(lines).Divergence!;
        Assert.Equal("effects differ", d.What);
        Assert.Equal("$.effects", d.Differences[0].Path);
    }

    [Theory]
    [InlineData("to_state", "to_state differs")]
    [InlineData("from_state", "from_state differs")]
    public void A_changed_state_name_is_a_divergence(string key, string what)
    {
        var lines = Lines();
        lines[2] = Edit(lines[2], o => o[key] = o[key]!.GetValue<string>() == "Deleting" ? "Clean" : "Deleting");

        var d = Replay(lines).Divergence!;
        Assert.Equal(what, d.What);
        Assert.Equal("$." + key, d.Differences[0].Path);
    }

    [Fact]
    public void Changed_checks_are_a_divergence()
    {
        var lines = Lines();
        lines[2] = Edit(lines[2], o => o["after_checks"]!["image_invariant"] = false);

        var d = Replay(lines).Divergence!;
        Assert.Equal("after_checks differ", d.What);
        Assert.Equal(new FieldDifference("$.after_checks.image_invariant", "false", "true"), Assert.Single(d.Differences));
    }

    [Fact]
    public void Several_traces_in_one_stream_each_start_from_the_fresh_snapshot()
    {
        var first = Lines(seed: 1);
        var second = Lines(seed: 2, profile: Profile.Full);
        var report = Replay([.. first, "", .. second]);
        Assert.Null(report.Divergence);
        Assert.Equal(2, report.Traces);
        Assert.Equal(first.Count + second.Count - 2, report.Steps);
    }

    [Fact]
    public void Rewrite_reproduces_a_trace_this_reducer_wrote_byte_for_byte()
    {
        var text = string.Join('\n', Lines(seed: 9, profile: Profile.Full)) + "\n";
        using var output = new MemoryStream();
        new PeeringTools.Replayer(output).Run([TraceInput.Memory("t.jsonl", Encoding.UTF8.GetBytes(text))]);
        Assert.Equal(text, Encoding.UTF8.GetString(output.ToArray()));
    }
}
