using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

public sealed class DispatchTests
{
    /// <summary>One event of each declared type, in declaration order.</summary>
    private static readonly DoorEvent[] OneOfEach =
    [
        new Open(3),
        new Close(Slam: false),
        new LockDoor("brass", null),
        new Unlock("brass"),
        new Kick(7),
        new KnockEvent([1, 2]),
    ];

    /// <summary>
    /// The declarations of Door, by hand: true = handled, false = ignored.
    /// Columns: Open, Close, Lock, Unlock, Kick, Knock.
    /// </summary>
    public static TheoryData<DoorState, bool[]> Table => new()
    {
        { DoorState.Closed, [true, false, true, false, true, true] },
        { DoorState.Opened, [false, true, false, false, true, false] },
        { DoorState.Locked, [false, false, false, true, true, true] },
        { DoorState.Slamming, [false, false, false, false, false, false] },
    };

    private static DoorSnapshot In(DoorState state, bool bolted = false) =>
        DoorExploration.Initial with { State = state, Bolted = bolted, Key = bolted ? "brass" : "", Turns = bolted ? 1u : 0u };

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_pair_is_handled_or_ignored_as_declared(DoorState state, bool[] handled)
    {
        for (var e = 0; e < OneOfEach.Length; e++)
        {
            var door = new Door(In(state, bolted: state == DoorState.Locked));
            var before = door.TakeSnapshot();
            var result = door.Dispatch(OneOfEach[e]);
            Assert.True(handled[e] == result, $"{state} + {OneOfEach[e].GetType().Name}: expected handled={handled[e]}");
            if (!handled[e])
            {
                // An ignored pair runs nothing: same snapshot, no effect.
                Assert.Equal(before, door.TakeSnapshot());
                Assert.Empty(door.Effects.ToArray());
            }
        }
    }

