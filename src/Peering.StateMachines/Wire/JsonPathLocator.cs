using System.Text;
using System.Text.Json;

namespace Peering.StateMachines;

/// <summary>
/// Finds the JSON path of a byte offset by re-reading the input. Readers only record where an error
/// happened; the path is computed once, on the error path, so reading costs nothing extra.
/// </summary>
public static class JsonPathLocator
{
    /// <summary>The path (<c>$.a.b[3]</c>) of the value that starts at or contains <paramref name="position"/>.</summary>
    public static string PathAt(ReadOnlySpan<byte> json, long position)
    {
        var frames = new List<Frame>();
        string? pendingProperty = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenStartIndex > position)
                {
                    break;
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = SafeString(ref reader);
                        if (frames.Count > 0)
                        {
                            frames[^1] = frames[^1] with { Property = pendingProperty };
                        }

                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        AdvanceIndex(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (reader.TokenStartIndex == position)
                        {
                            // An error reported at a closing token (a missing key) belongs to its container.
                            return Render(frames, includeLastProperty: false);
                        }

                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        AdvanceIndex(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The input is malformed past some point: the frames read so far are the path.
        }

        return Render(frames, includeLastProperty: true);
    }

    private static void AdvanceIndex(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
        }
    }

    private static string SafeString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static string Render(List<Frame> frames, bool includeLastProperty)
    {
        var sb = new StringBuilder("$");
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            var last = i == frames.Count - 1;
            if (f.IsArray)
            {
                if (f.Index >= 0)
                {
                    sb.Append('[').Append(f.Index).Append(']');
                }
            }
            else if (f.Property is not null && (!last || includeLastProperty))
            {
                sb.Append('.').Append(f.Property);
            }
        }

        return sb.ToString();
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Property);
}
