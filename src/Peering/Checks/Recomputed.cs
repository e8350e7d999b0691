using Peering.Machine;
using Peering.Model;
using Peering.StateMachines;

namespace Peering.Checks;

/// <summary>
/// What the checks recompute from a snapshot (TRACE-SCHEMA.md §6): the census <c>K</c>, the acting
/// replicas <c>R</c>, and the authority <c>src*</c>, <c>img*</c>, <c>seq*</c> they imply, with the image
/// invariant and cleanliness the other checks build on. The machine's declared check context: the
/// generated <c>EvaluateChecks</c> and <c>EvaluateInvariants</c> build one per evaluation and pass it
/// to every check and invariant that takes it, so shared work is done once and nothing is cached
/// across snapshots.
/// </summary>
public sealed class Recomputed
{
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
    internal bool ImageInvariant(Func<PgSnapshot, Recomputed, bool> evaluate) => _imageInvariant ??= evaluate(Snapshot, this);

    /// <summary>The traced <c>image_clean</c>, evaluated once.</summary>
    internal bool ImageClean(Func<PgSnapshot, Recomputed, bool> evaluate) => _imageClean ??= evaluate(Snapshot, this);

    /// <summary>The context of <paramref name="s"/>'s checks.</summary>
    [CheckContext]
    public static Recomputed Of(PgSnapshot s) => new(s);
}
