using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peering.StateMachines.Tools;

/// <summary>Limits and checks of a shrink.</summary>
public sealed record ShrinkOptions
{
    /// <summary>Checks (by name) whose being false counts as a failure (as <c>fuzz --require-check</c>).</summary>
    public IReadOnlyList<string> RequiredChecks { get; init; } = [];

    /// <summary>At most this many candidate traces are tried.</summary>
    public int MaxTests { get; init; } = 100_000;

    /// <summary>At most this long; the best trace so far is kept when it runs out.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An events-driven external implementation: the failure to keep is its disagreement with this
    /// machine on the trace's events (each candidate's events are sent to it and its trace replayed),
    /// and the shrunk trace is the one it writes for the kept events. Null: the machine alone decides.
    /// </summary>
    public ExternalSettings? EventsDriver { get; init; }

    /// <summary>Stops the search between two candidates (a signal); the best trace so far is kept.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What a shrink did: the failure before and after, steps before and after, candidates tried, and the shrunk trace.</summary>
public sealed record ShrinkResult(
    CycleFailure Original,
    CycleFailure Shrunk,
    long OriginalSteps,
    long KeptSteps,
    int Tests,
    bool BudgetExhausted,
    TimeSpan Elapsed,
    byte[] Trace)
{
    /// <summary>Stopped by <see cref="ShrinkOptions.Cancellation"/> before the search ended.</summary>
    public bool Interrupted { get; init; }
}

/// <summary>The input trace does not fail: nothing to shrink.</summary>
public sealed class NothingToShrinkException(string message) : Exception(message);

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Reduces a failing trace to a small one that fails the same way (<see cref="CycleFailure.SameWayAs"/>):
    /// ddmin over the events, then smaller field values (<see cref="EventSimplifier"/>), repeated while
    /// either helps. What "fails" means depends on the input:
    /// <list type="bullet">
    /// <item>A trace that <b>diverges</b> from the machine (a recorded value the machine does not
    /// reproduce): the candidate trace is this machine's own output for the kept events, except that the
    /// last line carries the recorded values at exactly the JSON paths that differed. It must replay to
    /// a divergence at its last step with the same event type, the same section and the same differing
    /// paths. The other recorded values of the original cannot be carried over, since no other trace of
    /// the producer that wrote them exists.</item>
    /// <item>A trace that replays cleanly but on which the machine violates an <b>invariant</b> (or a
    /// required check is false), fails the <b>round trip</b>, or <b>throws</b>: the candidate is this
    /// machine's own trace of the kept events, which must fail with the same kind, event type and
    /// invariants (or differing paths).</item>
    /// </list>
    /// </summary>
    public sealed class Shrinker
    {
        private readonly ShrinkOptions _options;

        /// <summary>A shrinker with <paramref name="options"/>.</summary>
        /// <exception cref="ArgumentException">A required check is not a check of the machine.</exception>
        public Shrinker(ShrinkOptions? options = null)
        {
            _options = options ?? new ShrinkOptions();
            CheckIndices(_options.RequiredChecks);
        }

        /// <summary>Shrinks the one trace in <paramref name="input"/>.</summary>
        /// <exception cref="MalformedTraceException">The input is not a well-formed trace.</exception>
        /// <exception cref="NothingToShrinkException">The trace does not fail, or holds more than one trace.</exception>
        public ShrinkResult Shrink(TraceInput input)
        {
            var clock = Stopwatch.StartNew();
            var bytes = ReadAll(input);
            var memory = TraceInput.Memory(input.Name, bytes);
            var events = new List<TEvent>();
            foreach (var line in TraceReader.ReadSteps(memory))
            {
                if (line.Step.Step == 0 && events.Count > 0)
                {
                    throw new NothingToShrinkException($"{input.Name}:{line.Line}: a second trace starts here; shrink takes one trace");
                }

                events.Add(line.Step.Event);
            }

            var classified = Stopwatch.StartNew();
            var oracle = Classify(memory, bytes, events);
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(_options.Cancellation);
            var search = new Search(oracle, _options, clock, budget, classified.Elapsed);
            IReadOnlyList<TEvent> first = [.. events.Take(Through(oracle.Original, events.Count))];
            var current = search.Test(first) ?? (search.Exhausted ? first : throw new NothingToShrinkException("the failure does not reproduce"));
            for (var round = 0; round < 8 && !search.Exhausted; round++)
            {
                var before = current;
                current = DeltaDebugging.Minimize(current, search.Test);
                current = search.SimplifyFields(current);
                if (current.Count == before.Count && current.SequenceEqual(before))
                {
                    break;
                }
            }

            var (shrunk, trace) = oracle.Final(current);
            return new ShrinkResult(oracle.Original, shrunk ?? throw new NothingToShrinkException("the failure does not reproduce"), events.Count, current.Count, search.Tests, search.Exhausted, clock.Elapsed, trace)
            {
                Interrupted = _options.Cancellation.IsCancellationRequested,
            };
        }

