using System.Collections;

namespace Peering.Model;

/// <summary>
/// A holder of an image, as authority selection sees it: an OSD with its committed sequence, its
/// image and its blob metadata (MODEL.md §4.1 entries, without the epochs nothing reads).
/// </summary>
public readonly record struct Holder(int Osd, ulong CommittedSeq, ObjectImage Image, BlobMetaImage BlobMeta)
{
    /// <summary>The holder a peer report describes, under <paramref name="osd"/>.</summary>
    public static Holder Of(int osd, PeerInfo p) => new(osd, p.CommittedSeq, p.Image, p.BlobMeta);
}

/// <summary>
/// <c>Known(whoami, L, P)</c> (MODEL.md §4.1): every peer other than <c>whoami</c> in ascending OSD
/// order, then the local PG last. Never empty. A value that enumerates without allocating.
/// </summary>
public readonly struct Census(int whoami, PgInfo local, PeerMap peers) : IEnumerable<Holder>
{
    /// <summary>The local OSD.</summary>
    public int Whoami { get; } = whoami;

    /// <summary>The local entry, last in the census.</summary>
    public Holder Local => new(Whoami, local.CommittedSeq, local.Image, local.BlobMeta);

    /// <summary>Enumerates the census in order.</summary>
    public Enumerator GetEnumerator() => new(this, peers);

    IEnumerator<Holder> IEnumerable<Holder>.GetEnumerator()
    {
        foreach (var h in this)
        {
            yield return h;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<Holder>)this).GetEnumerator();

    /// <summary>The census enumerator.</summary>
    public struct Enumerator(Census census, PeerMap peers)
    {
        private int _index = -1;

        /// <summary>The current holder.</summary>
        public Holder Current { get; private set; }

        /// <summary>Advances to the next holder.</summary>
        public bool MoveNext()
        {
            var span = peers.AsSpan();
            while (++_index < span.Length)
            {
                if (span[_index].Osd != census.Whoami)
                {
                    Current = Holder.Of(span[_index].Osd, span[_index]);
                    return true;
                }
            }

            if (_index == span.Length)
            {
                Current = census.Local;
                return true;
            }

            return false;
        }
    }
}

/// <summary>
/// <c>ActingReplicas(acting, whoami, P)</c> (MODEL.md §4.7): each acting entry other than negative
/// ids and <c>whoami</c>, in list order with repeats, as its peer report or as an unknown (all-zero)
/// holder. A value that enumerates without allocating.
/// </summary>
public readonly struct ActingReplicas(ActingSet acting, int whoami, PeerMap peers) : IEnumerable<Holder>
{
    /// <summary>Enumerates the replicas in acting order.</summary>
    public Enumerator GetEnumerator() => new(acting.Osds, whoami, peers);

    /// <summary>The most replicas there can be: the acting list's length.</summary>
    public int MaxCount => acting.Osds.Count;

    IEnumerator<Holder> IEnumerable<Holder>.GetEnumerator()
    {
        foreach (var h in this)
        {
            yield return h;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<Holder>)this).GetEnumerator();

    /// <summary>The replica enumerator.</summary>
    public struct Enumerator(ValueList<int> osds, int whoami, PeerMap peers)
    {
        private int _index = -1;

        /// <summary>The current replica.</summary>
        public Holder Current { get; private set; }

        /// <summary>Advances to the next replica.</summary>
        public bool MoveNext()
        {
            while (++_index < osds.Count)
            {
                var x = osds[_index];
                if (x < 0 || x == whoami)
                {
                    continue;
                }

                Current = peers.TryGet(x, out var p) ? Holder.Of(x, p) : new Holder(x, 0, default, default);
                return true;
            }

            return false;
        }
    }
}
