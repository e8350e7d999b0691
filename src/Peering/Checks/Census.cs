using Peering.Machine;
using Peering.Model;

namespace Peering.Checks;

/// <summary>
/// What the checks recompute from a snapshot (TRACE-SCHEMA.md §6): the census <c>K</c>, the acting
/// replicas <c>R</c>, and the authority <c>src*</c>, <c>img*</c>, <c>seq*</c> they imply. Computed once
/// per snapshot and shared by every check and invariant of that snapshot.
/// </summary>
internal sealed class Census
{
    [ThreadStatic]
    private static Census? _last;

    private ValueList<PeerRecoveryPlan>? _peerPlans;
    private ValueList<ObjRecovery>? _localPlan;

    private Census(PgSnapshot s)
    {
        Snapshot = s;
        Known = Authority.Known(s.Whoami, s.LocalInfo, s.Peers);
        Replicas = Authority.ActingReplicas(s.Acting, s.Whoami, s.Peers);
        Sources = Authority.Sources(Known);
        Image = Images.Values(Sources);
        Seq = Authority.MaxSeq(Known);
    }

    public PgSnapshot Snapshot { get; }

    /// <summary><c>K</c>: the known peers, local entry last.</summary>
    public PeerInfo[] Known { get; }

    /// <summary><c>R</c>: the acting replicas, unknown ones as zero peers.</summary>
    public PeerInfo[] Replicas { get; }

    /// <summary><c>src*</c>.</summary>
    public AuthorityImage Sources { get; }

    /// <summary><c>img*</c>.</summary>
    public ObjectImage Image { get; }

    /// <summary><c>seq*</c>.</summary>
    public ulong Seq { get; }

    /// <summary><c>PeerPlans(src*, seq*, R)</c>.</summary>
    public ValueList<PeerRecoveryPlan> PeerPlans => _peerPlans ??= Authority.PeerPlans(Sources, Seq, Replicas);

    /// <summary><c>LocalPlan(src*, local_info)</c>.</summary>
    public ValueList<ObjRecovery> LocalPlan => _localPlan ??= Authority.LocalPlan(Sources, Snapshot.LocalInfo);

    /// <summary>The census of <paramref name="s"/>, reusing the last one computed on this thread for the same snapshot.</summary>
    public static Census Of(PgSnapshot s)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.Snapshot, s))
        {
            return last;
        }

        return _last = new Census(s);
    }
}
