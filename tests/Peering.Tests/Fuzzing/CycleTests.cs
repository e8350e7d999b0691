using Peering.Generation;
using Peering.Machine;
using Peering.TestSupport;

namespace Peering.Tests.Fuzzing;

/// <summary>One fuzz cycle: what it checks on every step, and how each kind of fault fails it.</summary>
public class CycleTests
{
    private static readonly FuzzSettings LeanCore = new() { Profile = "lean-core" };

    private static readonly string[] ImageInvariant = ["image_invariant"];

    private static CycleSpec Spec(ulong seed, long events = 600) => new(0, seed, events);

    // The first cycles of lean-core (seeds 1..n, 600 events) on a faulty reducer; the first failure.
    private static CycleOutcome FirstFailure<TFault>(FuzzSettings settings, int seeds = 60)
        where TFault : IFault
    {
        var runner = Faulty<TFault>.Runner(settings);
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            var outcome = runner.Run(Spec(seed));
            if (outcome.Failure is not null)
            {
                return outcome;
            }
        }

        throw new Xunit.Sdk.XunitException("no cycle failed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cycles_of_the_real_reducer_pass_and_count_every_step(bool roundTrip)
    {
        var runner = new PeeringTools.CycleRunner(LeanCore with { RoundTrip = roundTrip, RequiredChecks = ImageInvariant }, PeeringEvents.Instance);
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var outcome = runner.Run(Spec(seed));
            Assert.Null(outcome.Failure);
            Assert.Equal(Lines(Generate(seed, 600)) - 1, outcome.Steps);
        }
    }

    [Fact]
    public void A_cycle_records_exactly_the_trace_generate_writes()
    {
        var spec = LeanCore.Cycle(5);
        using var recorded = new MemoryStream();
        new PeeringTools.CycleRunner(LeanCore, PeeringEvents.Instance).Run(spec, record: recorded);
        Assert.Equal(Generate(spec.Seed, spec.EventsBound), recorded.ToArray());
    }

