using System.Globalization;
using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>
/// Histograms of traces of one machine: how often each event type is stepped, each effect type is
/// emitted, and each (from_state, to_state) pair occurs. Each is also kept per trace, because steps
/// of one trace are not independent draws (<see cref="DistributionComparison"/> uses the per-trace
/// counts). Bins are the machine's declared events, effects and state pairs, by index.
/// </summary>
public sealed class TraceStatistics
{
    private readonly string[] _eventNames;
    private readonly string[] _effectNames;
    private readonly string[] _stateNames;
    private readonly List<long[]> _events = [];
    private readonly List<long[]> _effects = [];
    private readonly List<long[]> _transitions = [];

    /// <summary>Empty histograms of <paramref name="definition"/>'s events, effects and state pairs.</summary>
    public TraceStatistics(MachineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _eventNames = [.. definition.Events];
        _effectNames = [.. definition.Effects];
        _stateNames = [.. definition.States];
    }

    /// <summary>Traces counted.</summary>
    public int Traces => _events.Count;

    /// <summary>Steps counted.</summary>
    public long Steps => Events.Total;

    /// <summary>Steps by event type (wire tag).</summary>
    public Histogram Events => new("event", _eventNames, _events);

    /// <summary>Effects by effect type (wire tag).</summary>
    public Histogram Effects => new("effect", _effectNames, _effects);

    /// <summary>Steps by <c>from_state -&gt; to_state</c>.</summary>
    public Histogram Transitions => new(
        "transition",
        [.. _stateNames.SelectMany(from => _stateNames.Select(to => $"{from} -> {to}"))],
        _transitions);

    /// <summary>Starts counting a new trace (a step 0 does so by itself).</summary>
    public void StartTrace()
    {
        _events.Add(new long[_eventNames.Length]);
        _effects.Add(new long[_effectNames.Length]);
        _transitions.Add(new long[_stateNames.Length * _stateNames.Length]);
    }

    /// <summary>Counts one step: state indices, the event's index, and the index of each effect.</summary>
    public void Add(long step, int from, int to, int eventIndex, ReadOnlySpan<int> effects)
    {
        if (step == 0 || _events.Count == 0)
        {
            StartTrace();
        }

        _events[^1][eventIndex]++;
        _transitions[^1][(from * _stateNames.Length) + to]++;
        foreach (var fx in effects)
        {
            _effects[^1][fx]++;
        }
    }

    /// <summary>The three histograms as a table: one section each, rows by count, with shares.</summary>
    public string ToTable()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{ToolText.Count(Traces, "trace")}, {ToolText.Count(Steps, "step")}, {ToolText.Count(Effects.Total, "effect")}");
        foreach (var h in new[] { Events, Effects, Transitions })
        {
            w.WriteLine();
            var rows = h.Bins.Where(b => b.Count > 0).OrderByDescending(b => b.Count).ThenBy(b => b.Name, StringComparer.Ordinal).ToList();
            var width = Math.Max(h.Kind.Length, rows.Count == 0 ? 0 : rows.Max(b => b.Name.Length));
            w.WriteLine($"{h.Kind.PadRight(width)}  {"count",10}  {"share",7}");
            foreach (var b in rows)
            {
                w.WriteLine($"{b.Name.PadRight(width)}  {b.Count,10:N0}  {100.0 * b.Count / Math.Max(h.Total, 1),6:F2}%");
            }
        }

        return w.ToString();
    }

    /// <summary>The histograms as JSON: <c>{"traces":…,"steps":…,"events":{name:count},"effects":{…},"transitions":{"A -> B":count}}</c>, non-zero bins only.</summary>
    public byte[] ToJson() => JsonText.Encode(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("traces", Traces);
        w.WriteNumber("steps", Steps);
        foreach (var (key, h) in new[] { ("events", Events), ("effects", Effects), ("transitions", Transitions) })
        {
            w.WriteStartObject(key);
            foreach (var b in h.Bins.Where(b => b.Count > 0))
            {
                w.WriteNumber(b.Name, b.Count);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    });
}

/// <summary>One bin of a histogram.</summary>
public readonly record struct Bin(string Name, long Count);

/// <summary>A histogram with its per-trace counts (row per trace, column per bin).</summary>
public sealed class Histogram(string kind, string[] names, IReadOnlyList<long[]> perTrace)
{
    /// <summary>What is counted: <c>event</c>, <c>effect</c> or <c>transition</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary>Bin names, in declaration order.</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>Counts per trace.</summary>
    public IReadOnlyList<long[]> PerTrace { get; } = perTrace;

    /// <summary>Total per bin.</summary>
    public IReadOnlyList<Bin> Bins => [.. Names.Select((n, i) => new Bin(n, PerTrace.Sum(t => t[i])))];

    /// <summary>Everything counted.</summary>
    public long Total => PerTrace.Sum(t => t.Sum());
}

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>Counting traces of this machine into <see cref="TraceStatistics"/>.</summary>
    public static class Statistics
    {
        /// <summary>Empty histograms of this machine.</summary>
        public static TraceStatistics Create() => new(TContract.Definition);

        /// <summary>Counts every step of <paramref name="input"/>, or those before <paramref name="stop"/> is cancelled; whether it counted them all.</summary>
        /// <exception cref="MalformedTraceException">The input is not a well-formed trace.</exception>
        public static bool Add(TraceStatistics stats, TraceInput input, CancellationToken stop = default)
        {
            try
            {
                foreach (var line in TraceReader.ReadSteps(input))
                {
                    if (stop.IsCancellationRequested)
                    {
                        return false;
                    }

                    var s = line.Step;
                    Add(stats, s.Step, s.FromState, s.ToState, s.Event, s.Effects);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // A read of a pipe that was waiting when the signal came.
                return false;
            }

            return !stop.IsCancellationRequested;
        }

        /// <summary>Counts one step.</summary>
        public static void Add(TraceStatistics stats, long step, TState from, TState to, TEvent e, ReadOnlySpan<TEffect> effects)
        {
            Span<int> indices = effects.Length <= 64 ? stackalloc int[effects.Length] : new int[effects.Length];
            for (var i = 0; i < effects.Length; i++)
            {
                indices[i] = TContract.EffectIndex(effects[i]);
            }

            stats.Add(step, TContract.StateIndex(from), TContract.StateIndex(to), TContract.EventIndex(e), indices);
        }

        /// <summary>
        /// Histograms of exactly <paramref name="steps"/> generated steps of <paramref name="source"/>'s
        /// <paramref name="profile"/>, from traces with seeds 1, 2, … and <c>--events</c> bounds
        /// <paramref name="eventsFor"/>(seed), the last trace cut short.
        /// </summary>
        public static TraceStatistics Generated(IEventSource<TSnapshot, TEvent> source, string profile, long steps, Func<ulong, long> eventsFor)
        {
            var stats = Create();
            long counted = 0;
            for (ulong seed = 1; counted < steps; seed++)
            {
                var trace = SteppedTrace.Generated(source, profile, seed, eventsFor(seed));
                var any = false;
                while (counted < steps && trace.MoveNext())
                {
                    Add(stats, trace.Step, trace.From, trace.To, trace.Event, trace.Effects);
                    counted++;
                    any = true;
                }

                if (!any)
                {
                    break; // the source makes empty traces: there is nothing more to count
                }
            }

            return stats;
        }
    }
}
