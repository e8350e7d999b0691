using Peering.Machine;

namespace Peering.Generation;

/// <summary>
/// One generated trace stepped in process (GENERATOR.md §3): the Initialize, then up to
/// <c>--events</c> events, each built from the current snapshot and applied through the reducer's
/// fast path. <c>peering generate</c> writes these steps; a fuzz cycle checks them.
/// </summary>
public sealed class GeneratedTrace : SteppedTrace
{
    private readonly EventGenerator _generator;
    private readonly Initialize _initialize;

    /// <summary>The trace <c>peering generate --profile profile --seed seed --events maxEvents</c> writes.</summary>
    public GeneratedTrace(Profile profile, ulong seed, long maxEvents, IReducer? reducer = null)
        : base(reducer)
    {
        _generator = new EventGenerator(profile, new Rng(seed));
        _initialize = _generator.BuildInitialize();
        StepCount = Math.Max(_generator.DrawEventCount(maxEvents), 0) + 1;
        Seed = seed;
    }

    /// <summary>The seed (written in the summary line).</summary>
    public ulong Seed { get; }

    /// <summary>Number of step lines the trace has: 1 + N.</summary>
    public long StepCount { get; }

    /// <inheritdoc/>
    protected override bool TryNextEvent(long step, PgSnapshot current, out PgEvent e)
    {
        e = step == 0 ? _initialize : step < StepCount ? _generator.Next(current) : null!;
        return step < StepCount;
    }
}
