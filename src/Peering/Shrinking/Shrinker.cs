using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peering.Fuzzing;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;
using Peering.Traces;

namespace Peering.Shrinking;

/// <summary>Limits and checks of a shrink.</summary>
public sealed record ShrinkOptions
{
    /// <summary>Count <c>image_invariant == false</c> as a failure (as <c>fuzz --require-image-invariant</c>).</summary>
    public bool RequireImageInvariant { get; init; }

    /// <summary>At most this many candidate traces are tried.</summary>
    public int MaxTests { get; init; } = 100_000;

    /// <summary>At most this long; the best trace so far is kept when it runs out.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(5);
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
    byte[] Trace);

/// <summary>The input trace does not fail: nothing to shrink.</summary>
public sealed class NothingToShrinkException(string message) : Exception(message);

/// <summary>
/// Reduces a failing trace to a small one that fails the same way (<see cref="CycleFailure.SameWayAs"/>):
/// ddmin over the events, then smaller field values (<see cref="EventSimplifier"/>), repeated while
/// either helps. What "fails" means depends on the input:
/// <list type="bullet">
/// <item>A trace that <b>diverges</b> from the reducer (a recorded value the reducer does not
/// reproduce): the candidate trace is this reducer's own output for the kept events, except that the
/// last line carries the recorded values at exactly the JSON paths that differed. It must replay to
/// a divergence at its last step with the same event type, the same section and the same differing
/// paths. The other recorded values of the original cannot be carried over, since no other trace of
/// the producer that wrote them exists.</item>
/// <item>A trace that replays cleanly but on which the reducer violates an <b>invariant</b> (or
/// <c>image_invariant</c> is false, when required), fails the <b>round trip</b>, or <b>throws</b>:
/// the candidate is this reducer's own trace of the kept events, which must fail with the same kind,
/// event type and invariants (or differing paths).</item>
/// </list>
/// </summary>
public sealed class Shrinker
{
    private readonly IReducer _reducer;
    private readonly ShrinkOptions _options;

    /// <summary>A shrinker stepping <paramref name="reducer"/> (the real one by default).</summary>
    public Shrinker(IReducer? reducer = null, ShrinkOptions? options = null)
    {
        _reducer = reducer ?? PeeringReducer.Instance;
        _options = options ?? new ShrinkOptions();
    }

