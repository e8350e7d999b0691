using Peering.TestSupport;
using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Machine;

/// <summary>REDUCER.md §10, the hand-derived worked example, step by step, through both entry points.</summary>
public class WorkedExampleTests
{
    private static readonly Initialize Init = new(
        1, 1, 10, new ActingSet(Osds(1, 0), 10), new ActingSet(Osds(1, 0), 10), 2, 1,
        Local(57, Img((0, 57)), les: 10, lis: 10), default);

    private static readonly PeerInfoReceived Report = new(0, Peer(0, 120, Img((0, 120)), les: 8), 10);

    [Fact]
    public void Initialize_starts_primary_peering_and_queries_the_other_acting_member()
    {
        var r = PeeringMachine.Step(PgSnapshot.Fresh, Init);

        Assert.Equal(PgState.GetPeerInfo, r.To);
        Assert.Equal(
            [
                new LogTransition(1, PgState.Initial, PgState.GetPeerInfo, "start peering as primary"),
                new SendQuery(0, 1, 10),
                new UpdateHeartbeats(Osds(1, 0)),
            ],
            r.Effects);
        var s = r.After;
        Assert.Equal(OsdSet.Of([0]), s.PeersQueried);
        Assert.Equal(OsdSet.Of([1]), s.PeersResponded);
        Assert.Equal([1], s.Peers.AsSpan().ToArray().Select(p => p.Osd));
        Assert.Equal(57ul, s.AuthSeq);
        Assert.Equal(Src((0, 1, 57)), s.AuthSources);
        Assert.Equal([new PeerRecoveryPlan(0, 0, 57, ValueList.Create<ObjRecovery>([new ObjRecovery(0, 1, 0, 57)]))], s.PeerRecoveryPlans.AsSpan().ToArray());
        Assert.Equal(10u, s.LastPeeringReset);
    }

    [Fact]
    public void A_longer_peer_report_activates_and_schedules_local_recovery()
    {
        var r = PeeringMachine.Step(PeeringMachine.Step(PgSnapshot.Fresh, Init).After, Report);

        var authInfo = new PeerInfo(1, 120, 120, Img((0, 120)), default, 10, 10);
        Assert.Equal(
            [
                new LogTransition(1, PgState.GetPeerInfo, PgState.Active, "peering complete"),
                new SendActivate(0, 1, authInfo, Src((0, 0, 120)), default, 120, 10),
                new ActivatePg(1, 120, 120, Img((0, 120)), default, 10),
                new PersistState(1, Local(57, Img((0, 57)), les: 10, lis: 10)),
                new PublishStats(1, PgState.Active, 57, 120, 57, Img((0, 57)), Img((0, 120)), default, 2, 2),
                new LogTransition(1, PgState.Active, PgState.Recovering, "replicas need recovery"),
                new ScheduleRecovery(1, ValueList.Create<RecoveryTarget>([
                    new RecoveryTarget(1, 57, 120, 57, 120, ValueList.Create<ObjRecovery>([new ObjRecovery(0, 0, 57, 120)])),
                ])),
            ],
            r.Effects);
        Assert.Equal(PgState.Recovering, r.After.State);
        Assert.Equal(OsdSet.Of([1]), r.After.RecoveryTargets);
        Assert.True(r.After.PeerRecoveryPlans.IsEmpty);
        Assert.Equal([new ObjRecovery(0, 0, 57, 120)], r.After.LocalRecoveryPlan.AsSpan().ToArray());
    }

    [Fact]
    public void Local_recovery_completion_makes_the_pg_clean_and_keeps_the_lower_source()
    {
        var recovering = PeeringMachine.Step(PeeringMachine.Step(PgSnapshot.Fresh, Init).After, Report).After;
        var r = PeeringMachine.Step(recovering, new RecoveryComplete(1, 10));

        Assert.Equal(
            [
                new LogTransition(1, PgState.Recovering, PgState.Clean, "all replicas recovered"),
                new MarkClean(1),
                new PersistState(1, Local(120, Img((0, 120)), les: 10, lis: 10)),
                new PublishStats(1, PgState.Clean, 120, 120, 120, Img((0, 120)), Img((0, 120)), default, 2, 2),
            ],
            r.Effects);
        Assert.Equal(Src((0, 0, 120)), r.After.AuthSources);
        Assert.True(r.After.Recovered.IsEmpty);
        Assert.True(r.After.RecoveryTargets.IsEmpty);
    }

    [Fact]
    public void The_fast_path_agrees_with_the_pure_step_on_the_example()
    {
        var machine = new PeeringMachine();
        var snapshot = PgSnapshot.Fresh;
        foreach (var e in new PgEvent[] { Init, Report, new RecoveryComplete(1, 10), new ActivateCommitted() })
        {
            var pure = PeeringMachine.Step(snapshot, e);
            var effects = machine.Apply(e).ToArray();
            Assert.Equal(pure.Effects, effects);
            Assert.Equal(pure.After, machine.TakeSnapshot());
            snapshot = pure.After;
        }
    }
}
