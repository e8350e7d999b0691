namespace Peering.Model;

/// <summary>
/// A small scratch buffer of object entries kept in object order, on the stack while it fits, for
/// building maps without intermediate allocations.
/// </summary>
internal ref struct SortedScratch<T>(Span<T> initial)
    where T : struct, IObjectEntry, IEquatable<T>
{
    private Span<T> _items = initial;

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public ref T this[int index] => ref _items[index];

    /// <summary>The index of <paramref name="obj"/>, or where it would be inserted.</summary>
    public readonly int Find(ulong obj, out bool found)
    {
        // Binary search for the first entry not below obj (a linear scan made long images quadratic).
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (_items[mid].Obj < obj)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        found = lo < Count && _items[lo].Obj == obj;
        return lo;
    }

    /// <summary>Inserts <paramref name="item"/> at <paramref name="at"/>, keeping later entries in order.</summary>
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

    /// <summary>The entries as a map: <paramref name="previous"/> itself when it holds the same entries.</summary>
    public readonly ObjectMap<T> ToMap(ObjectMap<T> previous)
    {
        var items = _items[..Count];
        return items.SequenceEqual(previous.AsSpan()) ? previous : ObjectMap.Own(items.ToArray());
    }
}
