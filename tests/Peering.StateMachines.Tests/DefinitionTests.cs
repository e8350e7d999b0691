using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

/// <summary>Door.Definition against the declarations, written out by hand.</summary>
public sealed class DefinitionTests
{
    private const int Closed = 0, Opened = 1, Locked = 2, Slamming = 3;
    private const int Open = 0, Close = 1, Lock = 2, Unlock = 3, Kick = 4, Knock = 5;

    private static MachineDefinition D => Door.Definition;

    [Fact]
    public void Names_and_orders()
    {
        Assert.Equal("Door", D.Name);
        Assert.Equal(["Closed", "Open", "Locked", "Slamming"], D.States.ToArray());
        Assert.Equal(["Open", "Close", "Lock", "Unlock", "Kick", "Knock"], D.Events.ToArray());
        Assert.Equal(["Moved", "Bang", "Rejected", "Echo", "Splinter"], D.Effects.ToArray());
        Assert.Equal(["bolt_only_when_closed", "turns_match_bolt", "kicks_below_limit"], D.Invariants.ToArray());
        Assert.Equal(["is_open", "is_locked", "dented"], D.Checks.ToArray());
    }

    [Fact]
    public void Handled_pairs_with_their_targets()
    {
        HandledPair[] expected =
        [
            new(Closed, Open, [Opened]),
            new(Closed, Lock, [Locked]),
            new(Closed, Kick, [Opened]),
            new(Closed, Knock, []),
            new(Opened, Close, [Closed, Slamming]),
            new(Opened, Kick, [Slamming]),
            new(Locked, Unlock, [Closed]),
            new(Locked, Kick, [Opened]),
            new(Locked, Knock, []),
        ];
        Assert.Equal(expected.Length, D.Handled.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal((expected[i].State, expected[i].Event), (D.Handled[i].State, D.Handled[i].Event));
            Assert.Equal(expected[i].Targets.ToArray(), D.Handled[i].Targets.ToArray());
        }
    }

    [Fact]
    public void Ignored_pairs()
    {
        IgnoredPair[] expected =
        [
            new(Closed, Close), new(Closed, Unlock),
            new(Opened, Open), new(Opened, Lock), new(Opened, Unlock), new(Opened, Knock),
            new(Locked, Open), new(Locked, Close), new(Locked, Lock),
            new(Slamming, Open), new(Slamming, Close), new(Slamming, Lock), new(Slamming, Unlock), new(Slamming, Kick), new(Slamming, Knock),
        ];
        Assert.Equal(expected, D.Ignored);
    }

    [Fact]
    public void Every_pair_has_exactly_one_decision()
    {
        for (var s = 0; s < D.States.Length; s++)
        {
            for (var e = 0; e < D.Events.Length; e++)
            {
                var decisions = D.Handled.Count(h => h.State == s && h.Event == e) + D.Ignored.Count(i => i.State == s && i.Event == e);
                Assert.Equal(1, decisions);
            }
        }
    }

    [Fact]
    public void Transitions_include_continuations()
    {
        DeclaredTransition[] expected =
        [
            new(Closed, Opened, Open),
            new(Closed, Locked, Lock),
            new(Closed, Opened, Kick),
            new(Opened, Closed, Close),
            new(Opened, Slamming, Close),
            new(Opened, Slamming, Kick),
            new(Locked, Closed, Unlock),
            new(Locked, Opened, Kick),
            new(Slamming, Closed, -1),
            new(Slamming, Opened, -1),
        ];
        Assert.Equal(expected, D.Transitions);
        Assert.True(D.Transitions[^1].IsContinuation);
        Assert.False(D.Transitions[0].IsContinuation);
        Assert.True(D.Permits(Slamming, Opened));
        Assert.True(D.Permits(Locked, Opened));
        Assert.False(D.Permits(Closed, Slamming));
        Assert.False(D.Permits(Locked, Slamming));
    }

    [Fact]
    public void Procedures()
    {
        var procedure = Assert.Single(D.Procedures);
        Assert.Equal("Settle", procedure.Name);
        Assert.Equal([Slamming], procedure.RunsFrom.ToArray());
    }

    [Fact]
    public void Lookups_by_wire_name()
    {
        Assert.Equal(Opened, D.StateIndex("Open"));
        Assert.Equal(-1, D.StateIndex("Opened"));
        Assert.Equal(Knock, D.EventIndex("Knock"));
        Assert.Equal(-1, D.EventIndex("KnockEvent"));
    }

    [Fact]
    public void Enum_values_are_the_state_indices()
    {
        Assert.Equal(Closed, (int)DoorState.Closed);
        Assert.Equal(Opened, (int)DoorState.Opened);
        Assert.Equal(Locked, (int)DoorState.Locked);
        Assert.Equal(Slamming, (int)DoorState.Slamming);
        Assert.Equal(4, Enum.GetValues<DoorState>().Length);
    }
}
