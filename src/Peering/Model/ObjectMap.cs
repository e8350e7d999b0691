using System.Collections;
using System.Runtime.CompilerServices;

namespace Peering.Model;

/// <summary>An entry of a map keyed by object id.</summary>
public interface IObjectEntry
{
    /// <summary>The object id.</summary>
    ulong Obj { get; }
}

/// <summary>
/// An immutable map keyed by object id, kept in ascending (unsigned) object order: the shape of
/// the object image, the authority image and the blob metadata (MODEL.md §2.1-2.3). Written as a
/// JSON array of its entries. "Empty" means no entries at all: an explicit zero-length entry
/// makes an image non-empty (MODEL.md §5).
/// </summary>
[CollectionBuilder(typeof(ObjectMap), nameof(ObjectMap.Create))]
public readonly struct ObjectMap<T> : IEquatable<ObjectMap<T>>, IReadOnlyList<T>
    where T : struct, IObjectEntry, IEquatable<T>
{
    private readonly T[]? _entries;

    internal ObjectMap(T[] entries) => _entries = entries;

    /// <summary>The empty map.</summary>
    public static ObjectMap<T> Empty => default;

    /// <summary>Number of entries.</summary>
    public int Count => _entries?.Length ?? 0;

    /// <summary>True when the map has no entries (a zero-length entry still counts).</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The entry at <paramref name="index"/> in object order.</summary>
    public T this[int index] => _entries![index];

    /// <summary>The entries in object order.</summary>
    public ReadOnlySpan<T> AsSpan() => _entries;

    /// <summary>Enumerates in object order without allocating.</summary>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>The entry for <paramref name="obj"/>, if present.</summary>
    public bool TryGet(ulong obj, out T entry)
    {
        // Binary search (entries are in ascending object order): a lookup in a long image from the
        // input must not make the steps that look up every entry quadratic.
        var span = AsSpan();
        int lo = 0, hi = span.Length - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var at = span[mid].Obj;
            if (at == obj)
            {
                entry = span[mid];
                return true;
            }

            if (at < obj)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>Whether <paramref name="obj"/> has an entry.</summary>
    public bool ContainsKey(ulong obj) => TryGet(obj, out _);

    /// <summary>This map with <paramref name="entry"/> inserted or replacing the entry of its object.</summary>
    public ObjectMap<T> Set(T entry)
    {
        var span = AsSpan();
        var at = 0;
        while (at < span.Length && span[at].Obj < entry.Obj)
        {
            at++;
        }

        var replace = at < span.Length && span[at].Obj == entry.Obj;
        var entries = new T[replace ? span.Length : span.Length + 1];
        span[..at].CopyTo(entries);
        entries[at] = entry;
        span[(replace ? at + 1 : at)..].CopyTo(entries.AsSpan(at + 1));
        return new ObjectMap<T>(entries);
    }

    /// <inheritdoc/>
    public bool Equals(ObjectMap<T> other) => AsSpan().SequenceEqual(other.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ObjectMap<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in AsSpan())
        {
            hash.Add(e);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality (same entries, zero-length entries included).</summary>
    public static bool operator ==(ObjectMap<T> left, ObjectMap<T> right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(ObjectMap<T> left, ObjectMap<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(",", _entries ?? []) + "]";

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_entries ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_entries ?? []).GetEnumerator();
}

/// <summary>Builds <see cref="ObjectMap{T}"/> values.</summary>
public static class ObjectMap
{
    /// <summary>
    /// The wire builder: entries must be in strictly ascending object order (as every writer
    /// writes them); a repeated or out-of-order object id is a malformed value.
    /// </summary>
    public static ObjectMap<T> Create<T>(ReadOnlySpan<T> entries)
        where T : struct, IObjectEntry, IEquatable<T>
    {
        for (var i = 1; i < entries.Length; i++)
        {
            if (entries[i].Obj <= entries[i - 1].Obj)
            {
                throw new ArgumentException(entries[i].Obj == entries[i - 1].Obj
                    ? $"object {entries[i].Obj} repeated"
                    : "objects not in ascending order");
            }
        }

        return entries.IsEmpty ? default : new ObjectMap<T>(entries.ToArray());
    }

    /// <summary>A map that takes ownership of entries already in ascending object order.</summary>
    internal static ObjectMap<T> Own<T>(T[] sortedEntries)
        where T : struct, IObjectEntry, IEquatable<T> =>
        sortedEntries.Length == 0 ? default : new ObjectMap<T>(sortedEntries);
}

/// <summary>One object of an image: its readable prefix length.</summary>
public readonly record struct ImageEntry(ulong Obj, ulong Len) : IObjectEntry;

/// <summary>One object of an authority image: the OSD backing it and the authoritative length (MODEL.md §2.2).</summary>
public readonly record struct AuthorityEntry(ulong Obj, int Osd, ulong Len) : IObjectEntry;

/// <summary>Blob-level finalization metadata of one object (MODEL.md §2.3); absent <see cref="FinalLen"/> is not written.</summary>
public readonly record struct BlobMetaEntry(ulong Obj, bool Sealed, ulong? FinalLen) : IObjectEntry;