    [Fact]
    public void A_reducer_fault_is_an_invariant_violation_at_the_step_it_fires()
    {
        var fired = FaultCounter<Overshoot>.Fired;
        var outcome = FirstFailure<Overshoot>(LeanCore);
        var failure = outcome.Failure!;
        Assert.Equal(FailureKind.Invariant, failure.Kind);
        Assert.Equal("ReplicaRecoveryComplete", failure.EventType);

        // INVARIANTS.md §2: the local sequence above auth_seq breaks I5, and it raises the census maximum (I3).
        Assert.Contains("local_within_authority", failure.Invariants);
        Assert.Contains("seq_matches_census", failure.Invariants);
        Assert.Equal(failure.Step + 1, outcome.Steps);
        Assert.True(FaultCounter<Overshoot>.Fired > fired);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_fault_in_only_one_path_is_a_round_trip_failure(bool inFastPath)
    {
        var settings = LeanCore with { RoundTrip = true };
        var outcome = inFastPath ? FirstFailure<OvershootInFastPath>(settings) : FirstFailure<OvershootInPureStep>(settings);
        var failure = outcome.Failure!;

        // With the fault in the fast path only, the invariants see it first (the written snapshot is corrupt).
        Assert.Equal(inFastPath ? FailureKind.Invariant : FailureKind.RoundTrip, failure.Kind);
        if (failure.Kind == FailureKind.RoundTrip)
        {
            Assert.Equal("the pure step from the parsed before disagrees: after differs", failure.What);
            Assert.Contains(failure.Differences, d => d.Path == "$.after.local_info.committed_seq");
        }
    }

    [Fact]
    public void Without_the_round_trip_a_fault_in_the_pure_step_goes_unseen()
    {
        var runner = Faulty<OvershootInPureStep>.Runner(LeanCore with { RoundTrip = false });
        for (ulong seed = 1; seed <= 30; seed++)
        {
            Assert.Null(runner.Run(Spec(seed)).Failure);
        }
    }

    [Fact]
    public void Image_invariant_false_fails_a_cycle_only_when_required()
    {
        var fired = FaultCounter<PhantomBlobMeta>.Fired;
        var runner = Faulty<PhantomBlobMeta>.Runner(LeanCore);
        for (ulong seed = 1; seed <= 10; seed++)
        {
            Assert.Null(runner.Run(Spec(seed)).Failure);
        }

        Assert.True(FaultCounter<PhantomBlobMeta>.Fired > fired);
        var failure = FirstFailure<PhantomBlobMeta>(LeanCore with { RequiredChecks = ImageInvariant }).Failure!;
        Assert.Equal(FailureKind.Check, failure.Kind);
        Assert.Equal("after_checks.image_invariant is false", failure.What);
        Assert.Equal("ActivateCommitted", failure.EventType);
    }

    [Fact]
    public void A_reducer_that_throws_fails_the_cycle_with_the_exception()
    {
        var outcome = FirstFailure<ThrowsOnTimeout>(LeanCore);
        Assert.Equal(FailureKind.Exception, outcome.Failure!.Kind);
        Assert.Equal("PeerQueryTimeout", outcome.Failure.EventType);
        Assert.Contains("InvalidOperationException: boom", outcome.Failure.What);
        Assert.Equal(outcome.Failure.Step, outcome.Steps);
    }

    [Fact]
    public void The_round_trip_rejects_a_line_that_does_not_read_back()
    {
        // The verifier is given lines the fast path did not write: a changed after, a changed before.
        var trace = PeeringTools.SteppedTrace.Generated(PeeringEvents.Instance, "lean-core", 3, 100);
        var encoder = new PeeringTools.StepEncoder();
        var verifier = new PeeringTools.RoundTripVerifier();
        CycleFailure? failure = null;
        while (failure is null && trace.MoveNext())
        {
            var checks = PeeringMachine.EvaluateChecks(trace.After);
            var line = System.Text.Encoding.UTF8.GetString(encoder.EncodeStep(trace.Step, trace.From, trace.To, trace.Event, trace.After, checks, trace.Effects));
            if (trace.Step == 5)
            {
                var at = line.LastIndexOf("\"last_peering_reset\":", StringComparison.Ordinal);
                line = line[..at] + "\"last_peering_reset\":9" + line[line.IndexOf('}', at)..];
            }

            failure = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(line), trace.Event, trace.From, trace.To, trace.After, checks, trace.Effects);
        }

        Assert.NotNull(failure);
        Assert.Equal(5, failure.Step);
        Assert.Equal("after does not read back as written", failure.What);
        Assert.Equal("$.after.last_peering_reset", Assert.Single(failure.Differences).Path);
    }

    [Fact]
    public void Failures_fail_the_same_way_by_kind_event_invariants_and_paths()
    {
        CycleFailure Failure(FailureKind kind, string ev, string[] invariants, params string[] paths) =>
            new(kind, 3, ev, "what", invariants, [.. paths.Select(p => new FieldDifference(p, "1", "2"))]);

        var a = Failure(FailureKind.Invariant, "AdvanceMap", ["seq_matches_census"]);
        Assert.True(a.SameWayAs(Failure(FailureKind.Invariant, "AdvanceMap", ["seq_matches_census"]) with { Step = 9 }));
        Assert.False(a.SameWayAs(Failure(FailureKind.Invariant, "AdvanceMap", ["local_plan_exact"])));
        Assert.False(a.SameWayAs(Failure(FailureKind.Invariant, "PeerInfoReceived", ["seq_matches_census"])));
        Assert.False(a.SameWayAs(Failure(FailureKind.Check, "AdvanceMap", ["seq_matches_census"])));
        var d = Failure(FailureKind.Divergence, "AdvanceMap", [], "$.after.peer_info[2].committed_seq");
        Assert.True(d.SameWayAs(Failure(FailureKind.Divergence, "AdvanceMap", [], "$.after.peer_info[0].committed_seq")));
        Assert.False(d.SameWayAs(Failure(FailureKind.Divergence, "AdvanceMap", [], "$.after.auth_seq")));
    }

    // What peering generate --profile lean-core writes for the seed and bound.
    private static byte[] Generate(ulong seed, long events)
    {
        using var output = new MemoryStream();
        PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, "lean-core", seed, events);
        return output.ToArray();
    }

    private static int Lines(byte[] trace) => trace.Count(b => b == (byte)'\n');
}
