using System.Text;
using System.Text.Json.Nodes;
using Peering.Generation;
using Peering.Machine;
using Peering.Model;
using Peering.TestSupport;

namespace Peering.Tests.Shrinking;

/// <summary>ddmin, field simplification, and the shrinker on an injected fault and on a recorded divergence.</summary>
public class ShrinkerTests
{
    [Fact]
    public void Ddmin_finds_the_two_elements_that_together_fail()
    {
        var tests = 0;
        var result = DeltaDebugging.Minimize(Enumerable.Range(0, 40).ToList(), c =>
        {
            tests++;
            return c.Contains(3) && c.Contains(29) ? c : null;
        });
        Assert.Equal([3, 29], result);
        Assert.InRange(tests, 1, 200);
    }

    [Fact]
    public void Ddmin_results_are_one_minimal()
    {
        // Fails while at least 3 even numbers remain: the result keeps exactly 3 elements, all even.
        IReadOnlyList<int>? Fails(IReadOnlyList<int> c) => c.Count(x => x % 2 == 0) >= 3 ? c : null;
        var result = DeltaDebugging.Minimize(Enumerable.Range(0, 25).ToList(), Fails);
        Assert.Equal(3, result.Count);
        Assert.All(result, x => Assert.Equal(0, x % 2));
        Assert.All(Enumerable.Range(0, result.Count), i => Assert.Null(Fails([.. result.Where((_, j) => j != i)])));
    }

    [Fact]
    public void Ddmin_takes_the_prefix_a_test_returns()
    {
        // A test that cuts the candidate after its failing element (as a failing step ends a trace).
        var result = DeltaDebugging.Minimize(Enumerable.Range(0, 30).ToList(), c => c.Contains(7) ? [.. c.TakeWhile(x => x != 7), 7] : null);
        Assert.Equal([7], result);
    }

    [Fact]
    public void Event_variants_are_valid_and_strictly_smaller()
    {
        var e = new AdvanceMap(
            21, new(ValueList.Create<int>([2, 0, 1]), 21), new(ValueList.Create<int>([2, 0, 1]), 21), 3, 2, ValueList.Create<int>([4, 4]));
        var variants = PeeringTools.EventSimplifier.Variants(e).ToList();
        var size = PeeringTools.EventSimplifier.Size(Node(e));
        Assert.NotEmpty(variants);
        Assert.All(variants, v => Assert.True(PeeringTools.EventSimplifier.Size(Node(v)) < size));
        Assert.Contains(variants, v => v is AdvanceMap { PriorOsds.Count: 1 });
        Assert.Contains(variants, v => v is AdvanceMap { PriorOsds.IsEmpty: true });
        Assert.Contains(variants, v => v is AdvanceMap { NewEpoch: 0 });
        Assert.Contains(variants, v => v is AdvanceMap { NewEpoch: 10 });
        Assert.Contains(variants, v => v is AdvanceMap { NewEpoch: 20 });
        Assert.Contains(variants, v => v is AdvanceMap { NewPoolMinSize: 1 });
        Assert.DoesNotContain(variants, v => v == e);
    }

    [Fact]
    public void Variants_that_break_a_wire_rule_are_left_out()
    {
        // An image must stay in ascending object order: shrinking object 5 to 0 would repeat object 0.
        var image = ObjectMap.Create<ImageEntry>([new(0, 3), new(5, 2)]);
        var e = new ReplicaRecoveryComplete(0, 0, image, 0);
        Assert.All(PeeringTools.EventSimplifier.Variants(e).Cast<ReplicaRecoveryComplete>(), v =>
        {
            var objs = v.RecoveredImage.AsSpan().ToArray().Select(x => x.Obj).ToList();
            Assert.Equal(objs.Distinct().Order(), objs);
        });
    }

    [Fact]
    public void Json_paths_read_and_write_values()
    {
        var node = JsonNode.Parse("""{"after":{"peer_info":[{"osd":1},{"osd":2}]},"effects":[]}""")!;
        Assert.Equal(2, JsonPath.Get(node, "$.after.peer_info[1].osd")!.GetValue<int>());
        Assert.Null(JsonPath.Get(node, "$.after.peer_info[2].osd"));
        Assert.True(JsonPath.TrySet(node, "$.after.peer_info[0].osd", 7));
        Assert.True(JsonPath.TrySet(node, "$.effects", new JsonArray(1)));
        Assert.False(JsonPath.TrySet(node, "$.after.missing", 1));
        Assert.Equal("""{"after":{"peer_info":[{"osd":7},{"osd":2}]},"effects":[1]}""", node.ToJsonString());
    }

