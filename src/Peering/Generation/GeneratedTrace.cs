using Peering.Machine;

namespace Peering.Generation;

/// <summary>
/// One generated trace stepped in process (GENERATOR.md §3): the Initialize, then up to
/// <c>--events</c> events, each built from the current snapshot and applied through the reducer's
/// fast path. <c>peering generate</c> writes these steps; a fuzz cycle checks them.
/// </summary>
public sealed class GeneratedTrace
{
    private readonly EventGenerator _generator;
    private readonly IReducerSession _machine;
    private readonly long _events;
    private PgEvent _next;

    /// <summary>The trace <c>peering generate --profile profile --seed seed --events maxEvents</c> writes.</summary>
    public GeneratedTrace(Profile profile, ulong seed, long maxEvents, IReducer? reducer = null)
    {
        _generator = new EventGenerator(profile, new Rng(seed));
        _machine = (reducer ?? PeeringReducer.Instance).Start();
        _next = _generator.BuildInitialize();
        _events = Math.Max(_generator.DrawEventCount(maxEvents), 0);
        Seed = seed;
        Step = -1;
        Before = PgSnapshot.Fresh;
        After = PgSnapshot.Fresh;
        Event = _next;
    }

    /// <summary>The seed (written in the summary line).</summary>
    public ulong Seed { get; }

    /// <summary>Number of step lines the trace has: 1 + N.</summary>
    public long StepCount => _events + 1;

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

    /// <summary>Generates and applies the next event; false after the last step.</summary>
    /// <exception cref="Exception">Whatever the reducer throws (a fuzz failure).</exception>
    public bool MoveNext()
    {
        if (Step + 1 >= StepCount)
        {
            return false;
        }

        Step++;
        Before = After;
        Event = Step == 0 ? _next : _generator.Next(After);
        From = _machine.State;
        _machine.Apply(Event);
        After = _machine.TakeSnapshot();
        To = _machine.State;
        return true;
    }
}
