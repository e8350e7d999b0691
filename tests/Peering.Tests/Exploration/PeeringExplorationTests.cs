using Peering.Exploration;
using Peering.Generation;
using Peering.Machine;

namespace Peering.Tests.Exploration;

/// <summary>
/// The reducer explored at a small bound (CI: seconds): no invariant fails, one thread and two agree on
/// every count, and every step-level pair that REDUCER.md §13 makes reachable from a generated start is
/// reached. For each pair a witness is worked out by hand from REDUCER.md §7 (the comments) and
/// checked first: it is a path through the explored alphabet no longer than the bound that ends with
/// that step.
/// </summary>
public sealed class PeeringExplorationTests
{
    // Two OSDs, object 0, lengths 0..1. Every witness below starts from whoami 0 with acting = up = [0, 1], pool size 2.
    private static readonly ExplorationWorld World = new(Profile.LeanCore, 2, 1, 1);
    private const int Depth = 5;

    private static readonly Lazy<ExplorationResult<PgSnapshot, PgEvent>> OneThread = new(() => Explore(1));
    private static readonly Lazy<ExplorationResult<PgSnapshot, PgEvent>> TwoThreads = new(() => Explore(2));

    private static ExplorationResult<PgSnapshot, PgEvent> Explore(int jobs) =>
        PeeringTools.Exploration.Run(World, new ExplorationOptions { MaxDepth = Depth, Jobs = jobs });

    private delegate bool Pick(PgSnapshot s, PgEvent e);

    private sealed record Witness(PgState From, PgState To, int MinSize, ulong LocalLength, Pick[] Events);

    // Initialize (step 0) with min size m and local length n, then the events.
    private static Witness W(PgState from, PgState to, int m, ulong n, params Pick[] events) => new(from, to, m, n, events);

    private static Pick Report(int from, ulong length) => (s, e) =>
        e is PeerInfoReceived p && p.From == from && p.Info.CommittedSeq == length && p.Info.CommittedLength == length && p.QueryEpoch == s.LastPeeringReset;

    private static Pick Timeout(int peer) => (_, e) => e is PeerQueryTimeout t && t.Peer == peer;

    private static Pick Map(int[] acting, int? minSize = null, int[]? prior = null) => (s, e) =>
        e is AdvanceMap m && m.NewActing.Osds.AsSpan().SequenceEqual(acting) && m.NewPoolMinSize == (minSize ?? s.PoolMinSize)
        && m.PriorOsds.AsSpan().SequenceEqual(prior ?? []);

    private static Pick SameMap(int minSize) => (s, e) =>
        e is AdvanceMap m && m.NewActing.Osds == s.Acting.Osds && m.NewPoolMinSize == minSize;

    private static Pick UpThru => (s, e) => e is UpThruUpdated u && u.Epoch == s.Epoch;

    private static Pick Recovered(int peer) => (s, e) => e is RecoveryComplete r && r.Peer == peer && r.Epoch == s.LastPeeringReset;

    private static Pick Activate => (s, e) => e is ReplicaActivate a && a.ActivationEpoch == s.Epoch;

