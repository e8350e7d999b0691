using System.Runtime.CompilerServices;
using System.Text;

namespace Peering.StateMachines;

/// <summary>
/// A compact, canonical binary encoding (LEB128 varints, zig-zag for signed values) that generated
/// code writes snapshots into; equal values encode to equal bytes. Used to hash and deduplicate
/// snapshots without going through JSON text.
/// </summary>
public sealed class CanonicalWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with an initial capacity.</summary>
    public CanonicalWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>Writes an unsigned value as a varint.</summary>
    // Inlined for the one-byte case, which is most values of a snapshot (states, counts, small ids):
    // a snapshot is a few hundred of these calls, so the call itself was most of encoding one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(ulong value)
    {
        var length = _length;
        var buffer = _buffer;
        if (value < 0x80 && (uint)length < (uint)buffer.Length)
        {
            buffer[length] = (byte)value;
            _length = length + 1;
            return;
        }

        WriteVarint(value);
    }

    /// <summary>Writes a signed value as a zig-zag varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(long value) => WriteUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes a boolean as one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBoolean(bool value) => WriteUInt64(value ? 1UL : 0UL);

    /// <summary>Writes a string as its UTF-8 length and bytes.</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteUInt64((ulong)count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
