using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>One field that differs between what a trace says and what the reducer did.</summary>
public sealed record FieldDifference(string Path, string Expected, string Actual);

/// <summary>
/// A focused structural diff of two JSON values: only the leaves that differ, with their paths.
/// Objects are compared key by key, arrays element by element (a length difference is reported once).
/// </summary>
public static class JsonDiff
{
    /// <summary>Up to <paramref name="limit"/> differences between <paramref name="expected"/> and <paramref name="actual"/>.</summary>
    public static List<FieldDifference> Compare(string path, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int limit = 8)
    {
        using var e = JsonDocument.Parse(expected.ToArray());
        using var a = JsonDocument.Parse(actual.ToArray());
        var diffs = new List<FieldDifference>();
        Walk(path, e.RootElement, a.RootElement, diffs, limit);
        return diffs;
    }

    private static void Walk(string path, JsonElement e, JsonElement a, List<FieldDifference> diffs, int limit)
    {
        if (diffs.Count >= limit)
        {
            return;
        }

        if (e.ValueKind == JsonValueKind.Object && a.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (a.TryGetProperty(p.Name, out var av))
                {
                    Walk($"{path}.{p.Name}", p.Value, av, diffs, limit);
                }
                else
                {
                    diffs.Add(new FieldDifference($"{path}.{p.Name}", Short(p.Value), "(missing)"));
                }
            }

            foreach (var p in a.EnumerateObject())
            {
                if (!e.TryGetProperty(p.Name, out _) && diffs.Count < limit)
                {
                    diffs.Add(new FieldDifference($"{path}.{p.Name}", "(missing)", Short(p.Value)));
                }
            }

            return;
        }

        if (e.ValueKind == JsonValueKind.Array && a.ValueKind == JsonValueKind.Array)
        {
            var el = e.GetArrayLength();
            var al = a.GetArrayLength();
            if (el != al)
            {
                diffs.Add(new FieldDifference(path, Short(e), Short(a)));
                return;
            }

            for (var i = 0; i < el; i++)
            {
                Walk($"{path}[{i}]", e[i], a[i], diffs, limit);
            }

            return;
        }

        var es = e.GetRawText();
        var @as = a.GetRawText();
        if (es != @as)
        {
            diffs.Add(new FieldDifference(path, Short(e), Short(a)));
        }
    }

    private static string Short(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
