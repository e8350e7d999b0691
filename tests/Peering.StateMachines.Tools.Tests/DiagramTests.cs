using System.Collections.Immutable;

namespace Peering.StateMachines.Tools.Tests;

/// <summary>
/// <see cref="MachineDiagram"/> on the door. Every expected line is worked by hand from the door's
/// declarations (tests/Peering.TestMachines/Door/Door.cs): states Closed, Open (wire name of Opened),
/// Locked, Slamming; events Open, Close, Lock, Unlock, Kick, Knock (declaration order). Edges are
/// the permitted (from, to) pairs in state-index order, labelled with the declaring events in event order.
/// </summary>
public sealed class DiagramTests
{
    private const int Closed = 0, Opened = 1, Locked = 2, Slamming = 3;
    private const int Kick = 4, Knock = 5;

    [Fact]
    public void Mermaid_of_the_door()
    {
        const string expected = """
            stateDiagram-v2
                Closed
                Open
                Locked
                Slamming
                [*] --> Closed
                Closed --> Open : Open, Kick
                Closed --> Locked : Lock
                Open --> Closed : Close
                Open --> Slamming : Close, Kick
                Locked --> Closed : Unlock
                Locked --> Open : Kick
                Slamming --> Closed : (continues)
                Slamming --> Open : (continues)

            """;
        Assert.Equal(expected, MachineDiagram.Render(Door.Definition, DiagramFormat.Mermaid));
    }

    [Fact]
    public void Dot_of_the_door()
    {
        const string expected = """
            digraph "Door" {
                rankdir=LR;
                node [shape=box, style=rounded];
                "[*]" [shape=point, label=""];
                "Closed";
                "Open";
                "Locked";
                "Slamming";
                "[*]" -> "Closed";
                "Closed" -> "Open" [label="Open, Kick"];
                "Closed" -> "Locked" [label="Lock"];
                "Open" -> "Closed" [label="Close"];
                "Open" -> "Slamming" [label="Close, Kick"];
                "Locked" -> "Closed" [label="Unlock"];
                "Locked" -> "Open" [label="Kick"];
                "Slamming" -> "Closed" [label="(continues)", style=dashed];
                "Slamming" -> "Open" [label="(continues)", style=dashed];
            }

            """;
        Assert.Equal(expected, MachineDiagram.Render(Door.Definition, DiagramFormat.Dot));
    }

    /// <summary>
    /// Six real steps from the fresh door (their moves read off the <see cref="Moved"/> effects), worked by hand:
    /// Lock: Closed -> Locked on Lock. Kick, Kick: kicks 1 and 2, no move. Kick: the third breaks the
    /// door open, Locked -> Open on Kick, bolt still thrown (the planted bug). Slam: Open -> Slamming on
    /// Close, then the thrown bolt bounces it back, Slamming -> Open (a continuation). Close gently:
    /// Open -> Closed on Close. Then two hand-made steps: Open -> Closed during a Kick (declared only
    /// for Close: state-level) and Closed -> Slamming during a Knock (declared for nothing).
    /// </summary>
    private static TransitionCoverage DoorCoverage()
    {
        var coverage = new TransitionCoverage(Door.Definition);
        var snapshot = DoorExploration.Initial;
        DoorEvent[] events = [new LockDoor("brass", null), new Kick(7), new Kick(7), new Kick(7), new Close(Slam: true), new Close(Slam: false)];
        foreach (var e in events)
        {
            var (after, _, _, effects) = DoorExploration.Step(snapshot, e);
            var moves = effects.OfType<Moved>().Select(m => ((int)m.From, (int)m.To)).ToArray();
            coverage.AddStep(Door.EventIndex(e), moves);
            snapshot = after;
        }

        Assert.Equal(DoorState.Closed, snapshot.State);
        coverage.AddStep(Kick, [(Opened, Closed)]);
        coverage.AddStep(Knock, [(Closed, Slamming)]);
        return coverage;
    }