        // The input once (it may be standard input), checked line by line, kept at the same line
        // numbers and columns so that any later error points into the original file.
        private static byte[] ReadAll(TraceInput input)
        {
            using var lines = new TraceLines(input);
            using var buffer = new MemoryStream();
            long written = 0;
            while (lines.TryNext(out var line, out var at))
            {
                for (; written < at.Line - 1; written++)
                {
                    buffer.WriteByte((byte)'\n');
                }

                for (var i = 0; i < at.Lead; i++)
                {
                    buffer.WriteByte((byte)' ');
                }

                buffer.Write(line);
                buffer.WriteByte((byte)'\n');
                written++;
            }

            return buffer.ToArray();
        }

        // The events a failure needs: through its step, or all of them for a failure of the whole run (step -1).
        private static int Through(CycleFailure failure, int count) => failure.Step < 0 ? count : (int)Math.Min(failure.Step + 1, count);

        // Which way does the input fail? Against an external program, the way they disagree; else a
        // divergence first (what replay reports), else the fuzz checks.
        private Oracle Classify(TraceInput memory, byte[] bytes, List<TEvent> events)
        {
            if (_options.EventsDriver is { } driver)
            {
                var external = new ExternalCycles(new FuzzSettings { RequiredChecks = _options.RequiredChecks }, driver, [], "shrink");
                var disagreement = external.Check(events, 0)
                    ?? throw new NothingToShrinkException($"{driver.Command.Program} agrees with this machine on the trace's {events.Count} events"
                        + string.Concat(_options.RequiredChecks.Select(c => $", and {c} is true")));
                return new ExternalOracle(disagreement, external);
            }

            Divergence? divergence = null;
            try
            {
                divergence = new Replayer().Run([memory]).Divergence;
            }
            catch (Exception x) when (x is not MalformedTraceException)
            {
                // The machine threw while replaying: the fuzz checks below report it as an exception.
            }

            if (divergence is not null)
            {
                var recorded = System.Text.Encoding.UTF8.GetString(bytes).Split('\n')[(int)divergence.Line - 1];
                return new DivergenceOracle(divergence, events, JsonNode.Parse(recorded)!);
            }

            var settings = new FuzzSettings { RoundTrip = true, RequiredChecks = _options.RequiredChecks };
            var failure = new CycleRunner(settings, null).RunEvents(events).Failure
                ?? throw new NothingToShrinkException(
                    "the trace does not fail: it replays without divergence, every invariant holds"
                    + string.Concat(_options.RequiredChecks.Select(c => $", {c} is true")) + " and the round trip agrees");

            // Only the check that failed is needed to tell whether a candidate fails the same way.
            return new CheckOracle(failure, settings with
            {
                RoundTrip = failure.Kind == FailureKind.RoundTrip,
                RequiredChecks = failure.Kind == FailureKind.Check ? failure.Invariants : [],
            });
        }

        /// <summary>Tells whether a candidate fails, and writes the shrunk trace.</summary>
        private abstract class Oracle(CycleFailure original)
        {
            public CycleFailure Original { get; } = original;

            public abstract CycleFailure? Evaluate(IReadOnlyList<TEvent> events);

            /// <summary>A candidate of the search: stopped (as not failing) when <paramref name="budget"/> ends, so one slow candidate cannot outlast --max-seconds.</summary>
            public virtual CycleFailure? Evaluate(IReadOnlyList<TEvent> events, CancellationToken budget) => Evaluate(events);

