using Peering.Machine;

namespace Peering.Generation;

/// <summary>
/// A trace being stepped in process: each event is applied through the reducer's fast path, and
/// the step's states, snapshots and effects are exposed one step at a time. Where the events come
/// from is the subclass's business: the generator (<see cref="GeneratedTrace"/>) or a fixed list
/// (<see cref="EventListTrace"/>, for shrinking).
/// </summary>
public abstract class SteppedTrace
{
    private readonly IReducerSession _machine;

    /// <summary>A trace stepped by <paramref name="reducer"/> (the real one by default) from the fresh snapshot.</summary>
    protected SteppedTrace(IReducer? reducer)
    {
        _machine = (reducer ?? PeeringReducer.Instance).Start();
        Step = -1;
        Before = PgSnapshot.Fresh;
        After = PgSnapshot.Fresh;
        Event = null!;
    }

    /// <summary>The current step number (-1 before the first <see cref="MoveNext"/>).</summary>
    public long Step { get; private set; }

    /// <summary>The current step's event (set before it is applied, so it names the event of a step that threw).</summary>
    public PgEvent Event { get; private set; }

    /// <summary>The state before the current step.</summary>
    public PgState From { get; private set; }

    /// <summary>The state after the current step.</summary>
    public PgState To { get; private set; }

    /// <summary>The snapshot before the current step.</summary>
    public PgSnapshot Before { get; private set; }

    /// <summary>The snapshot after the current step.</summary>
    public PgSnapshot After { get; private set; }

    /// <summary>The current step's effects (valid until the next <see cref="MoveNext"/>).</summary>
    public ReadOnlySpan<PgEffect> Effects => _machine.LastEffects;

    /// <summary>Takes the next event and applies it; false after the last step.</summary>
    /// <exception cref="Exception">Whatever the reducer throws (a fuzz failure).</exception>
    public bool MoveNext()
    {
        if (!TryNextEvent(Step + 1, After, out var e))
        {
            return false;
        }

        Step++;
        Before = After;
        Event = e;
        From = _machine.State;
        _machine.Apply(e);
        After = _machine.TakeSnapshot();
        To = _machine.State;
        return true;
    }

    /// <summary>The event of step <paramref name="step"/>, given the current snapshot; false when the trace ends.</summary>
    protected abstract bool TryNextEvent(long step, PgSnapshot current, out PgEvent e);
}

/// <summary>A fixed event sequence stepped from the fresh snapshot.</summary>
public sealed class EventListTrace(IReadOnlyList<PgEvent> events, IReducer? reducer = null) : SteppedTrace(reducer)
{
    /// <inheritdoc/>
    protected override bool TryNextEvent(long step, PgSnapshot current, out PgEvent e)
    {
        e = step < events.Count ? events[(int)step] : null!;
        return step < events.Count;
    }
}