    /// <summary>Shrinks the one trace in <paramref name="input"/>.</summary>
    /// <exception cref="MalformedTraceException">The input is not a well-formed trace.</exception>
    /// <exception cref="NothingToShrinkException">The trace does not fail, or holds more than one trace.</exception>
    public ShrinkResult Shrink(TraceInput input)
    {
        var clock = Stopwatch.StartNew();
        var bytes = ReadAll(input);
        var memory = TraceInput.Memory(input.Name, bytes);
        var events = new List<PgEvent>();
        foreach (var line in TraceReader.ReadSteps(memory))
        {
            if (line.Step.Step == 0 && events.Count > 0)
            {
                throw new NothingToShrinkException($"{input.Name}:{line.Line}: a second trace starts here; shrink takes one trace");
            }

            events.Add(line.Step.Event);
        }

        var oracle = Classify(memory, bytes, events);
        var search = new Search(oracle, _options, clock);
        var current = search.Test([.. events.Take((int)oracle.Original.Step + 1)]) ?? throw new NothingToShrinkException("the failure does not reproduce");
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

        var shrunk = oracle.Evaluate(current) ?? throw new InvalidOperationException("the shrunk trace no longer fails");
        return new ShrinkResult(oracle.Original, shrunk, events.Count, current.Count, search.Tests, search.Exhausted, clock.Elapsed, oracle.Write(current));
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

    // Which way does the input fail? A divergence first (what replay reports), else the fuzz checks.
    private Oracle Classify(TraceInput memory, byte[] bytes, List<PgEvent> events)
    {
        Divergence? divergence = null;
        try
        {
            divergence = new Replayer(reducer: _reducer).Run([memory]).Divergence;
        }
        catch (Exception x) when (x is not MalformedTraceException)
        {
            // The reducer threw while replaying: the fuzz checks below report it as an exception.
        }

        if (divergence is not null)
        {
            var recorded = System.Text.Encoding.UTF8.GetString(bytes).Split('\n')[(int)divergence.Line - 1];
            return new DivergenceOracle(_reducer, divergence, events, JsonNode.Parse(recorded)!);
        }

        var settings = new FuzzSettings { RoundTrip = true, RequireImageInvariant = _options.RequireImageInvariant };
        var failure = new CycleRunner(settings, _reducer).RunEvents(events).Failure
            ?? throw new NothingToShrinkException(
                "the trace does not fail: it replays without divergence, every invariant holds"
                + (_options.RequireImageInvariant ? ", image_invariant is true" : "") + " and the round trip agrees");

        // Only the check that failed is needed to tell whether a candidate fails the same way.
        return new CheckOracle(_reducer, failure, settings with
        {
            RoundTrip = failure.Kind == FailureKind.RoundTrip,
            RequireImageInvariant = failure.Kind == FailureKind.ImageInvariant,
        });
    }

    /// <summary>Tells whether a candidate fails, and writes the shrunk trace.</summary>
    private abstract class Oracle(CycleFailure original)
    {
        public CycleFailure Original { get; } = original;

        public abstract CycleFailure? Evaluate(IReadOnlyList<PgEvent> events);

        public abstract byte[] Write(IReadOnlyList<PgEvent> events);
    }

    /// <summary>Invariant, image invariant, round trip or exception: this reducer's own trace of the events.</summary>
    private sealed class CheckOracle(IReducer reducer, CycleFailure original, FuzzSettings settings) : Oracle(original)
    {
        private readonly CycleRunner _runner = new(settings, reducer);

        public override CycleFailure? Evaluate(IReadOnlyList<PgEvent> events) => _runner.RunEvents(events).Failure;

        public override byte[] Write(IReadOnlyList<PgEvent> events)
        {
            using var output = new MemoryStream();
            _runner.RunEvents(events, 0, output);
            return output.ToArray();
        }
    }

    /// <summary>
    /// A recorded divergence at step k: a candidate must end with the same event k, and the events
    /// before it must bring this reducer to exactly the snapshot it had before step k. The recorded
    /// line k then meets the same input it was recorded for, so it is kept verbatim (renumbered) and
    /// replays to the same divergence, without inventing any recorded value.
    /// </summary>
    private sealed class DivergenceOracle : Oracle
    {
        private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly IReducer _reducer;
        private readonly PgEvent _event;
        private readonly PgSnapshot _cursor;
        private readonly JsonNode _recordedLine;

        public DivergenceOracle(IReducer reducer, Divergence divergence, IReadOnlyList<PgEvent> events, JsonNode recordedLine)
            : base(new CycleFailure(FailureKind.Divergence, divergence.Step, divergence.EventType, divergence.What, [], divergence.Differences))
        {
            _reducer = reducer;
            _event = events[(int)divergence.Step];
            _cursor = Prefix(events.Take((int)divergence.Step).ToList()) ?? throw new InvalidOperationException("the prefix of a replayed trace cannot throw");
            _recordedLine = recordedLine;
        }

        public override CycleFailure? Evaluate(IReadOnlyList<PgEvent> events) =>
            events.Count > 0 && ReferenceEquals(events[^1], _event) && Prefix(events.Take(events.Count - 1).ToList()) == _cursor
                ? Original with { Step = events.Count - 1 }
                : null;

        public override byte[] Write(IReadOnlyList<PgEvent> events)
        {
            var trace = new EventListTrace(events.Take(events.Count - 1).ToList(), _reducer);
            var encoder = new StepEncoder();
            using var output = new MemoryStream();
            while (trace.MoveNext())
            {
                output.Write(encoder.EncodeStep(trace.Step, trace.From, trace.To, trace.Event, trace.After, PeeringMachine.EvaluateChecks(trace.After), trace.Effects));
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

        // The snapshot this reducer reaches after the events; null when it throws.
        private PgSnapshot? Prefix(IReadOnlyList<PgEvent> events)
        {
            var trace = new EventListTrace(events, _reducer);
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

    /// <summary>The candidate tests, with a cache and the budget.</summary>
    private sealed class Search(Oracle oracle, ShrinkOptions options, Stopwatch clock)
    {
        private readonly Dictionary<string, IReadOnlyList<PgEvent>?> _seen = [];
        private readonly CanonicalWriter _canonical = new(1024);

        public int Tests { get; private set; }

        public bool Exhausted { get; private set; }

        /// <summary>The candidate cut after its failing step when it fails the same way; null otherwise.</summary>
        public IReadOnlyList<PgEvent>? Test(IReadOnlyList<PgEvent> candidate)
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

            if (Tests >= options.MaxTests || clock.Elapsed > options.MaxTime)
            {
                Exhausted = true;
                return null;
            }

            Tests++;
            var failure = oracle.Evaluate(candidate);
            IReadOnlyList<PgEvent>? kept = failure is not null && failure.SameWayAs(oracle.Original)
                ? [.. candidate.Take((int)Math.Min(failure.Step + 1, candidate.Count))]
                : null;
            _seen[key] = kept;
            return kept;
        }

        /// <summary>Each event in turn replaced by its smaller variants while the trace still fails.</summary>
        public IReadOnlyList<PgEvent> SimplifyFields(IReadOnlyList<PgEvent> current)
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

        private string Key(IReadOnlyList<PgEvent> events)
        {
            _canonical.Reset();
            foreach (var e in events)
            {
                PeeringMachineJson.WriteCanonical(_canonical, e);
            }

            return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(_canonical.Written));
        }
    }
}
