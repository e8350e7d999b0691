namespace Peering.StateMachines;

/// <summary>
/// The seeded random source of event sources and fuzz campaigns: xoshiro256** seeded through SplitMix64 from the full 64-bit
/// seed (the reference truncates its seed to 32 bits; here every seed gives its own stream).
/// Draws are the spec's <c>U{a..b}</c> over closed ranges, unbiased.
/// </summary>
public sealed class Rng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>A stream determined by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary><c>U{min..max}</c>: a uniform draw from the closed range (Lemire's unbiased method).</summary>
    public long Uniform(long min, long max)
    {
        if (max <= min)
        {
            return min;
        }

        var range = (ulong)(max - min) + 1;
        if (range == 0)
        {
            return (long)NextUInt64();
        }

        var product = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = (0 - range) % range;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return min + (long)product;
    }

    /// <summary><c>U{min..max}</c> for 32-bit bounds.</summary>
    public int Uniform(int min, int max) => (int)Uniform((long)min, max);

    /// <summary>True with probability 1/<paramref name="n"/> (the spec's <c>U{0..n-1} == 0</c>).</summary>
    public bool OneIn(int n) => Uniform(0, n - 1) == 0;

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Uniform(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A seed for a sub-stream (a fuzz cycle's seed from the campaign seed and the cycle number).</summary>
    public static ulong Derive(ulong seed, ulong index)
    {
        var x = seed ^ (index * 0x9E3779B97F4A7C15UL);
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
