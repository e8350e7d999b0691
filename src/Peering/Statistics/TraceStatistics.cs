using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Peering.Machine;
using Peering.Traces;

namespace Peering.Statistics;

/// <summary>
/// Histograms of traces: how often each event type is stepped, each effect type is emitted, and
/// each (from_state, to_state) pair occurs. Each is also kept per trace, because steps of one trace
/// are not independent draws (<see cref="DistributionComparison"/> uses the per-trace counts).
/// </summary>
public sealed class TraceStatistics
{
    private static readonly string[] EventNames = [.. PeeringMachine.Definition.Events];
    private static readonly string[] EffectNames = [.. PeeringMachine.Definition.Effects];
    private static readonly string[] StateNames = [.. Enum.GetValues<PgState>().Select(PeeringMachine.StateName)];

    private readonly List<long[]> _events = [];
    private readonly List<long[]> _effects = [];
    private readonly List<long[]> _transitions = [];

    /// <summary>Traces counted.</summary>
    public int Traces => _events.Count;

    /// <summary>Steps counted.</summary>
    public long Steps => Events.Total;

    /// <summary>Steps by event type (wire tag).</summary>
    public Histogram Events => new("event", EventNames, _events);

    /// <summary>Effects by effect type (wire tag).</summary>
    public Histogram Effects => new("effect", EffectNames, _effects);

    /// <summary>Steps by <c>from_state -&gt; to_state</c>.</summary>
    public Histogram Transitions => new(
        "transition",
        [.. StateNames.SelectMany(from => StateNames.Select(to => $"{from} -> {to}"))],
        _transitions);

    /// <summary>Starts counting a new trace (a step 0 does so by itself).</summary>
    public void StartTrace()
    {
        _events.Add(new long[EventNames.Length]);
        _effects.Add(new long[EffectNames.Length]);
        _transitions.Add(new long[StateNames.Length * StateNames.Length]);
    }

    /// <summary>Counts one step.</summary>
    public void Add(long step, PgState from, PgState to, PgEvent e, ReadOnlySpan<PgEffect> effects)
    {
        if (step == 0 || _events.Count == 0)
        {
            StartTrace();
        }

        _events[^1][PeeringMachine.EventIndex(e)]++;
        _transitions[^1][((int)from * StateNames.Length) + (int)to]++;
        foreach (var fx in effects)
        {
            _effects[^1][EffectIndex(fx)]++;
        }
    }

    /// <summary>Counts every step of <paramref name="input"/>.</summary>
    /// <exception cref="MalformedTraceException">The input is not a well-formed trace.</exception>
    public void Add(TraceInput input)
    {
        foreach (var line in TraceReader.ReadSteps(input))
        {
            var s = line.Step;
            Add(s.Step, s.FromState, s.ToState, s.Event, s.Effects);
        }
    }

    /// <summary>The three histograms as a table: one section each, rows by count, with shares.</summary>
    public string ToTable()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{Traces:N0} traces, {Steps:N0} steps, {Effects.Total:N0} effects");
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

    // An effect's declaration index, from its wire tag ([Effect("tag")] or the type name).
    private static int EffectIndex(PgEffect fx) => EffectIndices.GetOrAdd(fx.GetType(), type =>
    {
        var tag = type.GetCustomAttribute<Peering.StateMachines.EffectAttribute>()?.Tag ?? type.Name;
        var index = PeeringMachine.Definition.Effects.IndexOf(tag);
        return index >= 0 ? index : throw new ArgumentException($"unknown effect {type.Name}");
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, int> EffectIndices = new();
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
