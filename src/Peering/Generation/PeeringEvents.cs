using Peering.Machine;
using Peering.StateMachines;

namespace Peering.Generation;

/// <summary>
/// The peering event source (GENERATOR.md §3): profiles <c>lean-core</c> and <c>full</c>; a trace is
/// the Initialize of a small random cluster, then <c>U{min(50, E)..E}</c> events (<c>E</c> the
/// <c>--events</c> bound), each built from the current snapshot by the <see cref="EventGenerator"/>.
/// </summary>
public sealed class PeeringEvents : IEventSource<PgSnapshot, PgEvent>
{
    private PeeringEvents()
    {
    }

    /// <summary>The one source.</summary>
    public static PeeringEvents Instance { get; } = new();

    /// <summary>The <c>--events</c> bound the reference corpus used for <paramref name="seed"/> (conformance/MANIFEST.tsv): <c>32 + seed·37 mod 480</c>.</summary>
    public static long CorpusEvents(ulong seed) => 32 + (long)(seed * 37 % 480);

    /// <inheritdoc/>
    public IReadOnlyList<string> Profiles { get; } = [Profile.LeanCore.Name(), Profile.Full.Name()];

    /// <summary>
    /// The events of <c>peering generate --profile P --seed S --events E</c>: <c>1 + U{min(50, E)..E}</c>
    /// steps (at least the Initialize).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is neither <c>lean-core</c> nor <c>full</c>.</exception>
    public IEventStream<PgSnapshot, PgEvent> Start(string profile, ulong seed, long maxEvents) =>
        Generation.Profiles.TryParse(profile, out var p) ? new Trace(p, seed, maxEvents) : throw new ArgumentException($"unknown profile '{profile}' (lean-core or full)", nameof(profile));

    private sealed class Trace : IEventStream<PgSnapshot, PgEvent>
    {
        private readonly EventGenerator _generator;
        private readonly Initialize _initialize;
        private readonly long _steps;

        public Trace(Profile profile, ulong seed, long maxEvents)
        {
            // The order of the draws is part of the trace: the Initialize first, then the count.
            _generator = new EventGenerator(profile, new Rng(seed));
            _initialize = _generator.BuildInitialize();
            _steps = Math.Max(_generator.DrawEventCount(maxEvents), 0) + 1;
        }

        public bool TryNext(long step, PgSnapshot current, out PgEvent e)
        {
            e = step == 0 ? _initialize : step < _steps ? _generator.Next(current) : null!;
            return step < _steps;
        }
    }
}
