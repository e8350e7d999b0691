using Peering.Machine;
using Peering.Model;
using Peering.StateMachines;

namespace Peering.Checks;

/// <summary>The four checks every trace records for each snapshot (TRACE-SCHEMA.md §6), in key order.</summary>
public static class TraceChecks
{
    /// <summary>Every queried peer and every other acting member has responded.</summary>
    [Check("have_enough_info")]
    public static bool HaveEnoughInfo(PgSnapshot s)
    {
        if (!s.PeersQueried.IsSubsetOf(s.PeersResponded))
        {
            return false;
        }

        foreach (var x in s.Acting.Osds)
        {
            if (x >= 0 && x != s.Whoami && !s.PeersResponded.Contains(x))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Items 1-10: I1-I8 and the blob-metadata item.</summary>
    [Check("image_invariant")]
    public static bool ImageInvariant(PgSnapshot s, Recomputed r) => r.ImageInvariant(EvaluateImageInvariant);

    /// <summary>No recovery work left: local and every acting replica exactly at the authority.</summary>
    [Check("image_clean")]
    public static bool ImageClean(PgSnapshot s, Recomputed r) => r.ImageClean(EvaluateImageClean);

    private static bool EvaluateImageInvariant(PgSnapshot s, Recomputed r) =>
        ImageSafety.SourcesBacked(s, r)
        && ImageSafety.ImageMatchesCensus(s, r)
        && ImageSafety.SeqMatchesCensus(s, r)
        && ImageSafety.SourcesMatchCensus(s, r)
        && ImageSafety.BlobMetaMatchesCensus(s, r)
        && ImageSafety.LocalWithinAuthority(s)
        && ImageSafety.ReplicasWithinAuthority(s, r)
        && ImageSafety.PeerPlansExact(s, r)
        && ImageSafety.LocalPlanExact(s, r);

    private static bool EvaluateImageClean(PgSnapshot s, Recomputed r)
    {
        if (!ImageInvariant(s, r) || !s.PeerRecoveryPlans.IsEmpty || !s.LocalRecoveryPlan.IsEmpty
            || s.LocalInfo.CommittedSeq < s.AuthSeq || !Images.Same(s.LocalInfo.Image, s.AuthImage))
        {
            return false;
        }

        foreach (var replica in r.Replicas)
        {
            if (replica.CommittedSeq < s.AuthSeq || !Images.Same(replica.Image, s.AuthImage))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The invariant holds, not clean, and some local or replica work remains.</summary>
    [Check("image_recovering")]
    public static bool ImageRecovering(PgSnapshot s, Recomputed r)
    {
        if (!ImageInvariant(s, r) || ImageClean(s, r))
        {
            return false;
        }

        if (!s.PeerRecoveryPlans.IsEmpty || !s.LocalRecoveryPlan.IsEmpty || s.LocalInfo.CommittedSeq < s.AuthSeq)
        {
            return true;
        }

        foreach (var replica in r.Replicas)
        {
            if (replica.CommittedSeq < s.AuthSeq)
            {
                return true;
            }
        }

        return false;
    }
}
