using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;
using static Peering.Tests.Machine.Snapshots;

namespace Peering.Tests.Machine;

/// <summary>
/// REDUCER.md §6.1: restore fallbacks, seen through DeleteComplete, which every state ignores but
/// which still goes through Restore and Snapshot (it is not subject to the stale filter).
/// </summary>
public class RestoreTests
{
    private static PgSnapshot Restored(PgSnapshot s) => PeeringMachine.Step(s, new DeleteComplete()).After;

    [Fact]
    public void A_missing_image_comes_from_the_sources_and_a_zero_sequence_from_the_census()
    {
        var s = Settled(PgState.GetPeerInfo) with { AuthImage = default, AuthSeq = 0 };
        var after = Restored(s);
        Assert.Equal(Img((0, 120)), after.AuthImage);
        Assert.Equal(120ul, after.AuthSeq);
    }

    [Fact]
    public void Without_sources_the_in_memory_length_and_osd_rebuild_them()
    {
        var s = Settled(PgState.GetPeerInfo) with { AuthImage = default, AuthSources = default, AuthLength = 50, AuthOsd = 0 };
        var after = Restored(s);
        Assert.Equal(Img((0, 50)), after.AuthImage);
        Assert.Equal(Src((0, 0, 50)), after.AuthSources);
    }

    [Fact]
    public void Empty_plans_are_recomputed_outside_clean()
    {
        // Local at 100 behind the authority 120 of OSD 0: the stored plans are empty, the restored local plan is the gap.
        var s = Settled(PgState.Recovering) with { LocalInfo = Local(100, Img((0, 100)), les: 10, lis: 10) };
        var after = Restored(s);
        Assert.Equal([new ObjRecovery(0, 0, 100, 120)], after.LocalRecoveryPlan.AsSpan().ToArray());
        Assert.Equal(OsdSet.Of([1]), after.RecoveryTargets);
    }

    [Fact]
    public void A_clean_snapshot_restores_without_plans_or_recovered_peers()
    {
        var stalePlan = ValueList.Create<PeerRecoveryPlan>([new PeerRecoveryPlan(0, 100, 120, default)]);
        var s = Settled(PgState.Clean) with { PeerRecoveryPlans = stalePlan, Recovered = OsdSet.Of([0]), RecoveryTargets = OsdSet.Of([0]) };
        var after = Restored(s);
        Assert.True(after.PeerRecoveryPlans.IsEmpty);
        Assert.True(after.Recovered.IsEmpty);
        Assert.True(after.RecoveryTargets.IsEmpty);
    }

    [Fact]
    public void A_stale_event_returns_the_input_snapshot_without_restoring_it()
    {
        var s = Settled(PgState.GetPeerInfo) with { AuthImage = default, AuthSeq = 0 };
        var r = PeeringMachine.Step(s, new RecoveryComplete(0, 9));
        Assert.Same(s, r.After);
        Assert.Empty(r.Effects);
    }
}
