using System.Text.Json.Nodes;

namespace Peering.StateMachines.Tools;

/// <summary>Reads and writes a value at a path as <see cref="JsonDiff"/> writes them: <c>$.after.peer_info[0].committed_seq</c>.</summary>
public static class JsonPath
{
    /// <summary>The value at <paramref name="path"/>, or null when the path does not exist (or holds null).</summary>
    public static JsonNode? Get(JsonNode root, string path)
    {
        var node = root;
        foreach (var segment in Segments(path))
        {
            node = Child(node, segment);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Replaces the value at <paramref name="path"/>; false when its parent does not hold it.</summary>
    public static bool TrySet(JsonNode root, string path, JsonNode? value)
    {
        var segments = Segments(path).ToList();
        if (segments.Count == 0)
        {
            return false;
        }

        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = Child(parent, segment);
            if (parent is null)
            {
                return false;
            }
        }

        switch (parent, segments[^1])
        {
            case (JsonObject o, { Name: { } name }) when o.ContainsKey(name):
                o[name] = value;
                return true;
            case (JsonArray a, { Index: { } i }) when i < a.Count:
                a[i] = value;
                return true;
            default:
                return false;
        }
    }

    private readonly record struct Segment(string? Name, int? Index);

    private static JsonNode? Child(JsonNode? node, Segment segment) => (node, segment) switch
    {
        (JsonObject o, { Name: { } name }) => o.TryGetPropertyValue(name, out var v) ? v : null,
        (JsonArray a, { Index: { } i }) => i < a.Count ? a[i] : null,
        _ => null,
    };

    private static IEnumerable<Segment> Segments(string path)
    {
        var at = path.StartsWith('$') ? 1 : 0;
        while (at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                yield return new Segment(path[(at + 1)..end], null);
                at = end;
            }
            else if (path[at] == '[')
            {
                var end = path.IndexOf(']', at);
                yield return new Segment(null, int.Parse(path.AsSpan(at + 1, end - at - 1), System.Globalization.CultureInfo.InvariantCulture));
                at = end + 1;
            }
            else
            {
                throw new FormatException($"not a JSON path: {path}");
            }
        }
    }
}
