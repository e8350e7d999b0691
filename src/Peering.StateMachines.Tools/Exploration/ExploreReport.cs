using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>
/// What an exploration covered, as the report states it: the world (a one-line description and the
/// parameters the JSON report lists first), the bound and outputs, and optionally a list of step pairs
/// the world expects to be reached (for example, the spec's step table), reported as reached or not.
/// </summary>
public sealed record ExploreSpec(
    string World,
    IReadOnlyList<KeyValuePair<string, object>> Parameters,
    int Depth,
    int Jobs,
    long MaxStates,
    string TracePath,
    ExpectedStepPairs? Expected = null);

/// <summary>Step pairs (from_state, to_state) a world expects an exploration to reach, with how the report names them.</summary>
/// <param name="Label">The text report's name for them.</param>
/// <param name="JsonKey">The JSON report's key for the section.</param>
/// <param name="ListKey">The JSON key of the list of all of them (the section also has <c>unreached</c>).</param>
/// <param name="Pairs">The pairs, by state index.</param>
public sealed record ExpectedStepPairs(string Label, string JsonKey, string ListKey, IReadOnlyList<SingleMove> Pairs);

/// <summary>The figures and coverage of one exploration, as text and as JSON.</summary>
public sealed class ExploreReport<TSnapshot, TEvent>(ExploreSpec settings, ExplorationResult<TSnapshot, TEvent> result, long peakMemory)
{
    private readonly ExplorationCoverage _coverage = result.Coverage;
    private readonly MachineDefinition _definition = result.Coverage.Definition;

    /// <summary>How the run ended.</summary>
    public ExplorationStatus Status => result.Status;

    private string State(int index) => _definition.States[index];

    private string Event(int index) => _definition.Events[index];

    private string Move(SingleMove m) => $"{State(m.From)} -> {State(m.To)}";

    private IReadOnlyList<SingleMove> ExpectedUnreached =>
        settings.Expected is { } expected ? [.. expected.Pairs.Where(p => _coverage.StepCount(p.From, p.To) == 0)] : [];

    /// <summary>Writes the text report.</summary>
    public void WriteText(TextWriter w)
    {
        var status = result.Status switch
        {
            ExplorationStatus.Completed => "no violation",
            ExplorationStatus.Violation => "INVARIANT VIOLATION",
            ExplorationStatus.StateLimit => $"STOPPED: more than {settings.MaxStates} distinct snapshots (--max-states); raise it or lower --depth",
            ExplorationStatus.Interrupted => "INTERRUPTED: stopped by a signal before the bound was explored",
            _ => "STOPPED: the managed heap reached its limit before --max-states; lower --max-states or --depth",
        };
        w.WriteLine($"result: {status}");
        if (result.Shard is { } shard)
        {
            w.WriteLine($"shard: {shard} (depths 0 to {result.SharedThroughDepth} explored in full by every shard)");
        }

        if (result.MergedShards is { } merged)
        {
            w.WriteLine($"merged: {merged} shard reports (depths 0 to {result.SharedThroughDepth} counted once; deeper, a snapshot reached in several shards counts in each)");
        }

        w.WriteLine($"distinct snapshots: {result.DistinctStates}");
        w.WriteLine($"transitions taken: {result.Transitions}");
        w.WriteLine($"depth reached: {result.DepthReached}{(result.Exhausted ? " (exhausted: nothing new at the next depth)" : string.Empty)}");
        w.WriteLine($"snapshots per depth: {string.Join(" ", result.LevelSizes)}");
        w.WriteLine($"time: {result.Elapsed.TotalSeconds:F1} s, {result.StatesPerSecond:N0} snapshots/s, {result.Transitions / Math.Max(result.Elapsed.TotalSeconds, 1e-9):N0} transitions/s");
        w.WriteLine($"peak memory: {peakMemory / (1024.0 * 1024.0):F0} MiB");

        var handled = _coverage.ReachedHandled.Count;
        w.WriteLine($"(state, event) pairs: {handled}/{_definition.Handled.Length} handled and {_coverage.ReachedIgnored.Count}/{_definition.Ignored.Length} ignored pairs tried");
        w.WriteLine($"  handled, never tried: {Join(_coverage.UnreachedHandled.Select(p => $"{State(p.State)}/{Event(p.Event)}"))}");
        w.WriteLine($"single moves: {_coverage.ReachedMoves.Count}/{_coverage.DeclaredMoves.Count} declared (from, to) moves made");
        w.WriteLine($"  never made: {Join(_coverage.UnreachedMoves.Select(Move))}");
        if (_coverage.UndeclaredMoves.Count > 0)
        {
            w.WriteLine($"  UNDECLARED moves made: {Join(_coverage.UndeclaredMoves.Select(Move))}");
        }

        var steps = _coverage.StepPairs.Where(p => p.From != p.To).ToArray();
        w.WriteLine($"step pairs (from_state -> to_state, moving): {steps.Length}: {Join(steps.Select(Move))}");
        if (settings.Expected is { } expected)
        {
            var unreached = ExpectedUnreached;
            w.WriteLine($"{expected.Label}: {expected.Pairs.Count - unreached.Count}/{expected.Pairs.Count} reached" +
                (unreached.Count > 0 ? $"; NOT reached: {Join(unreached.Select(Move))}" : string.Empty));
        }

        if (result.Violation is { } v)
        {
            w.WriteLine($"violation: {string.Join(", ", v.Invariants)} after {ToolText.Count(v.Depth, "event")} from an initial configuration; trace: {settings.TracePath}");
            for (var i = 0; i < v.Steps.Count; i++)
            {
                var s = v.Steps[i];
                w.WriteLine($"  step {i}: {State(s.From)} -> {State(s.To)} on {s.Event}");
            }
        }
    }

