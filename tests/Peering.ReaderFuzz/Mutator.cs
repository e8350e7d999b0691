using System.Text;
using System.Text.Json;

namespace Peering.ReaderFuzz;

/// <summary>The kinds of mutation: byte-level, and structural ones that find JSON tokens first.</summary>
public enum MutationKind
{
    BitFlip,
    SetByte,
    Truncate,
    Splice,
    TypeSwap,
    NumberExtreme,
    DuplicateKey,
    RemoveKey,
    StringSwap,
    DeepNest,
    InsertBytes,
    DeleteRange,
    SwapElements,
    RepeatRange,
}

/// <summary>One mutation; <c>A</c>, <c>B</c>, <c>C</c> choose positions and values (taken modulo what is there).</summary>
public readonly record struct Mutation(MutationKind Kind, uint A, uint B, uint C)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind}({A},{B},{C})";
}

/// <summary>
/// Applies mutations to a trace line (issue 6 item 2): bit flips, truncations, splices with another
/// line, type swaps, number extremes, duplicated and removed keys, swapped names and broken strings,
/// deep nesting, inserted, deleted and repeated bytes, swapped array elements. Deterministic: the
/// same line and mutations give the same bytes, so CsCheck can shrink a failing plan.
/// </summary>
public static class Mutator
{
    /// <summary>Number of mutation kinds.</summary>
    public static readonly int KindCount = Enum.GetValues<MutationKind>().Length;

    private static readonly byte[] Interesting =
        [0x00, 0xFF, (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)'\\', (byte)',', (byte)':', (byte)'\n', (byte)'\r', (byte)' ',
         (byte)'-', (byte)'0', (byte)'9', (byte)'e', (byte)'.', 0x80, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0x7F];

    private static readonly string[] Values =
        ["\"x\"", "0", "-1", "true", "false", "null", "[]", "{}", "[0]", "{\"a\":1}", "\"\"", "1.5", "[[]]", "[{}]"];

    private static readonly string[] Numbers =
        ["-1", "0", "-0", "1", "127", "255", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
         "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
         "18446744073709551616", "99999999999999999999999999999999", "1e3", "1E-3", "1.0", "0.5", "-1.5e308", "1e400", "00", "01", "-"];

    private static readonly string[] Strings =
        ["\"\"", "\"Initial\"", "\"Clean\"", "\"Deleting\"", "\"Initialize\"", "\"AdvanceMap\"", "\"ReplicaActivate\"", "\"DeleteComplete\"",
         "\"LogTransition\"", "\"ActivatePG\"", "\"SendNotify\"", "\"step\"", "\"summary\"", "\"kind\"", "\"type\"", "\"\\u0000\"",
         "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud83d\\ude00\"", "\"a\\nb\"", "\"\\u2028\"", "\"\\\"\"", "\"\\q\"", "\"\\u12\"", "\"é\"",
         "\"" + new string('x', 300) + "\""];

    private readonly record struct Token(JsonTokenType Type, int Start, int End, bool IsPropertyValue, int PropertyStart);

    /// <summary>Applies <paramref name="plan"/> to <paramref name="line"/>; <paramref name="other"/> is the splice partner.</summary>
    public static byte[] Apply(byte[] line, byte[] other, IEnumerable<Mutation> plan)
    {
        var bytes = line;
        foreach (var m in plan)
        {
            bytes = Apply(bytes, other, m);
        }

        return bytes;
    }

