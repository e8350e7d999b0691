namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// A trace being stepped in process: each event is applied through the machine's in-place step,
    /// and the step's states, snapshots and effects are exposed one step at a time. Where the events
    /// come from is the caller's: an event source (<see cref="Generated"/>) or a fixed list (<see cref="Of"/>).
    /// </summary>
    public sealed class SteppedTrace
    {
        private readonly TMachine _machine = TContract.Restore(TContract.Initial);
        private readonly IEventStream<TSnapshot, TEvent> _events;

        private SteppedTrace(IEventStream<TSnapshot, TEvent> events, ulong seed)
        {
            _events = events;
            Seed = seed;
            Step = -1;
            Before = TContract.Initial;
            After = TContract.Initial;
            Event = null!;
        }

        /// <summary>The trace's seed (written in its summary line).</summary>
        public ulong Seed { get; }

        /// <summary>The current step number (-1 before the first <see cref="MoveNext"/>).</summary>
        public long Step { get; private set; }

        /// <summary>The current step's event (set before it is applied, so it names the event of a step that threw).</summary>
        public TEvent Event { get; private set; }

        /// <summary>The state before the current step.</summary>
        public TState From { get; private set; }

        /// <summary>The state after the current step.</summary>
        public TState To { get; private set; }

        /// <summary>The snapshot before the current step.</summary>
        public TSnapshot Before { get; private set; }

        /// <summary>The snapshot after the current step.</summary>
        public TSnapshot After { get; private set; }

        /// <summary>The current step's effects (valid until the next <see cref="MoveNext"/>).</summary>
        public ReadOnlySpan<TEffect> Effects => TContract.EffectsOf(_machine);

        /// <summary>The trace of <paramref name="source"/>'s <paramref name="profile"/> for <paramref name="seed"/> and <paramref name="maxEvents"/>.</summary>
        public static SteppedTrace Generated(IEventSource<TSnapshot, TEvent> source, string profile, ulong seed, long maxEvents) =>
            new(source.Start(profile, seed, maxEvents), seed);

        /// <summary>A fixed event sequence stepped from the fresh snapshot; its summary carries <paramref name="seed"/>.</summary>
        public static SteppedTrace Of(IReadOnlyList<TEvent> events, ulong seed = 0) => new(new ListStream(events), seed);

        /// <summary>Takes the next event and applies it; false after the last step.</summary>
        /// <exception cref="Exception">Whatever the machine throws (a fuzz failure).</exception>
        public bool MoveNext()
        {
            if (!_events.TryNext(Step + 1, After, out var e))
            {
                return false;
            }

            Step++;
            Before = After;
            Event = e;
            From = TContract.StateOf(_machine);
            TContract.Step(_machine, e);
            After = TContract.SnapshotOf(_machine);
            To = TContract.StateOf(_machine);
            return true;
        }

        private sealed class ListStream(IReadOnlyList<TEvent> events) : IEventStream<TSnapshot, TEvent>
        {
            public bool TryNext(long step, TSnapshot current, out TEvent e)
            {
                e = step < events.Count ? events[(int)step] : null!;
                return step < events.Count;
            }
        }
    }
}