    [Fact]
    public void The_fuzzer_finds_an_injected_fault_and_the_shrinker_reduces_it_to_a_handful_of_steps()
    {
        var fs = new MemoryFileSystem();
        var settings = new FuzzSettings { Profile = "lean-core", Cycles = 64, StopOnFirstFailure = true };
        var summary = Faulty<Overshoot>.Campaign(settings, FailureStore.Open("/f", fs), jobs: 2).Run();
        var found = Assert.Single(summary.Failures);
        Assert.Equal("invariant", found.Kind);
        Assert.True(found.Step >= 3, "the generated failing trace is longer than the minimum");

        var trace = TraceInput.Memory("found.jsonl", fs.ReadAllBytes("/f/" + found.Trace));
        var result = Faulty<Overshoot>.Shrinker().Shrink(trace);

        // At least 3 steps (an Initialize as a replica, a ReplicaActivate, the ReplicaRecoveryComplete); ddmin keeps 4
        // from generated traces (their Initialize is a primary: an AdvanceMap makes it a replica).
        Assert.InRange(result.KeptSteps, 3, 5);
        Assert.Equal(found.Step + 1, result.OriginalSteps);
        Assert.Equal(FailureKind.Invariant, result.Shrunk.Kind);
        Assert.True(result.Shrunk.SameWayAs(result.Original));
        Assert.Equal(result.KeptSteps - 1, result.Shrunk.Step);

        // The shrunk file is a well-formed trace of the kept steps, and it still fails the same way.
        var steps = PeeringTools.TraceReader.ReadSteps(TraceInput.Memory("shrunk", result.Trace)).ToList();
        Assert.Equal(result.KeptSteps, steps.Count);
        Assert.IsType<ReplicaRecoveryComplete>(steps[^1].Step.Event);
        var again = Faulty<Overshoot>.Shrinker().Shrink(TraceInput.Memory("shrunk", result.Trace));
        Assert.True(again.Original.SameWayAs(result.Original));
        Assert.Equal(result.KeptSteps, again.KeptSteps);
    }

    [Fact]
    public void A_round_trip_failure_shrinks_as_a_round_trip_failure()
    {
        var fs = new MemoryFileSystem();
        var summary = Faulty<OvershootInPureStep>.Campaign(new FuzzSettings { StopOnFirstFailure = true }, FailureStore.Open("/f", fs), 1).Run();
        var found = Assert.Single(summary.Failures);
        Assert.Equal("round-trip", found.Kind);
        var result = Faulty<OvershootInPureStep>.Shrinker().Shrink(TraceInput.Memory("found", fs.ReadAllBytes("/f/" + found.Trace)));
        Assert.Equal(FailureKind.RoundTrip, result.Shrunk.Kind);
        Assert.InRange(result.KeptSteps, 3, 5);
    }

    [Fact]
    public void A_recorded_divergence_shrinks_to_a_trace_that_replays_to_the_same_divergence()
    {
        // A generated trace with one recorded value changed: the reducer disagrees at that step.
        using var output = new MemoryStream();
        PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, "lean-core", 5, 300);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = JsonNode.Parse(lines[120])!;
        line["after"]!["auth_seq"] = line["after"]!["auth_seq"]!.GetValue<ulong>() + 7;
        lines[120] = line.ToJsonString();
        var tampered = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        var original = new PeeringTools.Replayer().Run([TraceInput.Memory("tampered", tampered)]).Divergence!;
        Assert.Equal(120, original.Step);

        var result = new PeeringTools.Shrinker().Shrink(TraceInput.Memory("tampered", tampered));
        Assert.Equal(FailureKind.Divergence, result.Original.Kind);
        Assert.InRange(result.KeptSteps, 1, 40);
        var shrunk = new PeeringTools.Replayer().Run([TraceInput.Memory("shrunk", result.Trace)]).Divergence!;
        Assert.Equal(result.KeptSteps - 1, shrunk.Step);
        Assert.Equal(original.EventType, shrunk.EventType);
        Assert.Equal(original.What, shrunk.What);
        Assert.Equal(original.Differences, shrunk.Differences);

        // The last line is the recorded one (renumbered), not a value made up for the shorter trace.
        var last = JsonNode.Parse(Encoding.UTF8.GetString(result.Trace).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^2])!;
        last["step"] = 120;
        Assert.True(JsonNode.DeepEquals(line, last));
    }

    [Fact]
    public void A_trace_that_does_not_fail_has_nothing_to_shrink()
    {
        using var output = new MemoryStream();
        PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, "full", 9, 100);
        Assert.Throws<NothingToShrinkException>(() => new PeeringTools.Shrinker().Shrink(TraceInput.Memory("clean", output.ToArray())));
    }

    [Fact]
    public void Image_invariant_false_is_shrunk_only_when_required()
    {
        var fs = new MemoryFileSystem();
        var settings = new FuzzSettings { RequiredChecks = ["image_invariant"], StopOnFirstFailure = true };
        var found = Assert.Single(Faulty<PhantomBlobMeta>.Campaign(settings, FailureStore.Open("/f", fs), 1).Run().Failures);
        var trace = TraceInput.Memory("found", fs.ReadAllBytes("/f/" + found.Trace));
        Assert.Throws<NothingToShrinkException>(() => Faulty<PhantomBlobMeta>.Shrinker().Shrink(trace));
        var result = Faulty<PhantomBlobMeta>.Shrinker(new ShrinkOptions { RequiredChecks = ["image_invariant"] }).Shrink(trace);
        Assert.Equal(FailureKind.Check, result.Shrunk.Kind);
        Assert.True(result.KeptSteps <= 6, $"kept {result.KeptSteps}");
    }

    private static JsonNode Node(PgEvent e) => JsonNode.Parse(CompactJsonWriter.Encode(w => PeeringMachineJson.WriteEvent(w, e)))!;
}
