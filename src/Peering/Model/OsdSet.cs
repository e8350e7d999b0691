using System.Collections;
using System.Runtime.CompilerServices;

namespace Peering.Model;

/// <summary>
/// An immutable set of OSD ids, kept in ascending signed order (so negative ids come first), as
/// the reference iterates and writes sets. Adding returns a new set; the machine's sets are small.
/// </summary>
[CollectionBuilder(typeof(OsdSet), nameof(Create))]
public readonly struct OsdSet : IEquatable<OsdSet>, IReadOnlyCollection<int>
{
    private readonly int[]? _ids;

    private OsdSet(int[] ids) => _ids = ids;

    /// <summary>The empty set.</summary>
    public static OsdSet Empty => default;

    /// <summary>Number of ids.</summary>
    public int Count => _ids?.Length ?? 0;

    /// <summary>True when the set is empty.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The ids in ascending order.</summary>
    public ReadOnlySpan<int> AsSpan() => _ids;

    /// <summary>Enumerates in ascending order without allocating.</summary>
    public ReadOnlySpan<int>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>Whether <paramref name="id"/> is a member.</summary>
    public bool Contains(int id) => AsSpan().BinarySearch(id) >= 0;

    /// <summary>This set with <paramref name="id"/> added (itself if already present).</summary>
    public OsdSet Add(int id)
    {
        var span = AsSpan();
        var at = span.BinarySearch(id);
        if (at >= 0)
        {
            return this;
        }

        at = ~at;
        var ids = new int[span.Length + 1];
        span[..at].CopyTo(ids);
        ids[at] = id;
        span[at..].CopyTo(ids.AsSpan(at + 1));
        return new OsdSet(ids);
    }

    /// <summary>The union of two sets.</summary>
    public OsdSet Union(OsdSet other)
    {
        var result = this;
        foreach (var id in other.AsSpan())
        {
            result = result.Add(id);
        }

        return result;
    }

    /// <summary>Whether every member of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(OsdSet other)
    {
        foreach (var id in AsSpan())
        {
            if (!other.Contains(id))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A set of the given ids (any order; duplicates collapse).</summary>
    public static OsdSet Of(ReadOnlySpan<int> ids)
    {
        if (ids.IsEmpty)
        {
            return default;
        }

        var sorted = ids.ToArray();
        Array.Sort(sorted);
        var n = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[n - 1])
            {
                sorted[n++] = sorted[i];
            }
        }

        return new OsdSet(n == sorted.Length ? sorted : sorted[..n]);
    }

    /// <summary>
    /// The wire builder: a set is written in ascending order without repeats, so anything else
    /// is a malformed value rather than something to repair silently.
    /// </summary>
    public static OsdSet Create(ReadOnlySpan<int> ids)
    {
        for (var i = 1; i < ids.Length; i++)
        {
            if (ids[i] <= ids[i - 1])
            {
                throw new ArgumentException(ids[i] == ids[i - 1]
                    ? $"OSD id {ids[i]} repeated in a set"
                    : "set not in ascending order");
            }
        }

        return ids.IsEmpty ? default : new OsdSet(ids.ToArray());
    }

    /// <inheritdoc/>
    public bool Equals(OsdSet other) => AsSpan().SequenceEqual(other.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OsdSet other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var id in AsSpan())
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(OsdSet left, OsdSet right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(OsdSet left, OsdSet right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(",", _ids ?? []) + "}";

    IEnumerator<int> IEnumerable<int>.GetEnumerator() => ((IEnumerable<int>)(_ids ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_ids ?? []).GetEnumerator();
}