    private static readonly Witness[] Witnesses =
    [
        // Initialize: whoami 0 leads [0, 1] and queries 1.
        W(PgState.Initial, PgState.GetPeerInfo, 1, 0),
        // 1 reports the local length: want [0, 1], LIS 10 = epoch, nothing short.
        W(PgState.GetPeerInfo, PgState.Clean, 1, 1, Report(1, 1)),
        // 1 reports 0 < 1: activation schedules recovery of 1.
        W(PgState.GetPeerInfo, PgState.Recovering, 1, 1, Report(1, 0)),
        // 1 times out: want [0] is below min size 2.
        W(PgState.GetPeerInfo, PgState.Down, 2, 0, Timeout(1)),
        // New interval [0]: nothing to probe, want [0], LIS 10 < epoch 11: need up_thru.
        W(PgState.GetPeerInfo, PgState.WaitUpThru, 1, 0, Map([0])),
        // New interval [1] without whoami: stray.
        W(PgState.GetPeerInfo, PgState.Stray, 1, 0, Map([1])),
        // up_thru at epoch 11 with only whoami acting: activates, nothing to recover.
        W(PgState.WaitUpThru, PgState.Clean, 1, 0, Map([0]), UpThru),
        // Same map (epoch 11), 1 reports 1 > local 0: up_thru needed; once confirmed the local copy is short.
        W(PgState.WaitUpThru, PgState.Recovering, 1, 0, SameMap(1), Report(1, 1), UpThru),
        // From WaitUpThru, a new interval led by 0 with 1 to probe.
        W(PgState.WaitUpThru, PgState.GetPeerInfo, 1, 0, Map([0]), Map([0, 1])),
        W(PgState.WaitUpThru, PgState.Stray, 1, 0, Map([0]), Map([1])),
        // 1 times out (want [0], WaitUpThru), min size rises to 2 (pool update, epoch 12), then up_thru
        // at 12: activation finds 1 acting member known < 2.
        W(PgState.WaitUpThru, PgState.Down, 1, 0, SameMap(1), Timeout(1), SameMap(2), UpThru),
        // 1 was short (Recovering, target 1); its recovery completes: nothing left.
        W(PgState.Recovering, PgState.Clean, 1, 1, Report(1, 0), Recovered(1)),
        // From Recovering: [0] with prior 1 (something to probe), [0] alone, [1].
        W(PgState.Recovering, PgState.GetPeerInfo, 1, 1, Report(1, 0), Map([0], prior: [1])),
        W(PgState.Recovering, PgState.WaitUpThru, 1, 1, Report(1, 0), Map([0])),
        W(PgState.Recovering, PgState.Stray, 1, 1, Report(1, 0), Map([1])),
        // 1 timed out, activation with 1 unknown (short): Recovering; min size 2 > 1 known member: MinSizeDown.
        W(PgState.Recovering, PgState.Down, 1, 1, Timeout(1), SameMap(2)),
        W(PgState.Clean, PgState.GetPeerInfo, 1, 1, Report(1, 1), Map([0], prior: [1])),
        W(PgState.Clean, PgState.WaitUpThru, 1, 1, Report(1, 1), Map([0])),
        W(PgState.Clean, PgState.Stray, 1, 1, Report(1, 1), Map([1])),
        // 1 timed out with nothing anywhere (length 0): Clean; min size 2: MinSizeDown.
        W(PgState.Clean, PgState.Down, 1, 0, Timeout(1), SameMap(2)),
        W(PgState.Stray, PgState.GetPeerInfo, 1, 0, Map([1]), Map([0, 1])),
        W(PgState.Stray, PgState.WaitUpThru, 1, 0, Map([1]), Map([0])),
        W(PgState.Stray, PgState.Down, 2, 0, Map([1]), Map([0])),
        // [1, 0]: a replica of primary 1; 1's activation at the current epoch is accepted.
        W(PgState.Stray, PgState.ReplicaActive, 1, 0, Map([1, 0]), Activate),
        W(PgState.ReplicaActive, PgState.GetPeerInfo, 1, 0, Map([1, 0]), Activate, Map([0, 1])),
        W(PgState.ReplicaActive, PgState.WaitUpThru, 1, 0, Map([1, 0]), Activate, Map([0])),
        W(PgState.ReplicaActive, PgState.Stray, 1, 0, Map([1, 0]), Activate, Map([1])),
        W(PgState.ReplicaActive, PgState.Down, 2, 0, Map([1, 0]), Activate, Map([0])),
        W(PgState.Down, PgState.GetPeerInfo, 2, 0, Timeout(1), Map([0], prior: [1])),
        // Down at min size 2; min size 1 < 2 retries ChooseActing: want [0], LIS 10 < 11.
        W(PgState.Down, PgState.WaitUpThru, 2, 0, Timeout(1), SameMap(1)),
        // Down after 1 timed out; 1 then reports (stored in Down): want [0, 1], LIS 10 = epoch: activate.
        W(PgState.Down, PgState.Recovering, 2, 1, Timeout(1), Report(1, 0)),
        W(PgState.Down, PgState.Clean, 2, 1, Timeout(1), Report(1, 1)),
        W(PgState.Down, PgState.Stray, 2, 0, Timeout(1), Map([1])),
    ];

