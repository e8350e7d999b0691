using System.Collections;
using System.Runtime.CompilerServices;

namespace Peering.Model;

/// <summary>
/// An immutable ordered list with value equality (element-wise, order significant). The model's
/// lists (OSD lists, plans, recoveries) are values: two snapshots are equal when their contents are.
/// It is also the storage of <see cref="SortedArray{T, TKey, TSortKey}"/>, so that the model's sets
/// and maps share this one implementation of counting, indexing, enumeration, equality and hashing.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public readonly struct ValueList<T> : IEquatable<ValueList<T>>, IReadOnlyList<T>
{
    // Null for the empty list, so that default(ValueList<T>) is the empty list.
    private readonly T[]? _items;

    internal ValueList(T[] items) => _items = items;

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty => default;

    /// <summary>Number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>True when the list has no elements.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">When <paramref name="index"/> is not below <see cref="Count"/>, the empty list included.</exception>
    public T this[int index] => AsSpan()[index];

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <summary>Enumerates without allocating.</summary>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>This list with <paramref name="item"/> appended.</summary>
    public ValueList<T> Add(T item)
    {
        var items = new T[Count + 1];
        AsSpan().CopyTo(items);
        items[^1] = item;
        return new ValueList<T>(items);
    }

    /// <summary>Whether the list contains <paramref name="item"/>.</summary>
    public bool Contains(T item) => Array.IndexOf(_items ?? [], item) >= 0;

    /// <inheritdoc/>
    /// <remarks>The same array is equal at once: unchanged plans and maps are kept by instance, not rebuilt.</remarks>
    public bool Equals(ValueList<T> other) => ReferenceEquals(_items, other._items) || AsSpan().SequenceEqual(other.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(",", _items ?? []) + "]";

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();
}

/// <summary>Builds <see cref="ValueList{T}"/> values.</summary>
public static class ValueList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? default : new ValueList<T>(items.ToArray());

    /// <summary>
    /// A list that takes ownership of <paramref name="items"/>, without a copy. Internal: the
    /// caller must never change the array afterwards, which only this library can promise.
    /// </summary>
    internal static ValueList<T> Own<T>(T[] items) => items.Length == 0 ? default : new ValueList<T>(items);
}