            public abstract byte[] Write(IReadOnlyList<TEvent> events);

            /// <summary>The failure of the shrunk events and their trace.</summary>
            public virtual (CycleFailure? Failure, byte[] Trace) Final(IReadOnlyList<TEvent> events) => (Evaluate(events), Write(events));
        }

        /// <summary>Invariant, required check, round trip or exception: this machine's own trace of the events.</summary>
        private sealed class CheckOracle(CycleFailure original, FuzzSettings settings) : Oracle(original)
        {
            private readonly CycleRunner _runner = new(settings, null);

            public override CycleFailure? Evaluate(IReadOnlyList<TEvent> events) => _runner.RunEvents(events).Failure;

            public override byte[] Write(IReadOnlyList<TEvent> events)
            {
                using var output = new MemoryStream();
                _runner.RunEvents(events, 0, output);
                return output.ToArray();
            }
        }

        /// <summary>An events-driven external program's disagreement: the shrunk trace is what it writes for the kept events.</summary>
        private sealed class ExternalOracle(CycleFailure original, ExternalCycles external) : Oracle(original)
        {
            public override CycleFailure? Evaluate(IReadOnlyList<TEvent> events) => external.Check(events, 0);

            // The trace of the last failing candidate: the shrunk events are most often that candidate,
            // and then the program need not run again after the search (--max-seconds holds).
            private (TEvent[] Events, CycleFailure Failure, byte[] Trace)? _last;

            public override CycleFailure? Evaluate(IReadOnlyList<TEvent> events, CancellationToken budget)
            {
                using var output = new MemoryStream();
                var failure = external.Check(events, 0, output, budget);
                _last = failure is null || budget.IsCancellationRequested ? _last : ([.. events], failure, output.ToArray());
                return failure;
            }

            public override byte[] Write(IReadOnlyList<TEvent> events) => Final(events).Trace;

            // One run for the failure and the trace (when the last candidate is not these events).
            public override (CycleFailure? Failure, byte[] Trace) Final(IReadOnlyList<TEvent> events)
            {
                if (_last is { } last && last.Events.AsSpan().SequenceEqual([.. events]))
                {
                    return (last.Failure, last.Trace);
                }

                using var output = new MemoryStream();
                var failure = external.Check(events, 0, output);
                return (failure, output.ToArray());
            }
        }

        /// <summary>
        /// A recorded divergence at step k: a candidate must end with the same event k, and the events
        /// before it must bring this machine to exactly the snapshot it had before step k. The recorded
        /// line k then meets the same input it was recorded for, so it is kept verbatim (renumbered) and
        /// replays to the same divergence, without inventing any recorded value.
        /// </summary>
        private sealed class DivergenceOracle : Oracle
        {
            private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

            private readonly TEvent _event;
            private readonly TSnapshot _cursor;
            private readonly JsonNode _recordedLine;

            public DivergenceOracle(Divergence divergence, IReadOnlyList<TEvent> events, JsonNode recordedLine)
                : base(new CycleFailure(FailureKind.Divergence, divergence.Step, divergence.EventType, divergence.What, [], divergence.Differences))
            {
                _event = events[(int)divergence.Step];
                _cursor = Prefix(events.Take((int)divergence.Step).ToList()) ?? throw new InvalidOperationException("the prefix of a replayed trace cannot throw");
                _recordedLine = recordedLine;
            }

            public override CycleFailure? Evaluate(IReadOnlyList<TEvent> events) =>
                events.Count > 0 && ReferenceEquals(events[^1], _event) && Prefix(events.Take(events.Count - 1).ToList()) is { } reached && SameSnapshot(reached, _cursor)
                    ? Original with { Step = events.Count - 1 }
                    : null;

            public override byte[] Write(IReadOnlyList<TEvent> events)
            {
                var trace = SteppedTrace.Of(events.Take(events.Count - 1).ToList());
                var encoder = new StepEncoder();
                using var output = new MemoryStream();
                while (trace.MoveNext())
                {
                    output.Write(encoder.EncodeStep(trace.Step, trace.From, trace.To, trace.Event, trace.After, TContract.EvaluateChecks(trace.After), trace.Effects));
                    output.WriteByte((byte)'\n');
                }

                var last = _recordedLine.DeepClone();
                last["step"] = events.Count - 1;
                output.Write(System.Text.Encoding.UTF8.GetBytes(last.ToJsonString(Compact)));
                output.WriteByte((byte)'\n');
                output.Write(encoder.EncodeSummary(0, events.Count));
                output.WriteByte((byte)'\n');
                return output.ToArray();
            }

