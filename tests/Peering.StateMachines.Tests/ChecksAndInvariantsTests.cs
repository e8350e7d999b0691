using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

public sealed class ChecksAndInvariantsTests
{
    [Fact]
    public void Checks_follow_the_snapshot()
    {
        Assert.Equal(new DoorChecks(IsOpen: false, IsLocked: false, Dented: false), Door.EvaluateChecks(DoorExploration.Initial));
        Assert.Equal(new DoorChecks(true, false, false), Door.EvaluateChecks(DoorExploration.Initial with { State = DoorState.Opened }));
        Assert.Equal(new DoorChecks(false, true, true), Door.EvaluateChecks(DoorExploration.Initial with { State = DoorState.Locked, Frame = new Frame(Material.Oak, 1) }));
    }

    [Fact]
    public void Invariant_names_are_in_declaration_order()
    {
        Assert.Equal(["bolt_only_when_closed", "turns_match_bolt", "kicks_below_limit"], DoorInvariants.Names.ToArray());
    }

    [Fact]
    public void Fresh_door_holds_every_invariant()
    {
        var invariants = Door.EvaluateInvariants(DoorExploration.Initial);
        Assert.True(invariants.AllHold);
        Assert.Equal(0UL, invariants.ViolationMask);
        Assert.True(invariants.BoltOnlyWhenClosed);
        Assert.True(invariants.TurnsMatchBolt);
        Assert.True(invariants.KicksBelowLimit);
        Assert.Empty(invariants.Violations());
    }

    [Fact]
    public void Each_invariant_has_its_own_bit()
    {
        // Bolted without turns, in Locked: only turns_match_bolt (bit 1) fails.
        var turns = Door.EvaluateInvariants(DoorExploration.Initial with { State = DoorState.Locked, Bolted = true, Turns = 0 });
        Assert.Equal(0b010UL, turns.ViolationMask);
        Assert.False(turns.TurnsMatchBolt);
        Assert.True(turns.BoltOnlyWhenClosed);
        Assert.Equal(["turns_match_bolt"], turns.Violations());

        // Three kicks counted while closed: kicks_below_limit (bit 2) fails.
        var kicks = Door.EvaluateInvariants(DoorExploration.Initial with { Kicks = 3 });
        Assert.Equal(0b100UL, kicks.ViolationMask);
        Assert.False(kicks.KicksBelowLimit);

        // Bolted and open, no turns: bits 0 and 1.
        var two = Door.EvaluateInvariants(DoorExploration.Initial with { State = DoorState.Opened, Bolted = true });
        Assert.Equal(0b011UL, two.ViolationMask);
        Assert.Equal(["bolt_only_when_closed", "turns_match_bolt"], two.Violations());
        Assert.False(two.AllHold);
    }

    [Fact]
    public void The_planted_violation_appears_after_the_fourth_event_exactly()
    {
        Assert.Equal(4, DoorExploration.PlantedViolationDepth);
        Assert.Equal(DoorExploration.PlantedViolationDepth, DoorExploration.PlantedViolationSequence.Length);
        var door = new Door();
        var seen = new List<ulong>();
        foreach (var e in DoorExploration.PlantedViolationSequence)
        {
            Assert.True(door.DispatchChecked(e, out var invariants));
            seen.Add(invariants.ViolationMask);
        }

        Assert.Equal([0UL, 0UL, 0UL, 1UL], seen);
        var last = Door.EvaluateInvariants(door.TakeSnapshot());
        Assert.False(last.BoltOnlyWhenClosed);
        Assert.Equal([DoorExploration.PlantedInvariant], last.Violations());
        Assert.Equal(DoorState.Opened, door.State);
    }

    [Fact]
    public void Dispatch_checked_reports_ignored_events_too()
    {
        var door = new Door();
        Assert.False(door.DispatchChecked(new Close(false), out var invariants));
        Assert.True(invariants.AllHold);
    }

    /// <summary>
    /// A breadth-first explorer over <see cref="DoorExploration"/>: the first violation is found at
    /// exactly <see cref="DoorExploration.PlantedViolationDepth"/>, and it is the planted one.
    /// </summary>
    [Fact]
    public void Breadth_first_exploration_finds_the_planted_violation_at_its_minimal_depth()
    {
        var writer = new CanonicalWriter();
        var seen = new HashSet<string>();
        var frontier = new List<DoorSnapshot> { DoorExploration.Initial };
        seen.Add(Key(DoorExploration.Initial));
        for (var depth = 1; depth <= DoorExploration.PlantedViolationDepth; depth++)
        {
            var next = new List<DoorSnapshot>();
            var violations = new List<string>();
            foreach (var snapshot in frontier)
            {
                foreach (var e in DoorExploration.EventsWorthTrying(snapshot))
                {
                    var (after, _, _, _) = DoorExploration.Step(snapshot, e);
                    violations.AddRange(Door.EvaluateInvariants(after).Violations());
                    if (seen.Add(Key(after)))
                    {
                        next.Add(after);
                    }
                }
            }

            if (depth < DoorExploration.PlantedViolationDepth)
            {
                Assert.Empty(violations);
            }
            else
            {
                Assert.Equal([DoorExploration.PlantedInvariant], violations.Distinct());
            }

            frontier = next;
        }

        string Key(DoorSnapshot s)
        {
            writer.Reset();
            DoorJson.WriteCanonical(writer, s);
            return Convert.ToHexString(writer.Written);
        }
    }
}
