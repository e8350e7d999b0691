using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Peering.Model;

/// <summary>
/// The key a <see cref="SortedArray{T, TKey, TSortKey}"/> keeps its elements in ascending order of
/// and looks them up by. Static members on a struct, so that the array's code is compiled for each
/// key and reading a key is a direct, inlined call rather than a virtual one.
/// </summary>
public interface ISortKey<T, TKey>
{
    /// <summary>The key of <paramref name="item"/>.</summary>
    static abstract TKey KeyOf(T item);

    /// <summary>What a key is, for the wire builder's errors ("OSD id", "object", ...).</summary>
    static abstract string KeyName { get; }
}

/// <summary>
/// An immutable array of values in strictly ascending key order, at most one element per key,
/// with value equality: the one implementation behind the model's sets and maps. The spec's
/// names are aliases of it (build/Peering.Reducer.props), not types of their own, so that each
/// operation is written once: <c>OsdSet</c> (<c>set&lt;OsdId&gt;</c>, the key is the id),
/// <c>PeerMap</c> (<c>peer_info</c>, PeerInfo by its OSD) and the object-keyed images
/// <c>ObjectImage</c>, <c>AuthorityImage</c> and <c>BlobMetaImage</c> (MODEL.md §2.1-2.3), each
/// written as the JSON array of its elements. Changing an array returns a new one; the model's
/// arrays are small, and lookups are binary searches because arrays read from a trace may not be.
/// </summary>
/// <typeparam name="T">The element.</typeparam>
/// <typeparam name="TKey">The key: an id (signed order for OSD ids, unsigned for object ids), compared with its operators.</typeparam>
/// <typeparam name="TSortKey">How an element's key is read.</typeparam>
[CollectionBuilder(typeof(SortedArray), nameof(SortedArray.Create))]
public readonly record struct SortedArray<T, TKey, TSortKey> : IReadOnlyList<T>
    where TKey : IComparisonOperators<TKey, TKey, bool>
    where TSortKey : ISortKey<T, TKey>
{
    // A record struct: equality and hashing are those of this one field, the list's element-wise ones.
    private readonly ValueList<T> _items;

    private SortedArray(ValueList<T> items) => _items = items;

    /// <summary>The empty array.</summary>
    public static SortedArray<T, TKey, TSortKey> Empty => default;

    /// <summary>Number of elements.</summary>
    public int Count => _items.Count;

    /// <summary>True when there are no elements (for an image, an explicit zero-length entry is one).</summary>
    public bool IsEmpty => _items.IsEmpty;

    /// <summary>The element at <paramref name="index"/> in key order.</summary>
    /// <exception cref="IndexOutOfRangeException">When <paramref name="index"/> is not below <see cref="Count"/>, the empty array included.</exception>
    public T this[int index] => _items[index];

    /// <summary>The elements in key order.</summary>
    public ReadOnlySpan<T> AsSpan() => _items.AsSpan();

    /// <summary>Enumerates in key order without allocating.</summary>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => _items.GetEnumerator();

    /// <summary>Whether an element has <paramref name="key"/>: membership of a set, a key of a map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(TKey key)
    {
        Find(AsSpan(), key, out var found);
        return found;
    }

    /// <summary>The element with <paramref name="key"/>, if there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out T item)
    {
        var span = AsSpan();
        var at = Find(span, key, out var found);
        item = found ? span[at] : default;
        return found;
    }

    /// <summary>This array with <paramref name="item"/> added; itself when its key is already present.</summary>
    public SortedArray<T, TKey, TSortKey> Add(T item) => Insert(item, replace: false);

    /// <summary>This array with <paramref name="item"/> stored under its key, replacing the element there.</summary>
    public SortedArray<T, TKey, TSortKey> Set(T item) => Insert(item, replace: true);

    /// <summary>Whether every key of this array is a key of <paramref name="other"/>.</summary>
    public bool IsSubsetOf(SortedArray<T, TKey, TSortKey> other)
    {
        foreach (var item in AsSpan())
        {
            if (!other.Contains(TSortKey.KeyOf(item)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The elements of both arrays; under a key of both, this array's element.</summary>
    public SortedArray<T, TKey, TSortKey> Union(SortedArray<T, TKey, TSortKey> other)
    {
        if (other.IsSubsetOf(this))
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        ReadOnlySpan<T> a = AsSpan(), b = other.AsSpan();
        var merged = new T[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var (x, y) = (TSortKey.KeyOf(a[i]), TSortKey.KeyOf(b[j]));
            merged[n++] = x <= y ? a[i++] : b[j++];
            if (x == y)
            {
                j++;
            }
        }

        a[i..].CopyTo(merged.AsSpan(n));
        n += a.Length - i;
        b[j..].CopyTo(merged.AsSpan(n));
        n += b.Length - j;
        return Own(n == merged.Length ? merged : merged[..n]);
    }

    /// <summary>
    /// An array of <paramref name="items"/> in any order. Elements with the same key collapse to one
    /// of them, which is the usual meaning for a set, whose elements are their keys.
    /// </summary>
    public static SortedArray<T, TKey, TSortKey> Of(ReadOnlySpan<T> items)
    {
        if (items.IsEmpty)
        {
            return default;
        }

        var sorted = items.ToArray();
        if (sorted.Length <= 16)
        {
            // Insertion sort: the usual input is a handful of OSD ids.
            for (var i = 1; i < sorted.Length; i++)
            {
                var (item, j) = (sorted[i], i);
                for (; j > 0 && TSortKey.KeyOf(sorted[j - 1]) > TSortKey.KeyOf(item); j--)
                {
                    sorted[j] = sorted[j - 1];
                }

                sorted[j] = item;
            }
        }
        else
        {
            // Long inputs (lists read from a trace) are sorted through their keys, which the
            // runtime compares directly rather than through a comparer interface.
            var keys = new TKey[sorted.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                keys[i] = TSortKey.KeyOf(sorted[i]);
            }

            keys.AsSpan().Sort(sorted.AsSpan());
        }

        var n = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (TSortKey.KeyOf(sorted[i]) != TSortKey.KeyOf(sorted[n - 1]))
            {
                sorted[n++] = sorted[i];
            }
        }

        return Own(n == sorted.Length ? sorted : sorted[..n]);
    }

    /// <summary>
    /// The wire builder: arrays are written in strictly ascending key order, so a repeated or
    /// out-of-order key is a malformed value (an <see cref="ArgumentException"/>), not something to
    /// repair silently.
    /// </summary>
    public static SortedArray<T, TKey, TSortKey> Create(ReadOnlySpan<T> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var (previous, key) = (TSortKey.KeyOf(items[i - 1]), TSortKey.KeyOf(items[i]));
            if (previous >= key)
            {
                throw new ArgumentException(previous == key
                    ? $"{TSortKey.KeyName} {key} repeated"
                    : $"{TSortKey.KeyName}s not in ascending order");
            }
        }

        return new SortedArray<T, TKey, TSortKey>(ValueList.Create(items));
    }

    /// <summary>
    /// An array that takes ownership of <paramref name="sorted"/>, without a copy or a check.
    /// Internal: the caller must pass strictly ascending keys and never change the array afterwards.
    /// </summary>
    internal static SortedArray<T, TKey, TSortKey> Own(T[] sorted) => new(ValueList.Own(sorted));

    /// <summary>A scratch buffer for building an array, starting in <paramref name="initial"/> (stack space, typically).</summary>
    internal static SortedScratch<T, TKey, TSortKey> Scratch(Span<T> initial) => new(initial);

    /// <summary>
    /// The index of the first element of <paramref name="sorted"/> whose key is not below
    /// <paramref name="key"/> (where it would be inserted), and whether that element has the key.
    /// </summary>
    /// <remarks>
    /// Inlined, with <see cref="Contains"/> and <see cref="TryGet"/>, into the caller: the runtime
    /// compiles one body of this type for all reference element types (PeerInfo), in which
    /// reading a key is an indirect call; inlined, each call site reads the key directly.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Find(ReadOnlySpan<T> sorted, TKey key, out bool found)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (TSortKey.KeyOf(sorted[mid]) < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        found = lo < sorted.Length && TSortKey.KeyOf(sorted[lo]) == key;
        return lo;
    }

    private SortedArray<T, TKey, TSortKey> Insert(T item, bool replace)
    {
        var span = AsSpan();
        var at = Find(span, TSortKey.KeyOf(item), out var found);
        if (found && !replace)
        {
            return this;
        }

        var items = new T[found ? span.Length : span.Length + 1];
        span[..at].CopyTo(items);
        items[at] = item;
        span[(found ? at + 1 : at)..].CopyTo(items.AsSpan(at + 1));
        return Own(items);
    }

    /// <inheritdoc/>
    public override string ToString() => _items.ToString();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)_items).GetEnumerator();
}

/// <summary>Builds <see cref="SortedArray{T, TKey, TSortKey}"/> values (the collection builder the wire readers call).</summary>
public static class SortedArray
{
    /// <inheritdoc cref="SortedArray{T, TKey, TSortKey}.Create(ReadOnlySpan{T})"/>
    public static SortedArray<T, TKey, TSortKey> Create<T, TKey, TSortKey>(ReadOnlySpan<T> items)
        where TKey : IComparisonOperators<TKey, TKey, bool>
        where TSortKey : ISortKey<T, TKey> =>
        SortedArray<T, TKey, TSortKey>.Create(items);
}