    private static byte[] Apply(byte[] b, byte[] other, Mutation m)
    {
        int At(uint x, int length) => length <= 0 ? 0 : (int)(x % (uint)length);
        switch (m.Kind)
        {
            case MutationKind.BitFlip when b.Length > 0:
            {
                var copy = (byte[])b.Clone();
                copy[At(m.A, b.Length)] ^= (byte)(1 << (int)(m.B % 8));
                return copy;
            }

            case MutationKind.SetByte when b.Length > 0:
            {
                var copy = (byte[])b.Clone();
                copy[At(m.A, b.Length)] = Interesting[At(m.B, Interesting.Length)];
                return copy;
            }

            case MutationKind.Truncate:
                return b[..At(m.A, b.Length + 1)];

            case MutationKind.Splice:
                return [.. b[..At(m.A, b.Length + 1)], .. other[At(m.B, other.Length + 1)..]];

            case MutationKind.InsertBytes:
            {
                var at = At(m.A, b.Length + 1);
                byte[] chunk = m.C % 2 == 0
                    ? [Interesting[At(m.B, Interesting.Length)]]
                    : other[At(m.B, other.Length + 1)..Math.Min(other.Length, At(m.B, other.Length + 1) + 1 + (int)(m.C % 64))];
                return [.. b[..at], .. chunk, .. b[at..]];
            }

            case MutationKind.DeleteRange:
            {
                var at = At(m.A, b.Length + 1);
                var end = Math.Min(b.Length, at + 1 + (int)(m.B % 64));
                return [.. b[..at], .. b[end..]];
            }

            case MutationKind.RepeatRange:
            {
                var at = At(m.A, b.Length + 1);
                var end = Math.Min(b.Length, at + 1 + (int)(m.B % 32));
                var times = 1 + (int)(m.C % 8);
                var result = new List<byte>(b.Length + ((end - at) * times));
                result.AddRange(b[..end]);
                for (var i = 0; i < times; i++)
                {
                    result.AddRange(b[at..end]);
                }

                result.AddRange(b[end..]);
                return [.. result];
            }
        }

        var tokens = Scan(b);
        if (tokens.Count == 0)
        {
            return b;
        }

        switch (m.Kind)
        {
            case MutationKind.TypeSwap:
            {
                var values = tokens.Where(t => t.Type != JsonTokenType.PropertyName).ToList();
                var t = values[At(m.A, values.Count)];
                return Replace(b, t.Start, t.End, Values[At(m.B, Values.Length)]);
            }

            case MutationKind.NumberExtreme:
            {
                var numbers = tokens.Where(t => t.Type == JsonTokenType.Number).ToList();
                if (numbers.Count == 0)
                {
                    return b;
                }

                var t = numbers[At(m.A, numbers.Count)];
                return Replace(b, t.Start, t.End, Numbers[At(m.B, Numbers.Length)]);
            }

            case MutationKind.StringSwap:
            {
                var strings = tokens.Where(t => t.Type is JsonTokenType.String or JsonTokenType.PropertyName).ToList();
                if (strings.Count == 0)
                {
                    return b;
                }

                var t = strings[At(m.A, strings.Count)];
                var end = t.Type == JsonTokenType.PropertyName ? b.AsSpan(t.Start).IndexOf((byte)':') + t.Start : t.End;
                return end < t.Start ? b : Replace(b, t.Start, end, Strings[At(m.B, Strings.Length)]);
            }

            case MutationKind.DuplicateKey:
            case MutationKind.RemoveKey:
            {
                var props = tokens.Where(t => t.IsPropertyValue).ToList();
                if (props.Count == 0)
                {
                    return b;
                }

                var p = props[At(m.A, props.Count)];
                if (m.Kind == MutationKind.DuplicateKey)
                {
                    var member = b[p.PropertyStart..p.End];
                    return [.. b[..p.End], (byte)',', .. member, .. b[p.End..]];
                }

                // Remove the member and one comma next to it.
                var start = p.PropertyStart;
                var stop = p.End;
                if (stop < b.Length && b[stop] == (byte)',')
                {
                    stop++;
                }
                else if (start > 0 && b[start - 1] == (byte)',')
                {
                    start--;
                }

                return [.. b[..start], .. b[stop..]];
            }

            case MutationKind.DeepNest:
            {
                var values = tokens.Where(t => t.Type != JsonTokenType.PropertyName).ToList();
                var t = values[At(m.A, values.Count)];
                var depth = 1 + (int)(m.B % 200);
                var open = m.C % 2 == 0 ? "[" : "{\"a\":";
                var close = m.C % 2 == 0 ? "]" : "}";
                var nested = new StringBuilder();
                for (var i = 0; i < depth; i++)
                {
                    nested.Append(open);
                }

                nested.Append(Encoding.UTF8.GetString(b[t.Start..t.End]));
                for (var i = 0; i < depth; i++)
                {
                    nested.Append(close);
                }

                return Replace(b, t.Start, t.End, nested.ToString());
            }

            case MutationKind.SwapElements:
            {
                // Two consecutive values of the same array (same parent depth): swaps set order or list order.
                var candidates = new List<(Token A, Token B)>();
                for (var i = 0; i < tokens.Count; i++)
                {
                    if (tokens[i].IsPropertyValue || tokens[i].Type == JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    var next = tokens.FindIndex(i + 1, t => t.Start >= tokens[i].End);
                    if (next > 0 && !tokens[next].IsPropertyValue && tokens[next].Type != JsonTokenType.PropertyName
                        && b.AsSpan(tokens[i].End, tokens[next].Start - tokens[i].End).SequenceEqual(","u8))
                    {
                        candidates.Add((tokens[i], tokens[next]));
                    }
                }

                if (candidates.Count == 0)
                {
                    return b;
                }

                var (x, y) = candidates[At(m.A, candidates.Count)];
                return [.. b[..x.Start], .. b[y.Start..y.End], (byte)',', .. b[x.Start..x.End], .. b[y.End..]];
            }
        }

        return b;
    }

    private static byte[] Replace(byte[] b, int start, int end, string replacement) =>
        [.. b[..start], .. Encoding.UTF8.GetBytes(replacement), .. b[end..]];

    /// <summary>The tokens of <paramref name="b"/> as far as it is valid JSON: each value with its byte range.</summary>
    private static List<Token> Scan(byte[] b)
    {
        var tokens = new List<Token>();
        var open = new Stack<(int Index, int Start)>();
        var reader = new Utf8JsonReader(b, new JsonReaderOptions { MaxDepth = 256 });
        var pendingProperty = -1;
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = start;
                        tokens.Add(new Token(JsonTokenType.PropertyName, start, (int)reader.BytesConsumed, false, -1));
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        tokens.Add(new Token(reader.TokenType, start, start + 1, pendingProperty >= 0, pendingProperty));
                        open.Push((tokens.Count - 1, start));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (open.Count > 0)
                        {
                            var (index, _) = open.Pop();
                            tokens[index] = tokens[index] with { End = (int)reader.BytesConsumed };
                        }

                        break;
                    default:
                        tokens.Add(new Token(reader.TokenType, start, (int)reader.BytesConsumed, pendingProperty >= 0, pendingProperty));
                        break;
                }

                pendingProperty = -1;
            }
        }
        catch (JsonException)
        {
            // Use what was read.
        }

        // Containers left open end where the input ends.
        while (open.Count > 0)
        {
            var (index, _) = open.Pop();
            tokens[index] = tokens[index] with { End = b.Length };
        }

        return tokens;
    }
}
