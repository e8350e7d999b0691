using Peering.TestSupport;
using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Machine;

/// <summary>
/// REDUCER.md §12: activation does not clear <c>recovered</c>, so Recovering -> Down -> re-activation
/// carries an old entry; when the re-activation ends Clean, the snapshot masks it (§6.2) and the
/// next restore drops it. Worked by hand: OSD 0 primary of [0,1,2], pool 3/1, local at 100.
/// </summary>
public class CleanMaskingTests
{
    private static ActingSet Acting(uint epoch) => new(Osds(0, 1, 2), epoch);

    private static readonly PgEvent[] ToRecovering =
    [
        new Initialize(1, 0, 10, Acting(10), Acting(10), 3, 1, Local(100, Img((0, 100)), les: 10, lis: 10), default),
        new PeerInfoReceived(1, Peer(1, 50, Img((0, 50))), 10),
        new PeerInfoReceived(2, Peer(2, 40, Img((0, 40))), 10), // enough info: activate, both replicas short
        new RecoveryComplete(1, 10),                            // OSD 1 caught up: recovered {1}, OSD 2 still short
    ];

    [Fact]
    public void Recovered_survives_down_and_is_masked_when_reactivation_ends_clean()
    {
        var s = PgSnapshot.Fresh;
        foreach (var e in ToRecovering)
        {
            s = PeeringMachine.Step(s, e).After;
        }

        Assert.Equal(PgState.Recovering, s.State);
        Assert.Equal(OsdSet.Of([1]), s.Recovered);
        Assert.Equal(OsdSet.Of([2]), s.RecoveryTargets);

        // min_size 1 -> 4 above the three known members: down, recovery cancelled.
        var down = PeeringMachine.Step(s, new AdvanceMap(11, Acting(11), Acting(11), 3, 4, default));
        Assert.Equal(
            [
                new CancelRecovery(1),
                new DeactivatePg(1),
                new LogTransition(1, PgState.Recovering, PgState.Down, "min_size increased, insufficient peers"),
                new PublishStats(1, PgState.Down, 100, 100, 100, Img((0, 100)), Img((0, 100)), default, 3, 3),
            ],
            down.Effects);
        Assert.Equal(OsdSet.Of([1]), down.After.Recovered);

        // min_size back to 1: retry from Down; epoch 12 is above LIS 10, so wait for up_thru.
        var waiting = PeeringMachine.Step(down.After, new AdvanceMap(12, Acting(12), Acting(12), 3, 1, default)).After;
        Assert.Equal(PgState.WaitUpThru, waiting.State);

        // OSD 2 reports it is caught up; still waiting for up_thru, still carrying recovered {1}.
        waiting = PeeringMachine.Step(waiting, new PeerInfoReceived(2, Peer(2, 100, Img((0, 100))), 10)).After;
        Assert.Equal(PgState.WaitUpThru, waiting.State);
        Assert.Equal(OsdSet.Of([1]), waiting.Recovered);

        var clean = PeeringMachine.Step(waiting, new UpThruUpdated(12));
        Assert.Equal(
            [
                new LogTransition(1, PgState.WaitUpThru, PgState.Active, "peering complete"),
                new LogTransition(1, PgState.Active, PgState.Clean, "all replicas up to date"),
            ],
            clean.Effects.OfType<LogTransition>());
        Assert.True(clean.After.Recovered.IsEmpty);
        Assert.True(clean.After.RecoveryTargets.IsEmpty);
        Assert.Equal(12u, clean.After.LocalInfo.LastIntervalStarted);
    }

    [Fact]
    public void A_batch_after_reactivation_fails_the_equality_test_because_of_the_old_entry()
    {
        var s = PgSnapshot.Fresh;
        foreach (var e in ToRecovering)
        {
            s = PeeringMachine.Step(s, e).After;
        }

        s = PeeringMachine.Step(s, new AdvanceMap(11, Acting(11), Acting(11), 3, 4, default)).After;
        s = PeeringMachine.Step(s, new AdvanceMap(12, Acting(12), Acting(12), 3, 1, default)).After;
        var recovering = PeeringMachine.Step(s, new UpThruUpdated(12)).After;
        Assert.Equal(PgState.Recovering, recovering.State);
        Assert.Equal(OsdSet.Of([1]), recovering.Recovered);

        // {1} ∪ {2} is not the target set {2}: ignored.
        var batch = PeeringMachine.Step(recovering, new AllReplicasRecovered(12, Osds(2)));
        Assert.Empty(batch.Effects);
        Assert.Equal(recovering, batch.After);
    }

    [Fact]
    public void The_fast_path_matches_the_pure_step_through_the_masking()
    {
        PgEvent[] events =
        [
            .. ToRecovering,
            new AdvanceMap(11, Acting(11), Acting(11), 3, 4, default),
            new AdvanceMap(12, Acting(12), Acting(12), 3, 1, default),
            new PeerInfoReceived(2, Peer(2, 100, Img((0, 100))), 10),
            new UpThruUpdated(12),
            new ActivateCommitted(),
            new AllReplicasRecovered(12, default),
        ];
        var machine = new PeeringMachine();
        var s = PgSnapshot.Fresh;
        foreach (var e in events)
        {
            var pure = PeeringMachine.Step(s, e);
            Assert.Equal(pure.Effects, machine.Apply(e).ToArray());
            Assert.Equal(pure.After, machine.TakeSnapshot());
            s = pure.After;
        }
    }
}
