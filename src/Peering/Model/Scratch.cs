namespace Peering.Model;

/// <summary>
/// A small list on the stack while it fits, for collecting ids before building their immutable set or
/// list: the usual handful costs no allocation, and a long input (a prior set read from a trace)
/// moves to the heap, doubling, so collecting stays linear.
/// </summary>
internal ref struct Scratch<T>(Span<T> initial)
    where T : IEquatable<T>
{
    private Span<T> _items = initial;

    /// <summary>Number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>The elements, in the order added.</summary>
    public readonly ReadOnlySpan<T> Items => _items[..Count];

    /// <summary>Appends <paramref name="item"/>.</summary>
    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            var bigger = new T[Math.Max(4, _items.Length * 2)];
            _items.CopyTo(bigger);
            _items = bigger;
        }

        _items[Count++] = item;
    }

    /// <summary>Whether <paramref name="item"/> was added.</summary>
    public readonly bool Contains(T item) => Items.Contains(item);
}
