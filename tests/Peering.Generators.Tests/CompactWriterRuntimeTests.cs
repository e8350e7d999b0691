namespace Peering.Generators.Tests;

/// <summary>
/// The writers' punctuation and escaping where the constant runs cannot decide alone: members that
/// may be omitted before the first member that is always written (in a plain object, in a tagged
/// case, in an array), an object of nullables only, and keys, tags and strings that need escaping.
/// Expected JSON is written by hand from RFC 8259 and the encoders' documented escaping.
/// </summary>
public sealed class CompactWriterRuntimeTests
{
    private const string Machine = """
        using System.Collections.Generic;
        using System.Text;
        using Peering.StateMachines;

        namespace Opt;

        public abstract record E;
        [Event("k&d")] public sealed record Poke([WireName("a<b")] int Value, int? Maybe, string Note) : E;
        [Event] public sealed record Drift(int? First, int? Second) : E;
        public abstract record F;
        public sealed record Pair(int? X, int? Y, int Z);
        public sealed record Loose(int? A, int? B);
        public sealed record N(OptMachineState State, Pair Pair, Loose Loose, Pair[] Pairs);

        [StateMachine(typeof(E), typeof(F), typeof(N))]
        public sealed partial class OptMachine
        {
            [State, Handles(typeof(Poke)), Handles(typeof(Drift))] public sealed partial class Only;

            [Transition] private void Move(OptMachineState to) => State = to;
            [Handler] private void On(Poke e) { }
            [Handler] private void On(Drift e) { }
        }

        public static class Harness
        {
            public static string Run()
            {
                var lines = new List<string>();
                Pair[] pairs = [new(null, null, 1), new(5, null, 2), new(null, 6, 3), new(5, 6, 4)];
                foreach (var p in pairs)
                {
                    lines.Add(Text(w => OptMachineJson.WriteSnapshot(w, new N(OptMachineState.Only, p, new Loose(p.X, p.Y), [p, p]))));
                }

                lines.Add(Text(w => OptMachineJson.WriteEvent(w, new Drift(null, null))));
                lines.Add(Text(w => OptMachineJson.WriteEvent(w, new Drift(null, 2))));
                lines.Add(Text(w => OptMachineJson.WriteEvent(w, new Poke(1, null, "é\"\n<\\"))));

                // What is written reads back as itself.
                foreach (var line in lines.ToArray())
                {
                    var bytes = Encoding.UTF8.GetBytes(line);
                    var again = line.StartsWith("{\"type\"") ? Text(w => OptMachineJson.WriteEvent(w, OptMachineJson.ParseEvent(bytes)))
                        : Text(w => OptMachineJson.WriteSnapshot(w, OptMachineJson.ParseSnapshot(bytes)));
                    if (again != line)
                    {
                        lines.Add("reread differs: " + again);
                    }
                }

                return string.Join("\n", lines);
            }

            private static string Text(System.Action<CompactJsonWriter> write) => Encoding.UTF8.GetString(CompactJsonWriter.Encode(write));
        }
        """;

    [Fact]
    public void Omitted_members_escaped_names_and_strings_are_written_exactly()
    {
        var harness = References.Load("opt", Machine).GetType("Opt.Harness")!;
        var lines = ((string)harness.GetMethod("Run")!.Invoke(null, null)!).Split('\n');

        // A null member has no key (docs/toolkit.md §2); the comma goes only between members.
        string[] expected =
        [
            """{"state":"Only","pair":{"z":1},"loose":{},"pairs":[{"z":1},{"z":1}]}""",
            """{"state":"Only","pair":{"x":5,"z":2},"loose":{"a":5},"pairs":[{"x":5,"z":2},{"x":5,"z":2}]}""",
            """{"state":"Only","pair":{"y":6,"z":3},"loose":{"b":6},"pairs":[{"y":6,"z":3},{"y":6,"z":3}]}""",
            """{"state":"Only","pair":{"x":5,"y":6,"z":4},"loose":{"a":5,"b":6},"pairs":[{"x":5,"y":6,"z":4},{"x":5,"y":6,"z":4}]}""",
            """{"type":"Drift"}""",
            """{"type":"Drift","second":2}""",

            // Keys and tags as JsonEncodedText escapes them (HTML-sensitive characters as \u00XX); string
            // values only as JSON requires (the quote, the backslash, control characters), UTF-8 as is.
            """{"type":"k\u0026d","a\u003Cb":1,"note":"é\"\n<\\"}""",
        ];
        Assert.Equal(expected, lines);
    }
}
