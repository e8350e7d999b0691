namespace Peering.Model;

/// <summary>
/// Authority selection and recovery planning (MODEL.md §4): the authoritative sequence, sources and
/// image a census implies, and the exact byte-range plans that bring short holders up to them.
/// Builders take the value they would replace and return it unchanged when the result is equal,
/// so a step that changes nothing allocates nothing.
/// </summary>
public static class Authority
{
    /// <summary><c>MaxSeq(list)</c>: the largest committed sequence of the census.</summary>
    public static ulong MaxSeq(Census census)
    {
        ulong max = 0;
        foreach (var h in census)
        {
            max = Math.Max(max, h.CommittedSeq);
        }

        return max;
    }

    /// <summary>
    /// <c>Sources(list)</c> (MODEL.md §4.3): per object, the first holder (in census order) of the
    /// longest length; only a strictly longer length replaces. The first explicit zero entry of an
    /// object creates a zero-length source that a later positive length replaces.
    /// </summary>
    public static AuthorityImage Sources(Census census, AuthorityImage previous = default)
    {
        var sources = AuthorityImage.Scratch(stackalloc AuthorityEntry[8]);
        foreach (var h in census)
        {
            foreach (var (obj, len) in h.Image)
            {
                var at = sources.Find(obj, out var found);
                if (!found)
                {
                    sources.Insert(at, new AuthorityEntry(obj, h.Osd, len));
                }
                else if (sources[at].Len < len)
                {
                    sources[at] = new AuthorityEntry(obj, h.Osd, len);
                }
            }
        }

        return sources.ToArray(previous);
    }

    /// <summary><c>Values(src)</c> (MODEL.md §4.4): the positive lengths of an authority image.</summary>
    public static ObjectImage Values(AuthorityImage sources, ObjectImage previous = default)
    {
        var values = ObjectImage.Scratch(stackalloc ImageEntry[8]);
        foreach (var (obj, _, len) in sources)
        {
            if (len > 0)
            {
                values.Insert(values.Count, new ImageEntry(obj, len));
            }
        }

        return values.ToArray(previous);
    }

    /// <summary>
    /// <c>SealedMeta(list, src)</c> (MODEL.md §4.6, checks only): the blob metadata of each source
    /// holder that is sealed with a final length equal to the authoritative length.
    /// </summary>
    public static BlobMetaImage SealedMeta(Census census, AuthorityImage sources)
    {
        List<BlobMetaEntry>? result = null;
        foreach (var (obj, osd, len) in sources)
        {
            foreach (var h in census)
            {
                if (h.Osd != osd)
                {
                    continue;
                }

                if (h.BlobMeta.TryGet(obj, out var meta) && meta.Sealed && meta.FinalLen == len)
                {
                    (result ??= []).Add(meta);
                }

                break;
            }
        }

        return result is null ? default : BlobMetaImage.Own(result.ToArray());
    }

    /// <summary>
    /// <c>PeerPlans(src, seq, replicas)</c> (MODEL.md §4.8): a plan for each replica that lacks bytes
    /// or is behind <paramref name="authSeq"/>, in replica order.
    /// </summary>
    public static ValueList<PeerRecoveryPlan> PeerPlans(
        AuthorityImage sources, ulong authSeq, ActingReplicas replicas, ValueList<PeerRecoveryPlan> previous = default)
    {
        // The plans are collected only from the first one that differs from previous: while they agree,
        // nothing is allocated; then into one array of at most a plan per replica, trimmed once at the end.
        var n = 0;
        PeerRecoveryPlan[]? plans = null;
        foreach (var r in replicas)
        {
            var earlier = n < previous.Count ? previous[n] : default;
            var gaps = Images.Gaps(r.Image, sources, earlier.Recoveries);
            if (gaps.IsEmpty && r.CommittedSeq >= authSeq)
            {
                continue;
            }

            var plan = new PeerRecoveryPlan(r.Osd, r.CommittedSeq, authSeq, gaps);
            if (plans is null && (n >= previous.Count || plan != earlier))
            {
                plans = new PeerRecoveryPlan[replicas.MaxCount];
                previous.AsSpan()[..n].CopyTo(plans);
            }

            if (plans is not null)
            {
                plans[n] = plan;
            }

            n++;
        }

        return plans is not null ? ValueList.Own(n == plans.Length ? plans : plans[..n])
            : n == previous.Count ? previous
            : ValueList.Create(previous.AsSpan()[..n]);
    }

    /// <summary><c>LocalPlan(src, L)</c>: the local gaps.</summary>
    public static ValueList<ObjRecovery> LocalPlan(AuthorityImage sources, PgInfo local, ValueList<ObjRecovery> previous = default) =>
        Images.Gaps(local.Image, sources, previous);

    /// <summary>
    /// <c>Targets(...)</c> (MODEL.md §4.9): every peer plan's target, plus <paramref name="whoami"/>
    /// when the local PG has gaps or is behind.
    /// </summary>
    public static OsdSet Targets(ValueList<PeerRecoveryPlan> peerPlans, ValueList<ObjRecovery> localPlan, ulong localSeq, ulong authSeq, int whoami)
    {
        // On the stack only while small: the count comes from the input (acting lists may be long).
        Span<int> ids = peerPlans.Count < 64 ? stackalloc int[peerPlans.Count + 1] : new int[peerPlans.Count + 1];
        var n = 0;
        foreach (var plan in peerPlans)
        {
            ids[n++] = plan.Target;
        }

        if (!localPlan.IsEmpty || localSeq < authSeq)
        {
            ids[n++] = whoami;
        }

        return OsdSet.Of(ids[..n]);
    }
}
