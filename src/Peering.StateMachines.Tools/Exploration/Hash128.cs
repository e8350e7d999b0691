using System.Buffers.Binary;
using System.Numerics;

namespace Peering.StateMachines.Tools;

/// <summary>
/// A 128-bit hash: MurmurHash3 x64-128 (seed 0), the public-domain hash of SMHasher. The explorer keys
/// its visited set by the hash of a snapshot's canonical encoding, so a snapshot costs 16 bytes there
/// however large it is. Not cryptographic: it assumes inputs are not chosen to collide.
/// </summary>
public readonly record struct Hash128(ulong Low, ulong High)
{
    private const ulong C1 = 0x87c37b91114253d5UL;
    private const ulong C2 = 0x4cf5ad432745937fUL;

    /// <summary>The hash of <paramref name="data"/>.</summary>
    public static Hash128 Of(ReadOnlySpan<byte> data)
    {
        ulong h1 = 0, h2 = 0;
        var blocks = data.Length / 16;
        for (var i = 0; i < blocks; i++)
        {
            var k1 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16, 8));
            var k2 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice((i * 16) + 8, 8));
            h1 ^= MixK1(k1);
            h1 = (BitOperations.RotateLeft(h1, 27) + h2) * 5 + 0x52dce729;
            h2 ^= MixK2(k2);
            h2 = (BitOperations.RotateLeft(h2, 31) + h1) * 5 + 0x38495ab5;
        }

        var tail = data[(blocks * 16)..];
        if (tail.Length > 8)
        {
            h2 ^= MixK2(ReadPartial(tail[8..]));
        }

        if (tail.Length > 0)
        {
            h1 ^= MixK1(ReadPartial(tail[..Math.Min(8, tail.Length)]));
        }

        h1 ^= (ulong)data.Length;
        h2 ^= (ulong)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = FMix(h1);
        h2 = FMix(h2);
        h1 += h2;
        h2 += h1;
        return new Hash128(h1, h2);
    }

    /// <summary>The 16 bytes in MurmurHash3's output order (low half first, each little-endian), as lowercase hex.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Low);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], High);
        return Convert.ToHexStringLower(bytes);
    }

    private static ulong MixK1(ulong k) => BitOperations.RotateLeft(k * C1, 31) * C2;

    private static ulong MixK2(ulong k) => BitOperations.RotateLeft(k * C2, 33) * C1;

    // Up to 8 trailing bytes as a little-endian value (the reference's fall-through switch).
    private static ulong ReadPartial(ReadOnlySpan<byte> bytes)
    {
        ulong k = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            k = (k << 8) | bytes[i];
        }

        return k;
    }

    private static ulong FMix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdUL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53UL;
        k ^= k >> 33;
        return k;
    }
}