    public static TheoryData<PgState, PgState> SpecPairs()
    {
        var data = new TheoryData<PgState, PgState>();
        foreach (var w in Witnesses)
        {
            data.Add(w.From, w.To);
        }

        return data;
    }

    [Fact]
    public void No_invariant_fails_within_the_bound()
    {
        var r = OneThread.Value;
        Assert.Equal(ExplorationStatus.Completed, r.Status);
        Assert.Null(r.Violation);
        Assert.Equal(Depth, r.DepthReached);

        // GENERATOR.md §4 with two OSDs: pool size 2, min size 1 or 2, acting [0, 1] or [1, 0], local length 0 or 1.
        Assert.Equal(2 * 2 * 2, r.LevelSizes[0]);
    }

    [Fact]
    public void One_thread_and_two_agree_on_every_count()
    {
        var one = OneThread.Value;
        var two = TwoThreads.Value;
        Assert.Equal(one.DistinctStates, two.DistinctStates);
        Assert.Equal(one.Transitions, two.Transitions);
        Assert.Equal(one.LevelSizes, two.LevelSizes);
        var states = PeeringMachine.Definition.States.Length;
        var events = PeeringMachine.Definition.Events.Length;
        for (var a = 0; a < states; a++)
        {
            for (var b = 0; b < states; b++)
            {
                Assert.Equal(one.Coverage.StepCount(a, b), two.Coverage.StepCount(a, b));
                Assert.Equal(one.Coverage.MoveCount(a, b), two.Coverage.MoveCount(a, b));
            }

            for (var e = 0; e < events; e++)
            {
                Assert.Equal(one.Coverage.PairCount(a, e), two.Coverage.PairCount(a, e));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SpecPairs))]
    public void Spec_pair_has_a_witness_within_the_bound_and_is_reached(PgState from, PgState to)
    {
        var witness = Witnesses.Single(w => w.From == from && w.To == to);
        var init = World.InitialEvents.OfType<Initialize>().Single(i =>
            i.Whoami == 0 && i.Acting.Osds.AsSpan().SequenceEqual([0, 1]) && i.PoolMinSize == witness.MinSize && i.LocalInfo.CommittedSeq == witness.LocalLength);
        var step = PeeringMachine.Step(PgSnapshot.Fresh, init);
        var alphabet = new EventAlphabet(World);
        foreach (var pick in witness.Events)
        {
            var s = step.After;
            step = PeeringMachine.Step(s, alphabet.EventsFor(s).Single(e => pick(s, e)));
        }

        Assert.InRange(witness.Events.Length, 0, Depth);
        Assert.Equal((from, to), (step.From, step.To));
        Assert.True(OneThread.Value.Coverage.StepCount((int)from, (int)to) > 0, $"{from} -> {to} not reached");
    }

    [Fact]
    public void The_witnessed_pairs_are_the_listed_spec_pairs_and_nothing_else_moves()
    {
        var listed = SpecStepPairs.ReachableFromGeneratedStart(Profile.LeanCore).Select(m => ((PgState)m.From, (PgState)m.To)).ToHashSet();
        var witnessed = Witnesses.Select(w => (w.From, w.To)).ToHashSet();
        Assert.Equal(33, witnessed.Count);
        Assert.True(listed.SetEquals(witnessed));

        // Every moving step the exploration made is one of them: the reducer makes no step §13 does not allow.
        var moving = OneThread.Value.Coverage.StepPairs.Where(p => p.From != p.To).Select(p => ((PgState)p.From, (PgState)p.To));
        Assert.Subset(listed, moving.ToHashSet());
    }
}
