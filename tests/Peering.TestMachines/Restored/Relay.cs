using Peering.StateMachines;

namespace Peering.TestMachines;

/// <summary>Something that happens to the relay.</summary>
public abstract record RelayEvent;

/// <summary>Flip the relay: Open -> Closed -> Open, counting flips.</summary>
[Event]
public sealed record Flip(string Note) : RelayEvent;

/// <summary>A handler that runs the pure step of another relay inside its own step and keeps what it saw.</summary>
[Event]
public sealed record Probe(RelaySnapshot Other) : RelayEvent;

/// <summary>A handler that throws after changing the machine.</summary>
[Event]
public sealed record Jam : RelayEvent;

/// <summary>Refused before any handler runs (the [Accepts] filter).</summary>
[Event]
public sealed record Ignored : RelayEvent;

/// <summary>What the relay does.</summary>
public abstract record RelayEffect;

/// <summary>A click on every move.</summary>
[Effect]
public sealed record Clicked(RelayState From, RelayState To) : RelayEffect;

/// <summary>The relay as traces record it.</summary>
public sealed record RelaySnapshot(RelayState State, int Flips, string Note);

/// <summary>
/// A relay restored in place (<see cref="RestoreAttribute"/>): the generated pure step reuses one
/// machine per thread, which the tests check against a machine built for each step.
/// </summary>
[StateMachine(typeof(RelayEvent), typeof(RelayEffect), typeof(RelaySnapshot))]
public sealed partial class Relay
{
    /// <summary>Open circuit.</summary>
    [State]
    [Handles(typeof(Flip), typeof(Closed))]
    [Handles(typeof(Probe))]
    [Handles(typeof(Jam))]
    [Ignores(typeof(Ignored))]
    public sealed partial class Open;

    /// <summary>Closed circuit.</summary>
    [State]
    [Handles(typeof(Flip), typeof(Open))]
    [Handles(typeof(Probe))]
    [Handles(typeof(Jam))]
    [Ignores(typeof(Ignored))]
    public sealed partial class Closed;

    private int _flips;
    private string _note = "";
    private RelaySnapshot? _snapshot;

    /// <summary>A fresh relay: open, no flips.</summary>
    public Relay()
    {
    }

    /// <summary>A relay restored from a snapshot.</summary>
    public Relay(RelaySnapshot s) => Restore(s);

    [Restore]
    private void Restore(RelaySnapshot s)
    {
        State = s.State;
        _flips = s.Flips;
        _note = s.Note;
        _snapshot = null;
    }

    [Accepts]
    private bool Takes(RelayEvent e) => e is not Ignored;

    /// <summary>The relay's snapshot; cached until the machine changes.</summary>
    [SnapshotFactory]
    public RelaySnapshot TakeSnapshot() => _snapshot ??= new(State, _flips, _note);

    [Transition]
    private void Move(RelayState to)
    {
        _snapshot = null;
        Emit(new Clicked(State, to));
        State = to;
    }

    [Handler]
    private void On(Flip e)
    {
        _flips++;
        _note = e.Note;
        if (State == RelayState.Open)
        {
            Move(RelayState.Closed);
        }
        else
        {
            Move(RelayState.Open);
        }
    }

    [Handler]
    private void On(Probe e)
    {
        // The pure step on this thread while this machine is the one stepping.
        var inner = Step(e.Other, new Flip("inner"));
        _snapshot = null;
        _note = inner.After.State + "/" + inner.After.Flips + "/" + inner.Effects.Length;
    }

    [Handler]
    private void On(Jam e)
    {
        _snapshot = null;
        _flips = -1;
        throw new InvalidOperationException("jammed");
    }
}
