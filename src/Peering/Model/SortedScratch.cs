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
        var at = 0;
        while (at < Count && _items[at].Obj < obj)
        {
            at++;
        }

        found = at < Count && _items[at].Obj == obj;
        return at;
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