    [Fact]
    public void Coverage_counts_marks_and_lists()
    {
        var coverage = DoorCoverage();
        Assert.Equal(8, coverage.Steps);
        Assert.Equal(7, coverage.Moves);
        Assert.Equal(10, coverage.Declared.Length);
        Assert.Equal(5, coverage.Exercised);
        Assert.Equal(1, coverage.Count(new DeclaredTransition(Locked, Opened, Kick)));
        Assert.Equal(0, coverage.Count(new DeclaredTransition(Opened, Slamming, Kick)));
        Assert.Equal(1, coverage.StateLevelCount(Opened, Closed));

        const string expected = """
            stateDiagram-v2
                Closed
                Open
                Locked
                Slamming
                [*] --> Closed
                Closed --> Open : Open, Kick
                Closed --> Locked : Lock ×1
                Open --> Closed : Close ×1, (state-level) ×1
                Open --> Slamming : Close ×1, Kick
                Locked --> Closed : Unlock
                Locked --> Open : Kick ×1
                Slamming --> Closed : (continues)
                Slamming --> Open : (continues) ×1
                %% coverage: 5 of 10 declared transitions exercised by 7 moves in 8 steps
                %% not reached: Closed -> Open on Open
                %% not reached: Closed -> Open on Kick
                %% not reached: Open -> Slamming on Kick
                %% not reached: Locked -> Closed on Unlock
                %% not reached: Slamming -> Closed (continues)
                %% state-level: Open -> Closed on Kick ×1
                %% not declared: Closed -> Slamming on Knock ×1

            """;
        Assert.Equal(expected, MachineDiagram.Render(Door.Definition, DiagramFormat.Mermaid, coverage));
    }

    [Fact]
    public void Dot_coverage_draws_exercised_edges_bold_and_the_rest_gray()
    {
        var dot = MachineDiagram.Render(Door.Definition, DiagramFormat.Dot, DoorCoverage());
        Assert.Contains("    \"Closed\" -> \"Open\" [label=\"Open, Kick\", color=gray, fontcolor=gray];\n", dot);
        Assert.Contains("    \"Open\" -> \"Closed\" [label=\"Close ×1, (state-level) ×1\", penwidth=2];\n", dot);
        Assert.Contains("    \"Slamming\" -> \"Closed\" [label=\"(continues)\", style=dashed, color=gray, fontcolor=gray];\n", dot);
        Assert.Contains("    \"Slamming\" -> \"Open\" [label=\"(continues) ×1\", style=dashed, penwidth=2];\n", dot);
        Assert.Contains("    // not reached: Locked -> Closed on Unlock\n", dot);
        Assert.Contains("    // not declared: Closed -> Slamming on Knock ×1\n", dot);
        Assert.EndsWith("}\n", dot);
    }

    [Fact]
    public void Names_that_are_not_plain_identifiers_are_quoted_and_escaped()
    {
        var machine = new MachineDefinition(
            name: "M\"x",
            states: ["Wait: 1", "end", "A\"B"],
            events: ["go;now"],
            effects: [],
            handled: [new(0, 0, [1, 2])],
            ignored: [new(1, 0), new(2, 0)],
            transitions: [new(0, 1, 0), new(0, 2, 0), new(0, 0, 0)],
            procedures: [],
            invariants: [],
            checks: []);
        const string mermaid = """
            stateDiagram-v2
                state "Wait#58; 1" as s0
                state "end" as s1
                state "A#quot;B" as s2
                [*] --> s0
                s0 --> s1 : go#59;now
                s0 --> s2 : go#59;now

            """;
        Assert.Equal(mermaid, MachineDiagram.Render(machine, DiagramFormat.Mermaid));
        var dot = MachineDiagram.Render(machine, DiagramFormat.Dot);
        Assert.StartsWith("digraph \"M\\\"x\" {\n", dot);
        Assert.Contains("    \"Wait: 1\" -> \"A\\\"B\" [label=\"go;now\"];\n", dot);
        Assert.DoesNotContain("\"Wait: 1\" -> \"Wait: 1\"", dot);
    }

    [Fact]
    public void Coverage_of_another_definition_is_rejected()
    {
        var other = new TransitionCoverage(new MachineDefinition("X", ["A"], [], [], [], [], [], ImmutableArray<DeclaredProcedure>.Empty, [], []));
        Assert.Throws<ArgumentException>(() => MachineDiagram.Render(Door.Definition, DiagramFormat.Mermaid, other));
    }
}
