using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Peering.StateMachines;

namespace Peering.TestMachines;

/// <summary>What the door frame is made of.</summary>
public enum Material
{
    /// <summary>Pine.</summary>
    Wood,

    /// <summary>Oak (the default).</summary>
    Oak,

    /// <summary>Steel.</summary>
    Steel,
}

/// <summary>The frame: its material and how many dents kicks left in it (wire key <c>dent_count</c>).</summary>
public sealed record Frame(Material Material, [WireName("dent_count")] ulong Dents);

/// <summary>
/// Everything about the door, as traces record it before and after each step.
/// </summary>
/// <param name="State">The machine's state.</param>
/// <param name="Bolted">Whether the bolt is thrown.</param>
/// <param name="Key">The key that threw the bolt ("" when not bolted).</param>
/// <param name="Turns">How many times the bolt was turned (0 when not bolted).</param>
/// <param name="Kicks">Kicks taken while locked since the bolt was thrown.</param>
/// <param name="Opens">How many times the door was opened.</param>
/// <param name="Frame">The frame.</param>
/// <param name="KeysTried">Wrong keys tried on the lock, ascending.</param>
/// <param name="LastForce">The force of the last push or kick, or null before the first.</param>
public sealed record DoorSnapshot(
    DoorState State,
    bool Bolted,
    string Key,
    uint Turns,
    int Kicks,
    long Opens,
    Frame Frame,
    KeySet KeysTried,
    long? LastForce);

/// <summary>
/// An immutable set of strings kept in ascending ordinal order; written as a JSON array. Built from a
/// span by <see cref="Create"/>, which rejects unsorted or repeated keys with an <see cref="ArgumentException"/>
/// (a wire error when read from JSON).
/// </summary>
[CollectionBuilder(typeof(KeySet), nameof(Create))]
public sealed class KeySet : IEnumerable<string>, IEquatable<KeySet>
{
    private readonly ImmutableArray<string> _keys;

    private KeySet(ImmutableArray<string> keys) => _keys = keys;

    /// <summary>The empty set.</summary>
    public static KeySet Empty { get; } = new(ImmutableArray<string>.Empty);

    /// <summary>The number of keys.</summary>
    public int Count => _keys.Length;

    /// <summary>A set of <paramref name="keys"/>, which must be distinct and in ascending ordinal order.</summary>
    public static KeySet Create(ReadOnlySpan<string> keys)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            if (string.CompareOrdinal(keys[i - 1], keys[i]) >= 0)
            {
                throw new ArgumentException("keys must be distinct and in ascending order", nameof(keys));
            }
        }

        return keys.IsEmpty ? Empty : new KeySet(ImmutableArray.Create(keys));
    }

    /// <summary>Whether <paramref name="key"/> is in the set.</summary>
    public bool Contains(string key) => _keys.BinarySearch(key, StringComparer.Ordinal) >= 0;

    /// <summary>This set with <paramref name="key"/>.</summary>
    public KeySet Add(string key)
    {
        var index = _keys.BinarySearch(key, StringComparer.Ordinal);
        return index >= 0 ? this : new KeySet(_keys.Insert(~index, key));
    }

    /// <summary>The keys in ascending order, without allocating.</summary>
    public ImmutableArray<string>.Enumerator GetEnumerator() => _keys.GetEnumerator();

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => ((IEnumerable<string>)_keys).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<string>)_keys).GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(KeySet? other) => other is not null && _keys.AsSpan().SequenceEqual(other._keys.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as KeySet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var key in _keys)
        {
            hash.Add(key, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _keys) + "]";
}
