using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Smaller variants of one event, for the shrinker's second phase: through the event's JSON form,
    /// each list without one of its entries (and emptied), each number set to 0, halved or moved one
    /// step toward 0, each <c>true</c> set to <c>false</c>. A variant is kept only if it reads back as
    /// a valid event (the generated reader enforces every wire rule, e.g. ascending object ids) and is
    /// strictly smaller by <see cref="Size"/>, so simplification always terminates.
    /// </summary>
    public static class EventSimplifier
    {
        /// <summary>The variants of <paramref name="e"/>, larger cuts first.</summary>
        public static IEnumerable<TEvent> Variants(TEvent e)
        {
            var json = CompactJsonWriter.Encode(w => TContract.WriteEvent(w, e));
            var size = Size(JsonNode.Parse(json)!);
            var root = JsonNode.Parse(json)!;
            foreach (var site in Sites(root))
            {
                foreach (var mutate in Mutations(site))
                {
                    var candidate = root.DeepClone();
                    mutate(Locate(candidate, site.Path));
                    if (TryRead(candidate, out var variant) && !SameEvent(variant, e)
                        && Size(JsonNode.Parse(CompactJsonWriter.Encode(w => TContract.WriteEvent(w, variant)))!) < size)
                    {
                        yield return variant;
                    }
                }
            }
        }

        /// <summary>The measure simplification decreases: magnitudes of numbers, list entries and <c>true</c> values.</summary>
        public static decimal Size(JsonNode? node) => node switch
        {
            JsonObject o => o.Sum(p => Size(p.Value)),
            JsonArray a => a.Count + a.Sum(Size),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => Math.Abs(v.GetValue<decimal>()),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => 1,
            _ => 0,
        };

        private static bool TryRead(JsonNode candidate, out TEvent e)
        {
            try
            {
                e = TContract.ParseEvent(JsonText.Encode(w => candidate.WriteTo(w)));
                return true;
            }
            catch (WireFormatException)
            {
                e = null!;
                return false;
            }
        }

        private sealed record Site(int[] Path, JsonNode Node);

        // Every array and scalar under the root, in document order, with its path of child indices.
        private static IEnumerable<Site> Sites(JsonNode root)
        {
            var stack = new Stack<Site>();
            stack.Push(new Site([], root));
            while (stack.Count > 0)
            {
                var site = stack.Pop();
                var children = site.Node switch
                {
                    JsonObject o => o.Select(p => p.Value).ToList(),
                    JsonArray a => [.. a],
                    _ => [],
                };
                if (site.Node is not JsonObject)
                {
                    yield return site;
                }

                for (var i = children.Count - 1; i >= 0; i--)
                {
                    if (children[i] is { } child)
                    {
                        stack.Push(new Site([.. site.Path, i], child));
                    }
                }
            }
        }

        private static JsonNode Locate(JsonNode root, int[] path)
        {
            var node = root;
            foreach (var i in path)
            {
                node = node switch
                {
                    JsonObject o => o.GetAt(i).Value!,
                    JsonArray a => a[i]!,
                    _ => throw new InvalidOperationException("a path through a scalar"),
                };
            }

            return node;
        }

        private static IEnumerable<Action<JsonNode>> Mutations(Site site)
        {
            switch (site.Node)
            {
                case JsonArray { Count: > 0 } a:
                    if (a.Count > 1)
                    {
                        yield return node => ((JsonArray)node).Clear();
                    }

                    for (var i = 0; i < a.Count; i++)
                    {
                        var at = i;
                        yield return node => ((JsonArray)node).RemoveAt(at);
                    }

                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<decimal>() != 0:
                    var value = v.GetValue<decimal>();
                    foreach (var smaller in new[] { 0m, decimal.Truncate(value / 2), value - Math.Sign(value) }.Distinct())
                    {
                        if (Math.Abs(smaller) < Math.Abs(value))
                        {
                            yield return node => Replace(node, smaller < 0 ? JsonValue.Create((long)smaller) : JsonValue.Create((ulong)smaller));
                        }
                    }

                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.True:
                    yield return node => Replace(node, JsonValue.Create(false));
                    break;
            }
        }

        private static void Replace(JsonNode node, JsonNode replacement)
        {
            switch (node.Parent)
            {
                case JsonObject o:
                    o[node.GetPropertyName()] = replacement;
                    break;
                case JsonArray a:
                    a[node.GetElementIndex()] = replacement;
                    break;
            }
        }
    }
}
