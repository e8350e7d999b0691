using Peering.Machine;
using Peering.Model;
using Peering.StateMachines;

namespace Peering.Checks;

/// <summary>
/// The eight components I1-I8 of the image-safety invariant the Lean model proves (INVARIANTS.md §2),
/// each a declared invariant reported by its name. They hold on every snapshot the reducer
/// produces; together with <see cref="BlobMetaMatchesCensus"/> they make the traced
/// <c>image_invariant</c> check.
/// </summary>
public static class ImageSafety
{
    /// <summary>I1: every authority source is backed by a census holder of exactly that length.</summary>
    [Invariant("sources_backed")]
    public static bool SourcesBacked(PgSnapshot s, Recomputed r)
    {
        var census = r.Census;
        foreach (var (obj, _, len) in s.AuthSources)
        {
            var backed = false;
            foreach (var p in census)
            {
                if (p.Image.Len(obj) == len)
                {
                    backed = true;
                    break;
                }
            }

            if (!backed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>I2: the authoritative image is the census image.</summary>
    [Invariant("image_matches_census")]
    public static bool ImageMatchesCensus(PgSnapshot s, Recomputed r) => Images.Same(s.AuthImage, r.Image);

    /// <summary>I3: the authoritative sequence is the census maximum.</summary>
    [Invariant("seq_matches_census")]
    public static bool SeqMatchesCensus(PgSnapshot s, Recomputed r) => s.AuthSeq == r.Seq;

    /// <summary>I4: the sources' lengths are the census image.</summary>
    [Invariant("sources_match_census")]
    public static bool SourcesMatchCensus(PgSnapshot s, Recomputed r) => Images.Same(Authority.Values(s.AuthSources, s.AuthImage), r.Image);

    /// <summary>I5: the local PG claims no progress or bytes beyond authority.</summary>
    [Invariant("local_within_authority")]
    public static bool LocalWithinAuthority(PgSnapshot s) =>
        s.LocalInfo.CommittedSeq <= s.AuthSeq && Images.IsPrefix(s.LocalInfo.Image, s.AuthImage);

    /// <summary>I6: no acting replica claims progress or bytes beyond authority.</summary>
    [Invariant("replicas_within_authority")]
    public static bool ReplicasWithinAuthority(PgSnapshot s, Recomputed r)
    {
        foreach (var replica in r.Replicas)
        {
            if (replica.CommittedSeq > s.AuthSeq || !Images.IsPrefix(replica.Image, s.AuthImage))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>I7: the peer plans are exactly those recomputed from the census.</summary>
    [Invariant("peer_plans_exact")]
    public static bool PeerPlansExact(PgSnapshot s, Recomputed r) => s.PeerRecoveryPlans == r.PeerPlans;

    /// <summary>I8: the local plan is exactly the one recomputed from the census.</summary>
    [Invariant("local_plan_exact")]
    public static bool LocalPlanExact(PgSnapshot s, Recomputed r) => s.LocalRecoveryPlan == r.LocalPlan;

    /// <summary>
    /// Item 5 of TRACE-SCHEMA.md §6: the stored blob metadata is the sealed metadata backed by the
    /// authority. Not a declared invariant: the reducer clears blob metadata on every authority
    /// refresh, so once sealed metadata exists among the peers this can be false on produced
    /// snapshots (346 steps of the wide reference traces).
    /// </summary>
    public static bool BlobMetaMatchesCensus(PgSnapshot s, Recomputed r)
    {
        return s.AuthBlobMeta == Authority.SealedMeta(r.Census, r.Sources);
    }
}
