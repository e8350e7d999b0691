using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;
using static Peering.Tests.Machine.Snapshots;

namespace Peering.Tests.Machine;

/// <summary>
/// REDUCER.md §12: Incomplete, Active and Reset are never the state of a produced snapshot, so no
/// reference trace starts a step there. Expected values are worked by hand from §5 and §7.
/// </summary>
public class UnreachedStatesTests
{
    private static readonly PeerInfo AuthInfo = new(1, 120, 120, Img((0, 120)), default, 10, 10);

    [Fact]
    public void Incomplete_stores_a_report_and_rechooses_the_acting_set()
    {
        // Census [OSD 0 at 120, local at 120]: want [1, 0] is complete, LIS 10 >= epoch 10, so activate;
        // nothing is short, so the step ends Clean.
        var r = PeeringMachine.Step(Settled(PgState.Incomplete), new PeerInfoReceived(0, Peer(0, 120, Img((0, 120)), les: 8), 10));

        Assert.Equal(
            [
                new LogTransition(1, PgState.Incomplete, PgState.Active, "peering complete"),
                new SendActivate(0, 1, AuthInfo, Src((0, 0, 120)), default, 120, 10),
                new ActivatePg(1, 120, 120, Img((0, 120)), default, 10),
                new PersistState(1, Local(120, Img((0, 120)), les: 10, lis: 10)),
                new PublishStats(1, PgState.Active, 120, 120, 120, Img((0, 120)), Img((0, 120)), default, 2, 2),
                new LogTransition(1, PgState.Active, PgState.Clean, "all replicas up to date"),
                new MarkClean(1),
            ],
            r.Effects);
        Assert.Equal(PgState.Clean, r.To);
        Assert.Equal(8u, r.After.Peers[0].LastEpochStarted);
    }

    [Fact]
    public void Incomplete_retries_when_min_size_drops()
    {
        // Same interval, min_size 1 -> 0 (< old): RetryAfterPool; the new epoch 11 is above LIS 10, so up_thru is needed.
        var r = PeeringMachine.Step(Settled(PgState.Incomplete), new AdvanceMap(11, new ActingSet(Osds(1, 0), 11), new ActingSet(Osds(1, 0), 11), 2, 0, default));

        Assert.Equal(
            [
                new LogTransition(1, PgState.Incomplete, PgState.WaitUpThru, "need up_thru"),
                new RequestUpThru(11),
            ],
            r.Effects);
        Assert.True(r.After.NeedUpThru);
        Assert.Equal((11u, 0), (r.After.Epoch, r.After.PoolMinSize));
    }

    [Fact]
    public void Active_accepts_an_empty_batch_when_nothing_is_left_and_becomes_clean()
    {
        var r = PeeringMachine.Step(Settled(PgState.Active), new AllReplicasRecovered(10, default));

        Assert.Equal(
            [
                new LogTransition(1, PgState.Active, PgState.Clean, "all replicas recovered (batch)"),
                new MarkClean(1),
                new PersistState(1, Local(120, Img((0, 120)), les: 10, lis: 10)),
                new PublishStats(1, PgState.Clean, 120, 120, 120, Img((0, 120)), Img((0, 120)), default, 2, 2),
            ],
            r.Effects);
    }

    [Fact]
    public void Active_goes_down_when_min_size_rises_above_the_known_acting_members()
    {
        // Two known acting members, min_size 1 -> 3: MinSizeDown; no retry (3 is not below 1); not Recovering, so no cancel.
        var r = PeeringMachine.Step(Settled(PgState.Active), new AdvanceMap(11, new ActingSet(Osds(1, 0), 11), new ActingSet(Osds(1, 0), 11), 2, 3, default));

        Assert.Equal(
            [
                new DeactivatePg(1),
                new LogTransition(1, PgState.Active, PgState.Down, "min_size increased, insufficient peers"),
                new PublishStats(1, PgState.Down, 120, 120, 120, Img((0, 120)), Img((0, 120)), default, 2, 2),
            ],
            r.Effects);
    }

    [Fact]
    public void Active_records_a_committed_activation()
    {
        var r = PeeringMachine.Step(Settled(PgState.Active), new ActivateCommitted());
        Assert.Equal([new PersistState(1, Local(120, Img((0, 120)), les: 10, lis: 10))], r.Effects);
        Assert.True(r.After.Activated);
        Assert.Equal(PgState.Active, r.To);
    }

    [Fact]
    public void Reset_ignores_peering_events_and_publishes_on_the_same_map()
    {
        var reset = Settled(PgState.Reset);
        foreach (var e in new PgEvent[] { new PeerInfoReceived(0, Peer(0, 130, Img((0, 130))), 10), new PeerQueryTimeout(0), new UpThruUpdated(10), new ActivateCommitted(), new RecoveryComplete(0, 10), new DeleteComplete() })
        {
            var ignored = PeeringMachine.Step(reset, e);
            Assert.Empty(ignored.Effects);
            Assert.Equal(reset, ignored.After);
        }

        var same = PeeringMachine.Step(reset, new AdvanceMap(10, Acting10, Acting10, 2, 1, default));
        Assert.Equal([new PublishStats(1, PgState.Reset, 120, 120, 120, Img((0, 120)), Img((0, 120)), default, 2, 2)], same.Effects);
    }

    [Fact]
    public void Reset_is_left_by_delete_start()
    {
        var r = PeeringMachine.Step(Settled(PgState.Reset), new DeleteStart());
        Assert.Equal([new LogTransition(1, PgState.Reset, PgState.Deleting, "delete requested"), new DeletePg(1)], r.Effects);
    }
}
