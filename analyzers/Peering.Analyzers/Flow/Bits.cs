using System;
using System.Collections.Generic;
using System.Text;

namespace Peering.Analyzers.Flow;

/// <summary>An immutable fixed-size bit set (sets of states, or of (state, tag) pairs).</summary>
internal sealed class Bits : IEquatable<Bits>
{
    private readonly ulong[] _words;

    private Bits(int length, ulong[] words)
    {
        Length = length;
        _words = words;
    }

    public int Length { get; }

    public static Bits Empty(int length) => new(length, new ulong[(length + 63) / 64]);

    public static Bits All(int length)
    {
        var result = Empty(length);
        for (var i = 0; i < length; i++)
        {
            result._words[i >> 6] |= 1UL << (i & 63);
        }

        return result;
    }

    /// <summary>The complement within this set's length.</summary>
    public Bits Complement() => All(Length).Except(this);

    public bool IsEmpty
    {
        get
        {
            foreach (var w in _words)
            {
                if (w != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public bool Contains(int i) => i >= 0 && i < Length && (_words[i >> 6] & (1UL << (i & 63))) != 0;

    public Bits With(int i)
    {
        if (i < 0 || i >= Length || Contains(i))
        {
            return this;
        }

        var words = (ulong[])_words.Clone();
        words[i >> 6] |= 1UL << (i & 63);
        return new Bits(Length, words);
    }

    public Bits Union(Bits other)
    {
        if (other.Length != Length)
        {
            throw new ArgumentException("Bit sets of different lengths.", nameof(other));
        }

        ulong[]? words = null;
        for (var i = 0; i < _words.Length; i++)
        {
            var merged = _words[i] | other._words[i];
            if (merged != _words[i])
            {
                words ??= (ulong[])_words.Clone();
                words[i] = merged;
            }
        }

        return words is null ? this : new Bits(Length, words);
    }

    /// <summary>The members of this set that are not in <paramref name="other"/>.</summary>
    public Bits Except(Bits other)
    {
        var words = (ulong[])_words.Clone();
        for (var i = 0; i < words.Length && i < other._words.Length; i++)
        {
            words[i] &= ~other._words[i];
        }

        return new Bits(Length, words);
    }

    /// <summary>The members of this set that are also in <paramref name="other"/>.</summary>
    public Bits Intersect(Bits other)
    {
        var words = (ulong[])_words.Clone();
        for (var i = 0; i < words.Length; i++)
        {
            words[i] &= i < other._words.Length ? other._words[i] : 0;
        }

        return new Bits(Length, words);
    }

    public IEnumerable<int> Members()
    {
        for (var i = 0; i < Length; i++)
        {
            if (Contains(i))
            {
                yield return i;
            }
        }
    }

    public bool Equals(Bits? other)
    {
        if (other is null || other.Length != Length)
        {
            return false;
        }

        for (var i = 0; i < _words.Length; i++)
        {
            if (_words[i] != other._words[i])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Bits);

    public override int GetHashCode()
    {
        var h = Length;
        foreach (var w in _words)
        {
            h = unchecked((h * 31) + w.GetHashCode());
        }

        return h;
    }

    /// <summary>"{A, B}" with the given member names, "{}" when empty.</summary>
    public string Format(IReadOnlyList<string> names)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var i in Members())
        {
            if (!first)
            {
                sb.Append(", ");
            }

            sb.Append(i < names.Count ? names[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            first = false;
        }

        return sb.Append('}').ToString();
    }
}
