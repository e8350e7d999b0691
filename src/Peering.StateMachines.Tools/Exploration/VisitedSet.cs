namespace Peering.StateMachines.Tools;

/// <summary>
/// The set of snapshots seen, as 128-bit hashes in an open-addressing table with linear probing
/// (16 bytes a slot, at most 3/4 full, doubled when it fills). Not synchronized: the explorer only
/// reads it while workers run and adds to it between parallel phases.
/// </summary>
public sealed class VisitedSet
{
    // The all-zero hash marks an empty slot; a real all-zero hash is stored as (0, 1) instead.
    private static readonly Hash128 ZeroStandIn = new(0, 1);

    private Hash128[] _slots;
    private int _mask;

    /// <summary>An empty set with room for about <paramref name="expected"/> hashes before it grows.</summary>
    public VisitedSet(long expected = 1 << 16)
    {
        var capacity = 16L;
        while (capacity * 3 / 4 < expected && capacity < 1L << 30)
        {
            capacity <<= 1;
        }

        _slots = new Hash128[capacity];
        _mask = (int)(capacity - 1);
    }

    /// <summary>Number of hashes in the set.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes held by the table.</summary>
    public long Bytes => (long)_slots.Length * 16;

    /// <summary>Whether <paramref name="key"/> is in the set.</summary>
    public bool Contains(Hash128 key)
    {
        key = Normalize(key);
        var slots = _slots;
        var mask = _mask;
        for (var i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot.Low == key.Low && slot.High == key.High)
            {
                return true;
            }

            if (slot.Low == 0 && slot.High == 0)
            {
                return false;
            }
        }
    }

    /// <summary>Adds <paramref name="key"/>; false if it was already present.</summary>
    public bool Add(Hash128 key)
    {
        key = Normalize(key);
        if ((Count + 1) * 4 > (long)_slots.Length * 3)
        {
            Grow();
        }

        if (!Insert(_slots, _mask, key))
        {
            return false;
        }

        Count++;
        return true;
    }

    private static Hash128 Normalize(Hash128 key) => key.Low == 0 && key.High == 0 ? ZeroStandIn : key;

    private static bool Insert(Hash128[] slots, int mask, Hash128 key)
    {
        for (var i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot.Low == key.Low && slot.High == key.High)
            {
                return false;
            }

            if (slot.Low == 0 && slot.High == 0)
            {
                slots[i] = key;
                return true;
            }
        }
    }

    private void Grow()
    {
        if (_slots.Length >= 1 << 30)
        {
            throw new InvalidOperationException("the visited set is full (2^30 slots)");
        }

        var slots = new Hash128[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (var key in _slots)
        {
            if (key.Low != 0 || key.High != 0)
            {
                Insert(slots, mask, key);
            }
        }

        _slots = slots;
        _mask = mask;
    }
}
