using System.Reflection;
using Peering.StateMachines;

namespace Peering.TestMachines;

/// <summary>Something that happens to the latch.</summary>
public abstract record LatchEvent;

/// <summary>Lift the latch: Down -> Up.</summary>
[Event]
public sealed record Lift : LatchEvent;

/// <summary>
/// A handler that moves where its declarations do not allow, through reflection, which no
/// compile-time check can follow: Down handles Sneak with no target, and the handler moves to Up.
/// </summary>
[Event]
public sealed record Sneak : LatchEvent;

/// <summary>A handler that calls back whoever is listening, while the step is still running.</summary>
[Event]
public sealed record Ring : LatchEvent;

/// <summary>What the latch does.</summary>
public abstract record LatchEffect;

/// <summary>A click.</summary>
[Effect]
public sealed record Click(LatchState To) : LatchEffect;

/// <summary>The latch as traces record it.</summary>
public sealed record LatchSnapshot(LatchState State);

/// <summary>
/// A two-state latch for the run-time checks of generated code (docs/toolkit.md §6): a move the
/// analyzer cannot see, and a handler that invokes a callback that may dispatch again.
/// </summary>
[StateMachine(typeof(LatchEvent), typeof(LatchEffect), typeof(LatchSnapshot))]
public sealed partial class Latch
{
    /// <summary>Closed.</summary>
    [State]
    [Handles(typeof(Lift), typeof(Up))]
    [Handles(typeof(Sneak))]
    [Handles(typeof(Ring))]
    public sealed partial class Down;

    /// <summary>Open.</summary>
    [State]
    [Ignores(typeof(Lift), typeof(Sneak), typeof(Ring))]
    public sealed partial class Up;

    /// <summary>Called by the Ring handler, during the step.</summary>
    public Action<Latch>? OnRing { get; set; }

    [Transition]
    private void Move(LatchState to)
    {
        Emit(new Click(to));
        State = to;
    }

    [Handler]
    private void On(Lift e) => Move(LatchState.Up);

    [Handler]
    private void On(Sneak e) =>
        typeof(Latch).GetMethod(nameof(Move), BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(this, [LatchState.Up]);

    [Handler]
    private void On(Ring e)
    {
        Emit(new Click(State));
        OnRing?.Invoke(this);
    }

    /// <summary>The latch's snapshot.</summary>
    [SnapshotFactory]
    public LatchSnapshot TakeSnapshot() => new(State);
}
