using System.Text.Encodings.Web;
using System.Text.Json;

namespace Peering.StateMachines;

/// <summary>
/// The output of the generated JSON writers: compact JSON text in a growable buffer. Keys, tags and
/// state names are constants, so generated code writes them as precomputed UTF-8 runs
/// (<c>,"epoch":</c>) with <see cref="Raw"/>; only values are formatted here. Nothing is validated:
/// the generated writers produce well-formed JSON by construction, and TRACE-SCHEMA.md's byte-exact
/// form is the conformance corpus's to check.
/// </summary>
public sealed class CompactJsonWriter
{
    /// <summary>String values are escaped as the trace format's writers do: only what JSON requires.</summary>
    private static readonly JavaScriptEncoder StringEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private byte[] _buffer;
    private int _length;

    /// <summary>A writer with an initial capacity in bytes.</summary>
    public CompactJsonWriter(int capacity = 1024) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>The number of bytes written since the last <see cref="Reset"/>.</summary>
    public int Length => _length;

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>What <paramref name="write"/> writes, as a new array.</summary>
    public static byte[] Encode(Action<CompactJsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var w = new CompactJsonWriter(256);
        write(w);
        return w.Written.ToArray();
    }

    /// <summary>Copies <paramref name="bytes"/> as they are: a constant run, or JSON already encoded.</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>
    /// Writes the comma between two members or elements: nothing right after <c>{</c> or <c>[</c> (or at the
    /// start), since no JSON value and no key run ends with either. For the members whose predecessors may all
    /// be omitted, and for array elements.
    /// </summary>
    public void Separator()
    {
        if (_length > 0 && _buffer[_length - 1] is not (byte)'{' and not (byte)'[')
        {
            Byte((byte)',');
        }
    }

    /// <summary>Writes the <see cref="Separator"/>, then the key run <paramref name="key"/> (<c>"epoch":</c>).</summary>
    public void Member(ReadOnlySpan<byte> key)
    {
        Separator();
        Raw(key);
    }

    /// <summary>Writes a signed integer.</summary>
    public void Number(long value)
    {
        if (_length + 20 > _buffer.Length)
        {
            Grow(20);
        }

        value.TryFormat(_buffer.AsSpan(_length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Writes an unsigned integer.</summary>
    public void Number(ulong value)
    {
        if (value < 10)
        {
            Byte((byte)('0' + (int)value));
            return;
        }

        if (_length + 20 > _buffer.Length)
        {
            Grow(20);
        }

        value.TryFormat(_buffer.AsSpan(_length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void Boolean(bool value) => Raw(value ? "true"u8 : "false"u8);

    /// <summary>Writes <c>null</c>.</summary>
    public void Null() => Raw("null"u8);

    /// <summary>Writes a string value, quoted, escaped as the trace format requires (<c>null</c> for null).</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        Byte((byte)'"');
        if (IsPlain(value))
        {
            // Printable ASCII with nothing to escape: one byte per char.
            if (_length + value.Length > _buffer.Length)
            {
                Grow(value.Length);
            }

            _length += System.Text.Encoding.ASCII.GetBytes(value, _buffer.AsSpan(_length));
        }
        else
        {
            // The encoder Utf8JsonWriter would use, so that the bytes are the ones it writes.
            Raw(JsonEncodedText.Encode(value, StringEncoder).EncodedUtf8Bytes);
        }

        Byte((byte)'"');
    }

    private static bool IsPlain(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    private void Byte(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    private void Grow(int extra) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
}
