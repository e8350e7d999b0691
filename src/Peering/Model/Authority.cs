namespace Peering.Model;

/// <summary>
/// Authority selection and recovery planning (MODEL.md §4): the census of known peer images,
/// the authoritative sequence, sources and image derived from it, and the exact byte-range plans
/// that bring short holders up to it.
/// </summary>
public static class Authority
{
    /// <summary>
    /// <c>Known(whoami, L, P)</c>: every peer other than <paramref name="whoami"/> in ascending OSD
    /// order, then the local entry last. Never empty.
    /// </summary>
    public static PeerInfo[] Known(int whoami, PgInfo local, PeerMap peers)
    {
        var census = new PeerInfo[peers.Count + 1];
        var n = 0;
        foreach (var p in peers)
        {
            if (p.Osd != whoami)
            {
                census[n++] = p;
            }
        }

        census[n++] = LocalEntry(whoami, local);
        return n == census.Length ? census : census[..n];
    }

    /// <summary>The local PG info as a census entry under <paramref name="whoami"/>.</summary>
    public static PeerInfo LocalEntry(int whoami, PgInfo local) =>
        new(whoami, local.CommittedSeq, local.CommittedLength, local.Image, local.BlobMeta, local.LastEpochStarted, local.LastIntervalStarted);

    /// <summary><c>MaxSeq(list)</c>: the largest committed sequence, 0 for an empty list.</summary>
    public static ulong MaxSeq(ReadOnlySpan<PeerInfo> census)
    {
        ulong max = 0;
        foreach (var p in census)
        {
            max = Math.Max(max, p.CommittedSeq);
        }

        return max;
    }

    /// <summary>
    /// <c>Sources(list)</c> (MODEL.md §4.3): per object, the first holder (in list order) of the
    /// longest length; only a strictly longer length replaces. The first explicit zero entry of an
    /// object creates a zero-length source that a later positive length replaces.
    /// </summary>
    public static AuthorityImage Sources(ReadOnlySpan<PeerInfo> census)
    {
        var result = new List<AuthorityEntry>();
        foreach (var p in census)
        {
            foreach (var (obj, len) in p.Image)
            {
                var at = 0;
                while (at < result.Count && result[at].Obj < obj)
                {
                    at++;
                }

                if (at == result.Count || result[at].Obj != obj)
                {
                    result.Insert(at, new AuthorityEntry(obj, p.Osd, len));
                }
                else if (result[at].Len < len)
                {
                    result[at] = new AuthorityEntry(obj, p.Osd, len);
                }
            }
        }

        return ObjectMap.Own(result.ToArray());
    }

    /// <summary>
    /// <c>SealedMeta(list, src)</c> (MODEL.md §4.6, checks only): the blob metadata of each source
    /// holder that is sealed with a final length equal to the authoritative length.
    /// </summary>
    public static BlobMetaImage SealedMeta(ReadOnlySpan<PeerInfo> census, AuthorityImage sources)
    {
        var result = new List<BlobMetaEntry>();
        foreach (var (obj, osd, len) in sources)
        {
            foreach (var p in census)
            {
                if (p.Osd != osd)
                {
                    continue;
                }

                if (p.BlobMeta.TryGet(obj, out var meta) && meta.Sealed && meta.FinalLen == len)
                {
                    result.Add(meta);
                }

                break;
            }
        }

        return ObjectMap.Own(result.ToArray());
    }

    /// <summary>
    /// <c>ActingReplicas(acting, whoami, P)</c> (MODEL.md §4.7): every acting entry other than
    /// negative ids and <paramref name="whoami"/>, in list order with repeats, as known or as an
    /// unknown (all-zero) peer.
    /// </summary>
    public static PeerInfo[] ActingReplicas(ActingSet acting, int whoami, PeerMap peers)
    {
        var replicas = new List<PeerInfo>(acting.Size);
        foreach (var x in acting.Osds)
        {
            if (x < 0 || x == whoami)
            {
                continue;
            }

            replicas.Add(peers.TryGet(x, out var p) ? p : PeerInfo.Unknown(x));
        }

        return replicas.ToArray();
    }

    /// <summary>
    /// <c>PeerPlans(src, seq, replicas)</c> (MODEL.md §4.8): a plan for each replica that lacks bytes
    /// or is behind <paramref name="authSeq"/>, in replica order.
    /// </summary>
    public static ValueList<PeerRecoveryPlan> PeerPlans(AuthorityImage sources, ulong authSeq, ReadOnlySpan<PeerInfo> replicas)
    {
        List<PeerRecoveryPlan>? plans = null;
        foreach (var r in replicas)
        {
            var gaps = Images.Gaps(r.Image, sources);
            if (!gaps.IsEmpty || r.CommittedSeq < authSeq)
            {
                (plans ??= []).Add(new PeerRecoveryPlan(r.Osd, r.CommittedSeq, authSeq, gaps));
            }
        }

        return plans is null ? default : ValueList.Own(plans.ToArray());
    }

    /// <summary><c>LocalPlan(src, L)</c>: the local gaps.</summary>
    public static ValueList<ObjRecovery> LocalPlan(AuthorityImage sources, PgInfo local) => Images.Gaps(local.Image, sources);

    /// <summary>
    /// <c>Targets(...)</c> (MODEL.md §4.9): every peer plan's target, plus <paramref name="whoami"/>
    /// when the local PG has gaps or is behind.
    /// </summary>
    public static OsdSet Targets(ValueList<PeerRecoveryPlan> peerPlans, ValueList<ObjRecovery> localPlan, ulong localSeq, ulong authSeq, int whoami)
    {
        var targets = OsdSet.Empty;
        foreach (var plan in peerPlans)
        {
            targets = targets.Add(plan.Target);
        }

        if (!localPlan.IsEmpty || localSeq < authSeq)
        {
            targets = targets.Add(whoami);
        }

        return targets;
    }
}