    /// <summary>Writes the JSON report.</summary>
    public void WriteJson(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        foreach (var (name, value) in settings.Parameters)
        {
            switch (value)
            {
                case string text:
                    w.WriteString(name, text);
                    break;
                case bool flag:
                    w.WriteBoolean(name, flag);
                    break;
                default:
                    w.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        w.WriteNumber("depth", settings.Depth);
        w.WriteNumber("jobs", settings.Jobs);
        w.WriteNumber("max_states", settings.MaxStates);
        if (result.Shard is { } shard)
        {
            w.WriteStartObject("shard");
            w.WriteNumber("index", shard.Index);
            w.WriteNumber("count", shard.Count);
            w.WriteNumber("shared_through_depth", result.SharedThroughDepth ?? settings.Depth);
            w.WriteEndObject();
        }

        if (result.MergedShards is { } merged)
        {
            w.WriteNumber("merged_shards", merged);
            w.WriteNumber("shared_through_depth", result.SharedThroughDepth ?? settings.Depth);
        }

        w.WriteString("status", result.Status switch
        {
            ExplorationStatus.Completed => "completed",
            ExplorationStatus.Violation => "violation",
            ExplorationStatus.StateLimit => "state_limit",
            ExplorationStatus.Interrupted => "interrupted",
            _ => "memory_limit",
        });
        w.WriteNumber("distinct_snapshots", result.DistinctStates);
        w.WriteNumber("transitions", result.Transitions);
        w.WriteNumber("depth_reached", result.DepthReached);
        w.WriteBoolean("exhausted", result.Exhausted);
        w.WriteStartArray("snapshots_per_depth");
        foreach (var n in result.LevelSizes)
        {
            w.WriteNumberValue(n);
        }

        w.WriteEndArray();
        w.WriteNumber("elapsed_seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteNumber("snapshots_per_second", Math.Round(result.StatesPerSecond));
        w.WriteNumber("peak_memory_bytes", peakMemory);

        w.WriteStartObject("coverage");
        w.WriteStartObject("handled_pairs");
        Pairs(w, "reached", _coverage.ReachedHandled.Select(p => (p.State, p.Event)));
        Pairs(w, "unreached", _coverage.UnreachedHandled.Select(p => (p.State, p.Event)));
        w.WriteEndObject();
        w.WriteStartObject("ignored_pairs");
        Pairs(w, "reached", _coverage.ReachedIgnored.Select(p => (p.State, p.Event)));
        Pairs(w, "unreached", _coverage.UnreachedIgnored.Select(p => (p.State, p.Event)));
        w.WriteEndObject();
        w.WriteStartObject("single_moves");
        Moves(w, "reached", _coverage.ReachedMoves, _coverage.MoveCount);
        Moves(w, "unreached", _coverage.UnreachedMoves, _coverage.MoveCount);
        Moves(w, "undeclared", _coverage.UndeclaredMoves, _coverage.MoveCount);
        w.WriteEndObject();
        Moves(w, "step_pairs", _coverage.StepPairs, _coverage.StepCount);
        if (settings.Expected is { } expected)
        {
            w.WriteStartObject(expected.JsonKey);
            w.WriteString("label", expected.Label);
            Moves(w, expected.ListKey, expected.Pairs, _coverage.StepCount);
            Moves(w, "unreached", ExpectedUnreached, _coverage.StepCount);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        if (result.Violation is { } v)
        {
            w.WriteStartObject("violation");
            w.WriteNumber("depth", v.Depth);
            w.WriteStartArray("invariants");
            foreach (var name in v.Invariants)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteString("trace", settings.TracePath);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private void Pairs(Utf8JsonWriter w, string name, IEnumerable<(int State, int Event)> pairs)
    {
        w.WriteStartArray(name);
        foreach (var (state, ev) in pairs)
        {
            w.WriteStartObject();
            w.WriteString("state", State(state));
            w.WriteString("event", Event(ev));
            w.WriteNumber("count", _coverage.PairCount(state, ev));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void Moves(Utf8JsonWriter w, string name, IEnumerable<SingleMove> moves, Func<int, int, long> count)
    {
        w.WriteStartArray(name);
        foreach (var m in moves)
        {
            w.WriteStartObject();
            w.WriteString("from", State(m.From));
            w.WriteString("to", State(m.To));
            w.WriteNumber("count", count(m.From, m.To));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Join(IEnumerable<string> items)
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? "none" : text;
    }
}
