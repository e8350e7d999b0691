using System.ComponentModel;
using System.Text.Json;

namespace Peering.StateMachines;

/// <summary>
/// The reading helpers every generated <c>{Machine}Json</c> class calls (through <c>using static</c>):
/// tokens, keys, tags, integers in range and the wire errors. One copy here instead of one per
/// generated file; not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JsonWire
{
    /// <summary>A plain record: no tag key belongs in it (a <c>type</c>/<c>kind</c> key is unknown).</summary>
    public const int TagNone = 0;

    /// <summary>A union case read from its <c>{</c>: its tag key, found ahead on a copy, is still to be passed.</summary>
    public const int TagPending = 1;

    /// <summary>A union case whose tag key (the object's first) has been read: a second one is a duplicate.</summary>
    public const int TagConsumed = 2;

    // ---- writing

    /// <summary>
    /// The UTF-8 run <paramref name="prefix"/>, <paramref name="text"/> as a quoted JSON string escaped by
    /// <see cref="JsonEncodedText.Encode(string, System.Text.Encodings.Web.JavaScriptEncoder?)"/>, then
    /// <paramref name="suffix"/>: a key or name the generator could not write as a <c>u8</c> literal.
    /// </summary>
    public static byte[] EncodedRun(string prefix, string text, string suffix)
    {
        var utf8 = System.Text.Encoding.UTF8;
        return [.. utf8.GetBytes(prefix), (byte)'"', .. JsonEncodedText.Encode(text).EncodedUtf8Bytes, (byte)'"', .. utf8.GetBytes(suffix)];
    }

    // ---- reading: tokens, keys, tags

    /// <summary>Reads the first token of a document.</summary>
    public static void Start(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new WireFormatException("empty input", 0);
        }
    }

    /// <summary>
    /// JSON text is UTF-8 (RFC 8259 §8.1), but Utf8JsonReader does not validate the bytes inside strings:
    /// the whole input is checked first, and the first invalid byte is the error's position.
    /// </summary>
    public static void CheckUtf8(System.ReadOnlySpan<byte> json)
    {
        if (System.Text.Unicode.Utf8.IsValid(json))
        {
            return;
        }

        var at = 0;
        while (System.Text.Rune.DecodeFromUtf8(json.Slice(at), out _, out var length) == System.Buffers.OperationStatus.Done)
        {
            at += length;
        }

        throw new WireFormatException("invalid UTF-8 (byte 0x" + json[at].ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ")", at);
    }

    /// <summary>Requires that nothing but whitespace follows the value.</summary>
    public static void Finish(ref Utf8JsonReader r)
    {
        if (r.Read())
        {
            throw new WireFormatException("unexpected data after the value", r.TokenStartIndex);
        }
    }

    /// <summary>Reads the next token; the end of input is an error.</summary>
    public static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new WireFormatException("unexpected end of input", r.BytesConsumed);
        }
    }

    /// <summary>Requires the current token to be <c>{</c>.</summary>
    public static void ExpectStartObject(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(ref r, "an object");
        }
    }

    /// <summary>Requires the current token to be <c>[</c>.</summary>
    public static void ExpectStartArray(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(ref r, "an array");
        }
    }

    /// <summary>Requires the current token to be a string.</summary>
    public static void ExpectString(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.String)
        {
            throw WrongType(ref r, "a string");
        }
    }

    /// <summary>Requires <c>{</c> unless the tag reading already passed it.</summary>
    public static void StartObject(ref Utf8JsonReader r, int tag)
    {
        if (tag != TagConsumed)
        {
            ExpectStartObject(ref r);
        }
    }

    /// <summary>
    /// Reads the keys of one object strictly: each known key at most once, no unknown key, every required
    /// key before the end. The declared order is tried first, so well-ordered input costs one comparison
    /// per key.
    /// </summary>
    public struct KeyReader
    {
        private readonly byte[][] _keys;
        private readonly ulong _required;
        private ulong _seen;
        private int _expected;

        /// <summary>A reader for the declared <paramref name="keys"/>; bit i of <paramref name="required"/> marks key i as required.</summary>
        public KeyReader(byte[][] keys, ulong required)
        {
            _keys = keys;
            _required = required;
            _seen = 0;
            _expected = 0;
        }

        /// <summary>
        /// Moves to the next key and onto its value and returns the key's index, or returns -1 on the
        /// object's end. A tagged object's tag key (<paramref name="tagKey"/>, already matched) is skipped once.
        /// </summary>
        public int NextKey(ref Utf8JsonReader r, ref int tag, System.ReadOnlySpan<byte> tagKey)
        {
            while (true)
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    return -1;
                }

                var key = Match(ref r);
                if (key < 0)
                {
                    if (tag == TagNone || !r.ValueTextEquals(tagKey))
                    {
                        throw UnknownKey(ref r);
                    }

                    if (tag == TagConsumed)
                    {
                        throw DuplicateKey(ref r);
                    }

                    tag = TagConsumed;
                    Next(ref r);
                    continue;
                }

                if ((_seen & (1UL << key)) != 0)
                {
                    throw DuplicateKey(ref r);
                }

                _seen |= 1UL << key;
                _expected = key + 1;
                Next(ref r);
                return key;
            }
        }

        /// <summary>On the object's end: throws for the first required key that did not appear.</summary>
        public readonly void EnsureComplete(ref Utf8JsonReader r)
        {
            if ((_seen & _required) == _required)
            {
                return;
            }

            for (var i = 0; i < _keys.Length; i++)
            {
                if ((_required & (1UL << i)) != 0 && (_seen & (1UL << i)) == 0)
                {
                    throw new WireFormatException("missing key '" + System.Text.Encoding.UTF8.GetString(_keys[i]) + "'", r.TokenStartIndex);
                }
            }
        }

        private readonly int Match(ref Utf8JsonReader r)
        {
            if (_expected < _keys.Length && r.ValueTextEquals(_keys[_expected]))
            {
                return _expected;
            }

            for (var i = 0; i < _keys.Length; i++)
            {
                if (i != _expected && r.ValueTextEquals(_keys[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>From an object's start, moves onto the value of its <paramref name="tagKey"/> key.</summary>
    public static void SeekTag(ref Utf8JsonReader r, System.ReadOnlySpan<byte> tagKey)
    {
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
            {
                throw new WireFormatException("missing key '" + System.Text.Encoding.UTF8.GetString(tagKey) + "'", r.TokenStartIndex);
            }

            var isTag = TextEquals(ref r, tagKey);
            Next(ref r);
            if (isTag)
            {
                return;
            }

            r.Skip();
        }
    }

    // ---- reading: values

    /// <summary>A JSON boolean.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw WrongType(ref r, "a boolean"),
    };

    /// <summary>An integer within <see cref="int"/>.</summary>
    public static int ReadInt32(ref Utf8JsonReader r)
    {
        ExpectNumber(ref r);
        return r.TryGetInt32(out var value) ? value : throw NotInRange(ref r, "int");
    }

    /// <summary>An integer within <see cref="uint"/>.</summary>
    public static uint ReadUInt32(ref Utf8JsonReader r)
    {
        ExpectNumber(ref r);
        return r.TryGetUInt32(out var value) ? value : throw NotInRange(ref r, "uint");
    }

    /// <summary>An integer within <see cref="long"/>.</summary>
    public static long ReadInt64(ref Utf8JsonReader r)
    {
        ExpectNumber(ref r);
        return r.TryGetInt64(out var value) ? value : throw NotInRange(ref r, "long");
    }

    /// <summary>An integer within <see cref="ulong"/>.</summary>
    public static ulong ReadUInt64(ref Utf8JsonReader r)
    {
        ExpectNumber(ref r);
        return r.TryGetUInt64(out var value) ? value : throw NotInRange(ref r, "ulong");
    }

    /// <summary>A string, which must be valid UTF-16 once unescaped.</summary>
    public static string ReadString(ref Utf8JsonReader r)
    {
        ExpectString(ref r);
        return r.GetString()!;
    }

    /// <summary>Requires the current token to be a number.</summary>
    public static void ExpectNumber(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.Number)
        {
            throw WrongType(ref r, "an integer");
        }
    }

    // ---- reading: errors (the position is the offending token's; Parse* adds the JSON path)

    /// <summary>The error for a value of the wrong JSON type.</summary>
    public static WireFormatException WrongType(ref Utf8JsonReader r, string expected)
        => new("expected " + expected + ", found " + Describe(r.TokenType), r.TokenStartIndex);

    /// <summary>How an error names a token type.</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The error for a number that is not an integer of the member's type.</summary>
    public static WireFormatException NotInRange(ref Utf8JsonReader r, string type)
    {
        var text = System.Text.Encoding.UTF8.GetString(r.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(r.ValueSequence) : r.ValueSpan);
        return text.IndexOfAny(['.', 'e', 'E']) >= 0
            ? new("expected an integer, found " + text, r.TokenStartIndex)
            : new(text + " is out of range for " + type, r.TokenStartIndex);
    }

    /// <summary>
    /// ValueTextEquals, with a string whose \u escapes are not valid UTF-16 reported as a wire error at its
    /// own position (tags are matched on a copy of the reader, so Parse*'s catch would not know where).
    /// </summary>
    public static bool TextEquals(ref Utf8JsonReader r, System.ReadOnlySpan<byte> text)
    {
        if (!r.ValueIsEscaped)
        {
            return r.ValueTextEquals(text);
        }

        try
        {
            return r.ValueTextEquals(text);
        }
        catch (System.InvalidOperationException)
        {
            throw InvalidString(ref r);
        }
    }

    /// <summary>The string token's text for an error message (GetString, with the same treatment of broken escapes).</summary>
    public static string Text(ref Utf8JsonReader r)
    {
        try
        {
            return r.GetString() ?? "";
        }
        catch (System.InvalidOperationException)
        {
            throw InvalidString(ref r);
        }
    }

    /// <summary>The error for a string whose escapes are not valid UTF-16.</summary>
    public static WireFormatException InvalidString(ref Utf8JsonReader r)
        => new("invalid string: a \\u escape is not valid UTF-16 (an unpaired surrogate)", r.TokenStartIndex);

    /// <summary>The error for a key the record does not declare.</summary>
    public static WireFormatException UnknownKey(ref Utf8JsonReader r)
        => new("unknown key '" + Text(ref r) + "'", r.TokenStartIndex);

    /// <summary>The error for a key seen twice in one object.</summary>
    public static WireFormatException DuplicateKey(ref Utf8JsonReader r)
        => new("duplicate key '" + Text(ref r) + "'", r.TokenStartIndex);

    /// <summary>The error for an unknown tag or state name.</summary>
    public static WireFormatException UnknownName(ref Utf8JsonReader r, string what)
        => new("unknown " + what + " '" + Text(ref r) + "'", r.TokenStartIndex);

    /// <summary>Malformed JSON (or nesting deeper than the reader allows) as a wire error at its byte position.</summary>
    public static WireFormatException Malformed(JsonException ex, System.ReadOnlySpan<byte> json)
    {
        long position = -1;
        if (ex.LineNumber is long line && ex.BytePositionInLine is long column)
        {
            position = 0;
            for (long l = 0; l < line; l++)
            {
                var newline = System.MemoryExtensions.IndexOf(json.Slice((int)position), (byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                position += newline + 1;
            }

            position = System.Math.Min(position + column, json.Length);
        }

        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", System.StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message.Substring(0, cut);
        }

        return new WireFormatException("malformed JSON: " + message, position).Located(json);
    }

    /// <summary>The error for writing a value of an undeclared union case.</summary>
    public static System.ArgumentException UnknownCase(object? value, string what) => value is null
        ? new System.ArgumentNullException(nameof(value))
        : new System.ArgumentException("Not a declared " + what + " type: " + value.GetType().Name + ".", nameof(value));

    /// <summary>Collects the elements of a JSON array in a pooled buffer.</summary>
    public struct ListBuilder<T>
    {
        private T[]? _items;
        private int _count;

        /// <summary>Appends an element.</summary>
        public void Add(T item)
        {
            if (_items is null)
            {
                _items = System.Buffers.ArrayPool<T>.Shared.Rent(16);
            }
            else if (_count == _items.Length)
            {
                var bigger = System.Buffers.ArrayPool<T>.Shared.Rent(_items.Length * 2);
                System.Array.Copy(_items, bigger, _count);
                Return(_items);
                _items = bigger;
            }

            _items[_count++] = item;
        }

        /// <summary>The elements so far.</summary>
        public readonly System.ReadOnlySpan<T> AsSpan() => _items is null ? default : new System.ReadOnlySpan<T>(_items, 0, _count);

        /// <summary>The elements as an array; returns the buffer.</summary>
        public T[] ToArrayAndFree()
        {
            var result = AsSpan().ToArray();
            Free();
            return result;
        }

        /// <summary>The elements as an immutable array; returns the buffer.</summary>
        public System.Collections.Immutable.ImmutableArray<T> ToImmutableArrayAndFree()
        {
            var result = System.Collections.Immutable.ImmutableArray.Create(AsSpan());
            Free();
            return result;
        }

        /// <summary>Returns the buffer.</summary>
        public void Free()
        {
            if (_items is not null)
            {
                Return(_items);
                _items = null;
                _count = 0;
            }
        }

        private static void Return(T[] items)
            => System.Buffers.ArrayPool<T>.Shared.Return(items, System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
    }
}