            // The snapshot this machine reaches after the events; null when it throws.
            private static TSnapshot? Prefix(IReadOnlyList<TEvent> events)
            {
                var trace = SteppedTrace.Of(events);
                try
                {
                    while (trace.MoveNext())
                    {
                    }
                }
                catch (Exception x) when (x is not OutOfMemoryException)
                {
                    return null;
                }

                return trace.After;
            }
        }

        /// <summary>
        /// The candidate tests, with a cache and the budget. The budget ends early by the longest
        /// failing run seen (the original's first): the shrunk trace may need one more run after the
        /// search, and that run must end within --max-seconds too.
        /// </summary>
        private sealed class Search
        {
            private readonly Oracle _oracle;
            private readonly ShrinkOptions _options;
            private readonly Stopwatch _clock;
            private readonly CancellationTokenSource _budget;
            private TimeSpan _reserve;

            public Search(Oracle oracle, ShrinkOptions options, Stopwatch clock, CancellationTokenSource budget, TimeSpan reserve)
            {
                (_oracle, _options, _clock, _budget) = (oracle, options, clock, budget);
                Reserve(reserve);
            }

            private void Reserve(TimeSpan run)
            {
                _reserve = run > _reserve ? run : _reserve;
                var left = _options.MaxTime - _clock.Elapsed - _reserve;
                _budget.CancelAfter(left.Ticks > 0 ? left : TimeSpan.Zero);
            }

            private readonly Dictionary<string, IReadOnlyList<TEvent>?> _seen = [];
            private readonly CanonicalWriter _canonical = new(1024);

            public int Tests { get; private set; }

            public bool Exhausted { get; private set; }

            /// <summary>The candidate cut after its failing step when it fails the same way; null otherwise.</summary>
            public IReadOnlyList<TEvent>? Test(IReadOnlyList<TEvent> candidate)
            {
                if (candidate.Count == 0)
                {
                    return null;
                }

                var key = Key(candidate);
                if (_seen.TryGetValue(key, out var known))
                {
                    return known;
                }

                if (Tests >= _options.MaxTests || _clock.Elapsed > _options.MaxTime || _budget.IsCancellationRequested)
                {
                    Exhausted = true;
                    return null;
                }

                Tests++;
                var started = _clock.Elapsed;
                var failure = _oracle.Evaluate(candidate, _budget.Token);
                if (_budget.IsCancellationRequested)
                {
                    // Cut short: neither failing nor passing, and the budget is spent.
                    Exhausted = true;
                    return null;
                }

                IReadOnlyList<TEvent>? kept = failure is not null && failure.SameWayAs(_oracle.Original)
                    ? [.. candidate.Take(Through(failure, candidate.Count))]
                    : null;
                if (kept is not null)
                {
                    Reserve(_clock.Elapsed - started);
                }

                _seen[key] = kept;
                return kept;
            }

            /// <summary>Each event in turn replaced by its smaller variants while the trace still fails.</summary>
            public IReadOnlyList<TEvent> SimplifyFields(IReadOnlyList<TEvent> current)
            {
                for (var j = 0; j < current.Count && !Exhausted; j++)
                {
                    var changed = true;
                    while (changed && j < current.Count && !Exhausted)
                    {
                        changed = false;
                        foreach (var variant in EventSimplifier.Variants(current[j]))
                        {
                            var candidate = current.ToArray();
                            candidate[j] = variant;
                            if (Test(candidate) is { } kept)
                            {
                                current = kept;
                                changed = true;
                                break;
                            }
                        }
                    }
                }

                return current;
            }

            private string Key(IReadOnlyList<TEvent> events)
            {
                _canonical.Reset();
                foreach (var e in events)
                {
                    TContract.WriteCanonical(_canonical, e);
                }

                return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(_canonical.Written));
            }
        }
    }
}
