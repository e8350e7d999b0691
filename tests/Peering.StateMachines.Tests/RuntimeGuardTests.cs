using System.Reflection;
using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

/// <summary>
/// The run-time checks of generated code (docs/toolkit.md §6): a move the declarations do not permit
/// is stopped before it happens, whatever makes it; a dispatch while a step is running is refused.
/// </summary>
public sealed class RuntimeGuardTests
{
    private static readonly MethodInfo DoorMove = typeof(Door).GetMethod("Move", BindingFlags.Instance | BindingFlags.NonPublic)!;

    [Fact]
    public void An_undeclared_move_made_through_reflection_inside_a_handler_is_stopped()
    {
        var latch = new Latch();
        var error = Assert.Throws<TargetInvocationException>(() => latch.Dispatch(new Sneak())).InnerException;

        // Down handles Sneak with no target at all: Down -> Up is declared only for Lift.
        var undeclared = Assert.IsType<UndeclaredTransitionException>(error);
        Assert.Equal(("Latch", "Down", "Up", "Sneak"), (undeclared.Machine, undeclared.From, undeclared.To, undeclared.Event));
        Assert.Equal("Latch: transition from 'Down' to 'Up' on 'Sneak' is not declared ('Down' handles 'Sneak' with other targets)", undeclared.Message);
        Assert.Equal(LatchState.Down, latch.State);

        // The machine is not stuck: the step ended, and a declared move goes through.
        Assert.True(latch.Dispatch(new Lift()));
        Assert.Equal(LatchState.Up, latch.State);
        Assert.Equal([new SingleMove(0, 1)], latch.Moves.ToArray());
    }

    [Fact]
    public void A_move_made_through_reflection_outside_any_step_is_stopped_once_the_machine_has_stepped()
    {
        var door = new Door();
        door.Dispatch(new Open(3));

        var error = Assert.Throws<TargetInvocationException>(() => DoorMove.Invoke(door, [DoorState.Locked])).InnerException;
        var undeclared = Assert.IsType<UndeclaredTransitionException>(error);
        Assert.Null(undeclared.Event);
        Assert.Equal(DoorState.Opened, door.State);
    }

    [Fact]
    public void A_move_the_declarations_allow_only_after_the_step_has_moved_is_stopped_as_a_first_move()
    {
        // Slamming continues to Closed and Open, but only once a step has moved into it: a fresh door
        // restored in Slamming that is kicked... ignores it; a Settle-like move from Closed to Slamming on
        // Lock is declared nowhere. Here: Open -> Closed on Kick (Open handles Kick with Slamming only).
        var door = new Door(DoorExploration.Initial with { State = DoorState.Opened });
        var guard = new TransitionGuard(Door.Definition);
        var kick = Door.EventIndex(new Kick(1));
        Assert.False(guard.Permits((int)DoorState.Opened, (int)DoorState.Closed, kick, moved: false));
        Assert.True(guard.Permits((int)DoorState.Opened, (int)DoorState.Slamming, kick, moved: false));
        Assert.True(guard.Permits((int)DoorState.Slamming, (int)DoorState.Closed, kick, moved: true));
        Assert.False(guard.Permits((int)DoorState.Slamming, (int)DoorState.Closed, kick, moved: false));

        // The real kick goes Open -> Slamming -> Closed (the bolt is drawn): both moves recorded.
        door.Dispatch(new Kick(1));
        Assert.Equal(DoorState.Closed, door.State);
        Assert.Equal([new SingleMove(1, 3), new SingleMove(3, 0)], door.Moves.ToArray());
    }

    [Fact]
    public void A_handler_that_dispatches_to_its_own_machine_is_refused_and_its_step_goes_on()
    {
        var latch = new Latch();
        Exception? refused = null;
        latch.OnRing = l =>
        {
            refused = Record.Exception(() => l.Dispatch(new Lift()));
        };

        Assert.True(latch.Dispatch(new Ring()));
        var reentrant = Assert.IsType<ReentrantDispatchException>(refused);
        Assert.Equal("Latch: 'Lift' dispatched while the machine is still handling 'Ring'; steps run to completion, so a handler must not dispatch to its own machine", reentrant.Message);

        // The ring step completed and the refused Lift did nothing.
        Assert.Equal(LatchState.Down, latch.State);
        Assert.Equal([new Click(LatchState.Down)], latch.Effects.ToArray());
        Assert.True(latch.Dispatch(new Lift()));
        Assert.Equal(LatchState.Up, latch.State);
    }

    [Fact]
    public void An_exception_filter_that_runs_while_a_handler_unwinds_cannot_dispatch()
    {
        // .NET runs a caller's exception filter before the finally blocks of the frames it unwinds:
        // the failing step is still running when the filter runs, so the filter's dispatch is refused.
        var latch = new Latch { OnRing = _ => throw new InvalidOperationException("the bell broke") };
        Exception? inFilter = null;
        bool Filter()
        {
            inFilter = Record.Exception(() => latch.Dispatch(new Lift()));
            return true;
        }

        try
        {
            latch.Dispatch(new Ring());
        }
        catch (InvalidOperationException) when (Filter())
        {
        }

        Assert.IsType<ReentrantDispatchException>(inFilter);
        Assert.Equal(LatchState.Down, latch.State);

        // After unwinding, the machine takes events again.
        Assert.True(latch.Dispatch(new Lift()));
        Assert.Equal(LatchState.Up, latch.State);
    }

    [Fact]
    public void The_pure_step_returns_the_single_moves_the_guard_recorded()
    {
        var step = Door.Step(DoorExploration.Initial with { State = DoorState.Opened }, new Close(Slam: true));
        Assert.Equal((DoorState.Opened, DoorState.Closed), (step.From, step.To));
        Assert.Equal([new SingleMove(1, 3), new SingleMove(3, 0)], step.Moves);
        Assert.Equal([new Moved(DoorState.Opened, DoorState.Slamming), new Bang(80), new Moved(DoorState.Slamming, DoorState.Closed)], step.Effects);
    }

    [Fact]
    public async Task A_second_thread_that_dispatches_while_a_step_runs_is_refused()
    {
        using var inStep = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var latch = new Latch
        {
            OnRing = _ =>
            {
                inStep.Set();
                release.Wait();
            },
        };

        var first = Task.Run(() => latch.Dispatch(new Ring()));
        Assert.True(inStep.Wait(TimeSpan.FromSeconds(30)));
        var refused = Record.Exception(() => latch.Dispatch(new Lift()));
        release.Set();
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsType<ReentrantDispatchException>(refused);
        Assert.Equal(LatchState.Down, latch.State);
    }
}
