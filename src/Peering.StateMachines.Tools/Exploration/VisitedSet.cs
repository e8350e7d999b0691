using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Peering.StateMachines.Tools;

/// <summary>
/// The set of snapshots seen, as 128-bit hashes in an open-addressing table with linear probing
/// (16 bytes a slot, at most 3/4 full, doubled when it fills). One writer and any number of readers
/// at once: the explorer's merge adds while the workers expanding the next batch read, and a reader
/// may miss a hash being added but never finds one that is not there.
/// </summary>
public sealed class VisitedSet
{
    // A high word of zero marks an empty slot, so a hash whose high word is zero is stored with high
    // word 1 (the two then count as one: a collision no likelier than the hash's own). The high word
    // is written last and read first: a slot being filled reads as empty, never as another hash.
    private Slot[] _slots;

    /// <summary>An empty set with room for about <paramref name="expected"/> hashes before it grows.</summary>
    public VisitedSet(long expected = 1 << 16)
    {
        var capacity = 16L;
        while (capacity * 3 / 4 < expected && capacity < 1L << 30)
        {
            capacity <<= 1;
        }

        _slots = new Slot[capacity];
    }

    /// <summary>Number of hashes in the set.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes held by the table.</summary>
    public long Bytes => (long)_slots.Length * 16;

    /// <summary>Whether <paramref name="key"/> is in the set (safe while the writer adds).</summary>
    public bool Contains(Hash128 key)
    {
        var high = HighOf(key);
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        for (var i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            var slotHigh = Volatile.Read(ref slot.High);
            if (slotHigh == 0)
            {
                return false;
            }

            if (slotHigh == high && slot.Low == key.Low)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Asks the processor to bring the slot where a lookup of <paramref name="key"/> starts into its
    /// cache, without waiting for it: a lookup issued a step later finds it there instead of stalling
    /// on a random read of a large table. A hint only (nothing on processors without SSE).
    /// </summary>
    public unsafe void Prefetch(Hash128 key)
    {
        if (Sse.IsSupported)
        {
            // Unpinned: if the table moves meanwhile, the hint names a stale address, and a prefetch never faults.
            var slots = Volatile.Read(ref _slots);
            Sse.Prefetch0(Unsafe.AsPointer(ref slots[(int)key.Low & (slots.Length - 1)]));
        }
    }

    /// <summary>Adds <paramref name="key"/>; false if it was already present. One thread adds at a time.</summary>
    public bool Add(Hash128 key)
    {
        if ((Count + 1) * 4 > (long)_slots.Length * 3)
        {
            Grow();
        }

        if (!Insert(_slots, key.Low, HighOf(key)))
        {
            return false;
        }

        Count++;
        return true;
    }

    private static ulong HighOf(Hash128 key) => key.High == 0 ? 1 : key.High;

    private static bool Insert(Slot[] slots, ulong low, ulong high)
    {
        var mask = slots.Length - 1;
        for (var i = (int)low & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.High == 0)
            {
                slot.Low = low;
                Volatile.Write(ref slot.High, high);
                return true;
            }

            if (slot.High == high && slot.Low == low)
            {
                return false;
            }
        }
    }

    private void Grow()
    {
        if (_slots.Length >= 1 << 30)
        {
            throw new InvalidOperationException("the visited set is full (2^30 slots)");
        }

        // Readers still probing the old table see a subset of the set: they may miss, never mistake.
        var slots = new Slot[_slots.Length * 2];
        foreach (var slot in _slots)
        {
            if (slot.High != 0)
            {
                Insert(slots, slot.Low, slot.High);
            }
        }

        Volatile.Write(ref _slots, slots);
    }

    private struct Slot
    {
        public ulong Low;
        public ulong High;
    }
}
