using System.Numerics;
namespace Peering.Model;

/// <summary>
/// A small scratch buffer of elements kept in key order, on the stack while it fits, for building a
/// <see cref="SortedArray{T, TKey, TSortKey}"/> with elements replaced in place and no intermediate
/// allocations.
/// </summary>
internal ref struct SortedScratch<T, TKey, TSortKey>(Span<T> initial)
    where TKey : IComparisonOperators<TKey, TKey, bool>
    where TSortKey : ISortKey<T, TKey>
{
    private Span<T> _items = initial;

    /// <summary>Number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>The element at <paramref name="index"/>.</summary>
    public ref T this[int index] => ref _items[index];

    /// <summary>The index of <paramref name="key"/>, or where it would be inserted.</summary>
    public readonly int Find(TKey key, out bool found) => SortedArray<T, TKey, TSortKey>.Find(_items[..Count], key, out found);

    /// <summary>Inserts <paramref name="item"/> at <paramref name="at"/>, keeping later elements in order.</summary>
    public void Insert(int at, T item)
    {
        if (Count == _items.Length)
        {
            var bigger = new T[_items.Length * 2];
            _items.CopyTo(bigger);
            _items = bigger;
        }

        _items[at..Count].CopyTo(_items[(at + 1)..]);
        _items[at] = item;
        Count++;
    }

    /// <summary>The elements as an array: <paramref name="previous"/> itself when it holds the same elements.</summary>
    public readonly SortedArray<T, TKey, TSortKey> ToArray(SortedArray<T, TKey, TSortKey> previous)
    {
        var items = _items[..Count];
        return items.SequenceEqual(previous.AsSpan()) ? previous : SortedArray<T, TKey, TSortKey>.Own(items.ToArray());
    }
}
