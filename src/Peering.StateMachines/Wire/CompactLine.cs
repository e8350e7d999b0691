using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Peering.StateMachines;

/// <summary>
/// A cursor over one trace line in the exact compact form the writers produce, for the generated
/// strict reader (<c>{Machine}Json.TryReadCompactStep</c>): fixed key runs are matched as bytes, values
/// are read by the generated readers from where the cursor stands. A mismatch leaves
/// <see cref="Problem"/> saying what was expected at which byte.
/// </summary>
public ref struct CompactLine
{
    private readonly ReadOnlySpan<byte> _line;

    /// <summary>A cursor at the start of <paramref name="line"/>.</summary>
    public CompactLine(ReadOnlySpan<byte> line)
    {
        _line = line;
        Position = 0;
        Problem = "";
    }

    /// <summary>The byte offset of the cursor.</summary>
    public int Position { get; private set; }

    /// <summary>What the last failed match expected, and where.</summary>
    public string Problem { get; private set; }

    /// <summary>The rest of the line from the cursor.</summary>
    public readonly ReadOnlySpan<byte> Rest => _line[Position..];

    /// <summary>Matches <paramref name="expected"/> at the cursor and moves past it.</summary>
    public bool Literal(ReadOnlySpan<byte> expected)
    {
        if (!Rest.StartsWith(expected))
        {
            var shown = expected.Length <= 40 ? Encoding.UTF8.GetString(expected) : Encoding.UTF8.GetString(expected[..37]) + "...";
            Problem = $"expected '{shown}' at byte {Position}";
            return false;
        }

        Position += expected.Length;
        return true;
    }

    /// <summary>Reads a non-negative integer (a step number).</summary>
    public bool Number(out long value)
    {
        if (!Utf8Parser.TryParse(Rest, out value, out var consumed) || value < 0)
        {
            Problem = $"expected a step number at byte {Position}";
            return false;
        }

        Position += consumed;
        return true;
    }

    /// <summary>Reads a JSON string without escapes (a state name), returning its UTF-8 content.</summary>
    public bool Name(out ReadOnlySpan<byte> name)
    {
        var rest = Rest;
        var close = rest.Length > 1 && rest[0] == (byte)'"' ? rest[1..].IndexOf((byte)'"') : -1;
        if (close < 0)
        {
            name = default;
            Problem = $"expected a state name at byte {Position}";
            return false;
        }

        name = rest.Slice(1, close);
        Position += close + 2;
        return true;
    }

    /// <summary>Fails with "expected a state name" at the name just read (an unknown one).</summary>
    public bool UnknownName(ReadOnlySpan<byte> name)
    {
        Position -= name.Length + 2;
        Problem = $"expected a state name at byte {Position}";
        return false;
    }

    /// <summary>A reader positioned on the first token of the value at the cursor; give it back to <see cref="Advance"/>.</summary>
    public readonly Utf8JsonReader Reader()
    {
        var reader = new Utf8JsonReader(Rest);
        reader.Read();
        return reader;
    }

    /// <summary>Moves the cursor past the value <paramref name="reader"/> (from <see cref="Reader"/>) has read.</summary>
    public void Advance(in Utf8JsonReader reader) => Position += (int)reader.BytesConsumed;

    /// <summary>Moves the cursor <paramref name="count"/> bytes on (past a value matched as bytes).</summary>
    public void Skip(int count) => Position += count;

    /// <summary>Puts the cursor back at <paramref name="position"/> (a match given up).</summary>
    public void Seek(int position) => Position = position;

    /// <summary>
    /// Matches the key run <paramref name="key"/> at the cursor and at <paramref name="priorAt"/> in
    /// <paramref name="prior"/> (an object of the same type in the same compact form), and moves
    /// <paramref name="priorAt"/> past the prior's value. <paramref name="same"/>: the value at the cursor has
    /// the prior value's bytes, and the cursor is moved past it; otherwise the cursor is on the value, to be
    /// read. False when either side does not have the key there (the prior's value is unreadable included).
    /// </summary>
    public bool Member(ReadOnlySpan<byte> key, ReadOnlySpan<byte> prior, ref int priorAt, out bool same)
    {
        same = false;
        if (!prior[priorAt..].StartsWith(key) || !Literal(key))
        {
            return false;
        }

        var start = priorAt + key.Length;
        var end = ValueEnd(prior, start);
        if (end < 0)
        {
            return false;
        }

        priorAt = end;
        var value = prior[start..end];
        var rest = Rest;

        // A value is self-delimiting but for a number or literal, which the next byte ends.
        if (rest.StartsWith(value) && rest.Length > value.Length && rest[value.Length] is (byte)',' or (byte)'}' or (byte)']')
        {
            Position += value.Length;
            same = true;
        }

        return true;
    }

    /// <summary>
    /// Where the compact JSON value starting at <paramref name="at"/> ends (the index after it): past its
    /// closing quote or bracket, or at the comma or bracket ending a number or literal; -1 when the text ends first.
    /// </summary>
    public static int ValueEnd(ReadOnlySpan<byte> json, int at)
    {
        var depth = 0;
        for (var i = at; i < json.Length;)
        {
            switch (json[i])
            {
                case (byte)'"':
                    for (i++; ; i++)
                    {
                        if (i >= json.Length)
                        {
                            return -1;
                        }

                        if (json[i] == (byte)'\\')
                        {
                            i++;
                        }
                        else if (json[i] == (byte)'"')
                        {
                            break;
                        }
                    }

                    i++;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    i++;
                    break;
                case (byte)'}' or (byte)']':
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    i++;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
                case (byte)',' when depth == 0:
                    return i;
                default:
                    i++;
                    break;
            }
        }

        return depth == 0 ? json.Length : -1;
    }

    /// <summary>Whether the cursor is at the end of the line; otherwise says there is text after the step object.</summary>
    public bool End()
    {
        if (Position != _line.Length)
        {
            Problem = $"text after the step object at byte {Position}";
            return false;
        }

        return true;
    }
}
