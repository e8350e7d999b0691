using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>
/// The reducer's snapshot (REDUCER.md §4, TRACE-SCHEMA.md §5): what a trace records before and
/// after each step. Immutable: a step never changes its input snapshot.
/// </summary>
/// <param name="AuthLength">In-memory only (MODEL.md §4.10): read by a restore fallback, never written. Snapshots read from JSON and
/// those the reducer produces carry 0; the fallback that reads it runs only when <c>auth_image</c> is empty, where the
/// reference's derived value is 0 as well.</param>
/// <param name="AuthOsd">In-memory only, like <paramref name="AuthLength"/>; -1 when absent.</param>
public sealed record PgSnapshot(
    PgState State,
    ulong Pgid,
    int Whoami,
    uint Epoch,
    ActingSet Acting,
    ActingSet Up,
    int PoolSize,
    int PoolMinSize,
    PgInfo LocalInfo,
    ulong AuthSeq,
    ObjectImage AuthImage,
    AuthorityImage AuthSources,
    BlobMetaImage AuthBlobMeta,
    [WireName("peer_info")] PeerMap Peers,
    OsdSet PeersQueried,
    OsdSet PeersResponded,
    OsdSet PriorOsds,
    OsdSet RecoveryTargets,
    ValueList<PeerRecoveryPlan> PeerRecoveryPlans,
    ValueList<ObjRecovery> LocalRecoveryPlan,
    OsdSet Recovered,
    OsdSet TimedOutProbes,
    bool NeedUpThru,
    bool Activated,
    bool PendingActingChange,
    uint LastPeeringReset,
    [WireIgnore] ulong AuthLength = 0,
    [WireIgnore] int AuthOsd = -1)
{
    /// <summary>The fresh machine's snapshot: the <c>before</c> of step 0 (TRACE-SCHEMA.md §5.3).</summary>
    public static PgSnapshot Fresh { get; } = new(
        PgState.Initial, 0, -1, 0, ActingSet.Empty, ActingSet.Empty, 0, 0, PgInfo.Empty,
        0, default, default, default, default, default, default, default, default,
        default, default, default, default, false, false, false, 0);
}
