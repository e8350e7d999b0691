using System.Collections;
using System.Runtime.CompilerServices;

namespace Peering.Model;

/// <summary>
/// The peer map <c>osd -> PeerInfo</c>, in ascending OSD order, every value carrying its key as its
/// <see cref="PeerInfo.Osd"/>. Written as the array of its values (TRACE-SCHEMA.md §5.1, key 14).
/// </summary>
[CollectionBuilder(typeof(PeerMap), nameof(Create))]
public readonly struct PeerMap : IEquatable<PeerMap>, IReadOnlyList<PeerInfo>
{
    private readonly PeerInfo[]? _peers;

    private PeerMap(PeerInfo[] peers) => _peers = peers;

    /// <summary>The empty map.</summary>
    public static PeerMap Empty => default;

    /// <summary>Number of peers.</summary>
    public int Count => _peers?.Length ?? 0;

    /// <summary>The peer at <paramref name="index"/> in OSD order.</summary>
    public PeerInfo this[int index] => _peers![index];

    /// <summary>The peers in OSD order.</summary>
    public ReadOnlySpan<PeerInfo> AsSpan() => _peers;

    /// <summary>Enumerates in OSD order without allocating.</summary>
    public ReadOnlySpan<PeerInfo>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>The info stored for <paramref name="osd"/>.</summary>
    public bool TryGet(int osd, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerInfo? info)
    {
        // Binary search (peers are in ascending OSD order): acting lists and peer maps from the
        // input may be long, and every acting entry is looked up.
        var span = AsSpan();
        int lo = 0, hi = span.Length - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var at = span[mid].Osd;
            if (at == osd)
            {
                info = span[mid];
                return true;
            }

            if (at < osd)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        info = null;
        return false;
    }

    /// <summary>Whether <paramref name="osd"/> is a key.</summary>
    public bool ContainsKey(int osd) => TryGet(osd, out _);

    /// <summary>This map with <paramref name="info"/> stored under its own OSD id (replacing any entry).</summary>
    public PeerMap Set(PeerInfo info)
    {
        var span = AsSpan();
        var at = 0;
        while (at < span.Length && span[at].Osd < info.Osd)
        {
            at++;
        }

        var replace = at < span.Length && span[at].Osd == info.Osd;
        var peers = new PeerInfo[replace ? span.Length : span.Length + 1];
        span[..at].CopyTo(peers);
        peers[at] = info;
        span[(replace ? at + 1 : at)..].CopyTo(peers.AsSpan(at + 1));
        return new PeerMap(peers);
    }

    /// <summary>The wire builder: peers in strictly ascending OSD order (each keyed by its <c>osd</c>).</summary>
    public static PeerMap Create(ReadOnlySpan<PeerInfo> peers)
    {
        for (var i = 1; i < peers.Length; i++)
        {
            if (peers[i].Osd <= peers[i - 1].Osd)
            {
                throw new ArgumentException(peers[i].Osd == peers[i - 1].Osd
                    ? $"peer {peers[i].Osd} repeated"
                    : "peers not in ascending OSD order");
            }
        }

        return peers.IsEmpty ? default : new PeerMap(peers.ToArray());
    }

    /// <inheritdoc/>
    public bool Equals(PeerMap other)
    {
        var a = AsSpan();
        var b = other.AsSpan();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PeerMap other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in AsSpan())
        {
            hash.Add(p);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(PeerMap left, PeerMap right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(PeerMap left, PeerMap right) => !left.Equals(right);

    IEnumerator<PeerInfo> IEnumerable<PeerInfo>.GetEnumerator() => ((IEnumerable<PeerInfo>)(_peers ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_peers ?? []).GetEnumerator();
}