    [Fact]
    public void Dispatch_itself_allocates_nothing()
    {
        // Ignored pairs run no handler: what is measured is the dispatch switch alone.
        var door = new Door(In(DoorState.Slamming));
        DoorEvent[] events = [.. OneOfEach];
        for (var i = 0; i < 100; i++)
        {
            door.Dispatch(events[i % events.Length]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var handled = 0;
        for (var i = 0; i < 10_000; i++)
        {
            handled += door.Dispatch(events[i % events.Length]) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        Assert.Equal(0, handled);
    }

    [Fact]
    public void Open_on_closed_moves_to_opened()
    {
        var door = new Door();
        Assert.True(door.Dispatch(new Open(5)));
        Assert.Equal(DoorState.Opened, door.State);
        Assert.Equal([new Moved(DoorState.Closed, DoorState.Opened)], door.Effects.ToArray());
        var after = door.TakeSnapshot();
        Assert.Equal(1, after.Opens);
        Assert.Equal(5L, after.LastForce);
    }

    [Fact]
    public void Slam_passes_through_the_transient_state()
    {
        var door = new Door(In(DoorState.Opened));
        Assert.True(door.Dispatch(new Close(Slam: true)));
        Assert.Equal(DoorState.Closed, door.State);
        Assert.Equal(
            [new Moved(DoorState.Opened, DoorState.Slamming), new Bang(80), new Moved(DoorState.Slamming, DoorState.Closed)],
            door.Effects.ToArray());
    }

    [Fact]
    public void Kick_on_an_open_door_slams_it_through_the_same_procedure()
    {
        var door = new Door(In(DoorState.Opened));
        Assert.True(door.Dispatch(new Kick(2)));
        Assert.Equal(DoorState.Closed, door.State);
        Assert.Equal(
            [new Moved(DoorState.Opened, DoorState.Slamming), new Bang(80), new Moved(DoorState.Slamming, DoorState.Closed)],
            door.Effects.ToArray());
    }

    [Fact]
    public void Wrong_key_is_rejected_and_remembered()
    {
        var door = new Door(In(DoorState.Locked, bolted: true));
        Assert.True(door.Dispatch(new Unlock("iron")));
        Assert.Equal(DoorState.Locked, door.State);
        Assert.Equal([new Rejected("iron", "wrong key")], door.Effects.ToArray());
        Assert.Equal(KeySet.Create(["iron"]), door.TakeSnapshot().KeysTried);
    }

    [Fact]
    public void Knock_echoes_the_rhythm()
    {
        var door = new Door();
        Assert.True(door.Dispatch(new KnockEvent([3, 1, 4])));
        var echo = Assert.IsType<Echo>(Assert.Single(door.Effects.ToArray()));
        Assert.Equal([3, 1, 4], echo.Rhythm);
        Assert.Equal(DoorState.Closed, door.State);
    }

    private sealed record Shove : DoorEvent;

    [Fact]
    public void Undeclared_event_type_throws()
    {
        var door = new Door();
        Assert.Throws<ArgumentException>(() => door.Dispatch(new Shove()));
        Assert.Throws<ArgumentException>(() => Door.EventIndex(new Shove()));
    }

    [Fact]
    public void Null_event_throws()
    {
        var door = new Door();
        Assert.Throws<ArgumentNullException>(() => door.Dispatch(null!));
        Assert.Throws<ArgumentNullException>(() => Door.EventIndex(null!));
    }

    [Fact]
    public void Undeclared_state_value_throws()
    {
        var door = new Door(DoorExploration.Initial with { State = (DoorState)99 });
        Assert.Throws<ArgumentException>(() => door.Dispatch(new Open(1)));
    }

    [Fact]
    public void Event_index_is_the_declaration_order()
    {
        for (var i = 0; i < OneOfEach.Length; i++)
        {
            Assert.Equal(i, Door.EventIndex(OneOfEach[i]));
        }
    }

    [Fact]
    public void State_names_are_the_wire_names()
    {
        Assert.Equal("Closed", Door.StateName(DoorState.Closed));
        Assert.Equal("Open", Door.StateName(DoorState.Opened));
        Assert.Equal("Locked", Door.StateName(DoorState.Locked));
        Assert.Equal("Slamming", Door.StateName(DoorState.Slamming));
        Assert.Throws<ArgumentOutOfRangeException>(() => Door.StateName((DoorState)4));
    }

    [Theory]
    [InlineData("Closed", DoorState.Closed)]
    [InlineData("Open", DoorState.Opened)]
    [InlineData("Locked", DoorState.Locked)]
    [InlineData("Slamming", DoorState.Slamming)]
    public void Try_parse_state_accepts_wire_names(string name, DoorState expected)
    {
        Assert.True(Door.TryParseState(TestJson.Utf8(name), out var state));
        Assert.Equal(expected, state);
    }

    [Theory]
    [InlineData("Opened")] // the class name, not the wire name
    [InlineData("closed")]
    [InlineData("")]
    [InlineData("Closed ")]
    public void Try_parse_state_rejects_other_names(string name)
    {
        Assert.False(Door.TryParseState(TestJson.Utf8(name), out _));
    }

    [Fact]
    public void Step_is_pure_and_reports_from_and_to()
    {
        var before = DoorExploration.Initial;
        var (after, from, to, effects) = DoorExploration.Step(before, new LockDoor("iron", 2));
        Assert.Equal(DoorExploration.Initial, before);
        Assert.Equal(DoorState.Closed, from);
        Assert.Equal(DoorState.Locked, to);
        Assert.Equal(before with { State = DoorState.Locked, Bolted = true, Key = "iron", Turns = 2 }, after);
        Assert.Equal([new Moved(DoorState.Closed, DoorState.Locked)], effects);
    }

    [Fact]
    public void Lock_with_zero_turns_is_rejected()
    {
        var (after, _, to, effects) = DoorExploration.Step(DoorExploration.Initial, new LockDoor("iron", 0));
        Assert.Equal(DoorState.Closed, to);
        Assert.Equal(DoorExploration.Initial, after);
        Assert.Equal([new Rejected("iron", "zero turns")], effects);
    }

    [Fact]
    public void Events_worth_trying_are_the_handled_ones()
    {
        // Closed handles Open, Lock, Kick and Knock: the alphabet's Open(3), both Locks, Kick(7), Knock.
        var closed = DoorExploration.EventsWorthTrying(DoorExploration.Initial);
        Assert.Equal(["Open", "Lock", "Lock", "Kick", "Knock"], closed.Select(e => Door.Definition.Events[Door.EventIndex(e)]));

        // Slamming handles nothing.
        Assert.Empty(DoorExploration.EventsWorthTrying(In(DoorState.Slamming)));

        // Opened handles Close (both) and Kick.
        Assert.Equal(
            [new Close(false), new Close(true), new Kick(7)],
            DoorExploration.EventsWorthTrying(In(DoorState.Opened)).ToArray());
    }
}
