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
