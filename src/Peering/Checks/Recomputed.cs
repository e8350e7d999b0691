using Peering.Machine;
using Peering.Model;

namespace Peering.Checks;

/// <summary>
/// What the checks recompute from a snapshot (TRACE-SCHEMA.md §6): the census <c>K</c>, the acting
/// replicas <c>R</c>, and the authority <c>src*</c>, <c>img*</c>, <c>seq*</c> they imply, computed once
/// per snapshot and shared by every check and invariant of that snapshot, with the image invariant
/// and cleanliness the other checks build on.
/// </summary>
internal sealed class Recomputed
{
    [ThreadStatic]
    private static Recomputed? _last;

    private ValueList<PeerRecoveryPlan>? _peerPlans;
    private ValueList<ObjRecovery>? _localPlan;
    private bool? _imageInvariant;
    private bool? _imageClean;

    private Recomputed(PgSnapshot s)
    {
        Snapshot = s;
        Census = new Census(s.Whoami, s.LocalInfo, s.Peers);
        Replicas = new ActingReplicas(s.Acting, s.Whoami, s.Peers);
        Sources = Authority.Sources(Census, s.AuthSources);
        Image = Authority.Values(Sources, s.AuthImage);
        Seq = Authority.MaxSeq(Census);
    }

    public PgSnapshot Snapshot { get; }

    /// <summary><c>K</c>.</summary>
    public Census Census { get; }

    /// <summary><c>R</c>.</summary>
    public ActingReplicas Replicas { get; }

    /// <summary><c>src*</c>.</summary>
    public AuthorityImage Sources { get; }

    /// <summary><c>img*</c>.</summary>
    public ObjectImage Image { get; }

    /// <summary><c>seq*</c>.</summary>
    public ulong Seq { get; }

    /// <summary><c>PeerPlans(src*, seq*, R)</c>.</summary>
    public ValueList<PeerRecoveryPlan> PeerPlans =>
        _peerPlans ??= Authority.PeerPlans(Sources, Seq, Replicas, Snapshot.PeerRecoveryPlans);

    /// <summary><c>LocalPlan(src*, local_info)</c>.</summary>
    public ValueList<ObjRecovery> LocalPlan => _localPlan ??= Authority.LocalPlan(Sources, Snapshot.LocalInfo, Snapshot.LocalRecoveryPlan);

    /// <summary>The traced <c>image_invariant</c>, evaluated once.</summary>
    public bool ImageInvariant(Func<PgSnapshot, bool> evaluate) => _imageInvariant ??= evaluate(Snapshot);

    /// <summary>The traced <c>image_clean</c>, evaluated once.</summary>
    public bool ImageClean(Func<PgSnapshot, bool> evaluate) => _imageClean ??= evaluate(Snapshot);

    /// <summary>The recomputation for <paramref name="s"/>, reusing the last one made on this thread for the same snapshot.</summary>
    public static Recomputed Of(PgSnapshot s)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.Snapshot, s))
        {
            return last;
        }

        return _last = new Recomputed(s);
    }
}
