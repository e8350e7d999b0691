namespace Peering.StateMachines;

/// <summary>
/// Where the events of generated traces come from (<c>generate</c>, <c>fuzz</c>, <c>stats
/// --versus-generated</c>): for a named profile, a seed and a bound on the number of events, a
/// stream that gives each step's event from the snapshot before it. What a machine supplies for
/// fuzzing; everything else comes from its declarations.
/// </summary>
/// <typeparam name="TSnapshot">The machine's snapshot type.</typeparam>
/// <typeparam name="TEvent">The machine's event base type.</typeparam>
public interface IEventSource<TSnapshot, TEvent>
{
    /// <summary>The profile names (event mixes), at least one; the first is the default.</summary>
    IReadOnlyList<string> Profiles { get; }

    /// <summary>
    /// The events of one trace: <paramref name="profile"/> (one of <see cref="Profiles"/>), determined by
    /// <paramref name="seed"/>, at most <paramref name="maxEvents"/> events after whatever the source
    /// opens a trace with (the source says how it reads the bound).
    /// </summary>
    IEventStream<TSnapshot, TEvent> Start(string profile, ulong seed, long maxEvents);
}

/// <summary>The events of one generated trace.</summary>
public interface IEventStream<TSnapshot, TEvent>
{
    /// <summary>The event of step <paramref name="step"/> (0-based), given the snapshot before it; false when the trace ends.</summary>
    bool TryNext(long step, TSnapshot current, out TEvent e);
}

/// <summary>Event sources built from a function.</summary>
public static class EventSource
{
    /// <summary>
    /// The simplest source: one profile, <c>default</c>; every trace has exactly <c>maxEvents</c> events,
    /// each <paramref name="next"/>(snapshot before the step, the trace's random source).
    /// </summary>
    public static IEventSource<TSnapshot, TEvent> Create<TSnapshot, TEvent>(Func<TSnapshot, Rng, TEvent> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new FunctionSource<TSnapshot, TEvent>(next);
    }

    private sealed class FunctionSource<TSnapshot, TEvent>(Func<TSnapshot, Rng, TEvent> next) : IEventSource<TSnapshot, TEvent>
    {
        public IReadOnlyList<string> Profiles { get; } = ["default"];

        public IEventStream<TSnapshot, TEvent> Start(string profile, ulong seed, long maxEvents) => new Stream(next, new Rng(seed), maxEvents);

        private sealed class Stream(Func<TSnapshot, Rng, TEvent> next, Rng rng, long count) : IEventStream<TSnapshot, TEvent>
        {
            public bool TryNext(long step, TSnapshot current, out TEvent e)
            {
                e = step < count ? next(current, rng) : default!;
                return step < count;
            }
        }
    }
}

/// <summary>
/// The small world a bounded exploration covers: the events that set up its initial configurations
/// and, for every snapshot, the finite alphabet of events to try. What a machine supplies for
/// exploration; everything else comes from its declarations. Both members must be pure (the
/// explorer calls them from several threads and relies on the same answer every time).
/// </summary>
public interface IExplorationWorld<TSnapshot, TEvent>
{
    /// <summary>
    /// The events that set up the initial configurations, each applied to the fresh snapshot (depth 0);
    /// empty: the fresh snapshot itself is the one initial configuration.
    /// </summary>
    IReadOnlyList<TEvent> InitialEvents { get; }

    /// <summary>Appends the events to try from <paramref name="snapshot"/>, in a fixed order (it decides which of two equally short counterexamples is reported).</summary>
    void AddEvents(TSnapshot snapshot, List<TEvent> events);
}
