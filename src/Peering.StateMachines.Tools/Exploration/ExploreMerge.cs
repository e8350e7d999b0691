using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>A shard report that cannot be merged: the file, the field and what is wrong (exit 3).</summary>
public sealed class ShardReportException(string file, string field, string message)
    : Exception($"{file}: {(field.Length > 0 ? $"field '{field}': " : string.Empty)}{message}")
{
    /// <summary>The report's path.</summary>
    public string File { get; } = file;

    /// <summary>The JSON field at fault (empty for the whole file).</summary>
    public string Field { get; } = field;
}

/// <summary>
/// Merges the JSON reports of the N shards of one exploration (<c>explore --shard K/N --json</c>) into
/// the report of the whole bound: the verdict (a violation in any shard; else a bound reached in any;
/// else completed), the counterexample of least depth (the lowest shard index among equals), coverage as
/// the union (counts summed), and the counts. Refuses reports that are incomplete (a missing or null
/// field, a shard missing), inconsistent (another world, bound or shard count, a shard given twice, a
/// shared depth that differs) or out of range (a negative or overflowing count, K &gt;= N).
/// </summary>
public static class ExploreMerge
{
    private static readonly HashSet<string> EngineFields =
    [
        "depth", "jobs", "max_states", "shard", "merged_shards", "shared_through_depth", "status", "distinct_snapshots", "transitions",
        "depth_reached", "exhausted", "snapshots_per_depth", "elapsed_seconds", "snapshots_per_second", "peak_memory_bytes", "coverage", "violation",
    ];

    private static readonly HashSet<string> CoverageSections = ["handled_pairs", "ignored_pairs", "single_moves", "step_pairs"];

    /// <summary>The merged report of the shard reports in <paramref name="files"/>, for a machine declared by <paramref name="definition"/>.</summary>
    /// <exception cref="ShardReportException">A report is unreadable, incomplete or inconsistent with the others.</exception>
    public static ExploreReport<TSnapshot, TEvent> Merge<TSnapshot, TEvent>(MachineDefinition definition, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("at least one report", nameof(files));
        }

        var shards = files.Select(f => Shard.Read(f, definition)).ToList();
        var first = shards[0];
        var seen = new Dictionary<int, string>();
        foreach (var s in shards)
        {
            s.Same(first, "depth", x => x.Depth);
            s.Same(first, "max_states", x => x.MaxStates);
            s.Same(first, "shard.count", x => x.Count);
            s.Same(first, "shard.shared_through_depth", x => x.SharedThrough);
            s.Same(first, "world parameters", x => string.Join(",", x.Parameters.Select(p => $"{p.Key}={p.Value}")));
            s.Same(first, $"coverage.{first.Expected?.JsonKey}", x => x.Expected is { } e ? $"{e.JsonKey}/{e.ListKey}/{string.Join(",", e.Pairs)}" : string.Empty);
            if (!seen.TryAdd(s.Index, s.File))
            {
                throw new ShardReportException(s.File, "shard.index", $"shard {s.Index}/{s.Count} is also {seen[s.Index]}");
            }
        }

        var missing = Enumerable.Range(0, first.Count).Where(k => !seen.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new ShardReportException(first.File, "shard.count", $"{first.Count} shards, but no report of shard(s) {string.Join(", ", missing.Select(k => $"{k}/{first.Count}"))}");
        }

        // Depths 0..shared are the same in every shard (explored in full by each): they must agree, and count once.
        var shared = first.SharedThrough;
        foreach (var s in shards)
        {
            for (var d = 0; d <= shared && d < Math.Min(s.Levels.Length, first.Levels.Length); d++)
            {
                if (s.Levels[d] != first.Levels[d])
                {
                    throw new ShardReportException(s.File, "snapshots_per_depth", $"depth {d} (explored in full by every shard) has {s.Levels[d]} snapshots, {first.File} has {first.Levels[d]}");
                }
            }
        }

        var levels = new long[shards.Max(s => s.Levels.Length)];
        var coverage = new ExplorationCoverage(definition);
        long transitions = 0;
        var elapsed = TimeSpan.Zero;
        long peak = 0;
        var jobs = 0;
        foreach (var s in shards.OrderBy(s => s.Index))
        {
            try
            {
                checked
                {
                    for (var d = 0; d < s.Levels.Length; d++)
                    {
                        levels[d] = d <= shared ? s.Levels[d] : levels[d] + s.Levels[d];
                    }

                    transitions += s.Transitions;
                    jobs += s.Jobs;
                    coverage.Add(s.Coverage);
                }
            }
            catch (OverflowException)
            {
                throw new ShardReportException(s.File, "", "the counts overflow when added to the other shards'");
            }

            elapsed = elapsed > s.Elapsed ? elapsed : s.Elapsed;
            peak = Math.Max(peak, s.Peak);
        }

        var ordered = shards.OrderBy(s => s.Index).ToList();
        var violating = ordered.Where(s => s.Violation is not null).OrderBy(s => s.Violation!.Depth).FirstOrDefault();
        var status = violating is not null ? ExplorationStatus.Violation
            : ordered.FirstOrDefault(s => s.Status != ExplorationStatus.Completed)?.Status ?? ExplorationStatus.Completed;
        var exhausted = status == ExplorationStatus.Completed && shards.All(s => s.Exhausted);
        Counterexample<TSnapshot, TEvent>? counterexample = null;
        if (violating?.Violation is { } v)
        {
            counterexample = new Counterexample<TSnapshot, TEvent>(v.Depth, v.Mask, v.Invariants, default!, []);
        }

        var spec = new ExploreSpec(
            first.World, first.Parameters, first.Depth, jobs, first.MaxStates, violating?.Violation?.Trace ?? string.Empty, first.Expected);
        var result = new ExplorationResult<TSnapshot, TEvent>(status, levels.Sum(), transitions, levels, exhausted, elapsed, coverage, counterexample)
        {
            MergedShards = first.Count,
            SharedThroughDepth = shared,
        };
        return new ExploreReport<TSnapshot, TEvent>(spec, result, peak);
    }

    private sealed record ViolationRecord(int Depth, ulong Mask, IReadOnlyList<string> Invariants, string Trace);

    // One shard's report, read strictly.
    private sealed class Shard
    {
        public required string File { get; init; }

        public required string World { get; init; }

        public required List<KeyValuePair<string, object>> Parameters { get; init; }

        public int Depth { get; init; }

        public int Jobs { get; init; }

        public long MaxStates { get; init; }

        public int Index { get; init; }

        public int Count { get; init; }

        public int SharedThrough { get; init; }

        public ExplorationStatus Status { get; init; }

        public long Transitions { get; init; }

        public bool Exhausted { get; init; }

        public required long[] Levels { get; init; }

        public TimeSpan Elapsed { get; init; }

        public long Peak { get; init; }

        public required ExplorationCoverage Coverage { get; init; }

        public ExpectedStepPairs? Expected { get; init; }

        public ViolationRecord? Violation { get; init; }

        public void Same<T>(Shard other, string field, Func<Shard, T> value)
        {
            if (!EqualityComparer<T>.Default.Equals(value(this), value(other)))
            {
                throw new ShardReportException(File, field, $"{value(this)} differs from {other.File}'s {value(other)}: not shards of the same exploration");
            }
        }

        public static Shard Read(string file, MachineDefinition definition)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(System.IO.File.ReadAllBytes(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ShardReportException(file, "", $"cannot read it: {e.Message}");
            }
            catch (JsonException e)
            {
                throw new ShardReportException(file, "", $"not JSON: {e.Message}");
            }

            using (document)
            {
                try
                {
                    return new Reader(file, definition).Shard(document.RootElement);
                }
                catch (OverflowException)
                {
                    throw new ShardReportException(file, "coverage", "the counts overflow");
                }
            }
        }
    }

    private sealed class Reader(string file, MachineDefinition definition)
    {
        private ShardReportException Bad(string field, string message) => new(file, field, message);

        private JsonElement Get(JsonElement parent, string path, string name, JsonValueKind kind)
        {
            var field = path.Length == 0 ? name : $"{path}.{name}";
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
            {
                throw Bad(field, "missing (not a complete shard report of explore --shard K/N --json)");
            }

            if (value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
            {
                throw Bad(field, value.ValueKind == JsonValueKind.Null ? "is null" : $"is {value.ValueKind}, not {kind}");
            }

            return value;
        }

        private long Count(JsonElement parent, string path, string name, long max = long.MaxValue)
        {
            var field = path.Length == 0 ? name : $"{path}.{name}";
            var value = Get(parent, path, name, JsonValueKind.Number);
            if (!value.TryGetInt64(out var n))
            {
                throw Bad(field, $"{value.GetRawText()} is not a whole number in range");
            }

            return n < 0 ? throw Bad(field, $"{n} is negative") : n > max ? throw Bad(field, $"{n} is above {max}") : n;
        }

        private string Text(JsonElement parent, string path, string name) => Get(parent, path, name, JsonValueKind.String).GetString()!;

        private int StateIndex(string field, string name)
        {
            var i = definition.States.IndexOf(name);
            return i >= 0 ? i : throw Bad(field, $"'{name}' is not a state of {definition.Name}");
        }

        private int EventIndex(string field, string name)
        {
            var i = definition.Events.IndexOf(name);
            return i >= 0 ? i : throw Bad(field, $"'{name}' is not an event of {definition.Name}");
        }

        private IEnumerable<(int From, int To, long Count)> Moves(JsonElement parent, string path, string name)
        {
            var field = $"{path}.{name}";
            var i = 0;
            foreach (var m in Get(parent, path, name, JsonValueKind.Array).EnumerateArray())
            {
                var at = $"{field}[{i++}]";
                yield return (StateIndex($"{at}.from", Text(m, at, "from")), StateIndex($"{at}.to", Text(m, at, "to")), Count(m, at, "count"));
            }
        }

        private IEnumerable<(int State, int Event, long Count)> Pairs(JsonElement parent, string path, string name)
        {
            var field = $"{path}.{name}";
            var i = 0;
            foreach (var m in Get(parent, path, name, JsonValueKind.Array).EnumerateArray())
            {
                var at = $"{field}[{i++}]";
                yield return (StateIndex($"{at}.state", Text(m, at, "state")), EventIndex($"{at}.event", Text(m, at, "event")), Count(m, at, "count"));
            }
        }

        public Shard Shard(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad("", "not a JSON object");
            }

            var parameters = new List<KeyValuePair<string, object>>();
            foreach (var p in root.EnumerateObject().Where(p => !EngineFields.Contains(p.Name)))
            {
                object value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when p.Value.TryGetInt64(out var n) => n,
                    _ => throw Bad(p.Name, $"{p.Value.ValueKind} is not a world parameter value"),
                };
                parameters.Add(new(p.Name, value));
            }

            var shard = Get(root, "", "shard", JsonValueKind.Object);
            var count = (int)Count(shard, "shard", "count", int.MaxValue);
            if (count < 1)
            {
                throw Bad("shard.count", "must be at least 1");
            }

            var index = (int)Count(shard, "shard", "index", int.MaxValue);
            if (index >= count)
            {
                throw Bad("shard.index", $"{index} is not below the shard count {count}");
            }

            var depth = (int)Count(root, "", "depth", 64);
            var shared = (int)Count(shard, "shard", "shared_through_depth", depth);
            var statusText = Text(root, "", "status");
            var status = statusText switch
            {
                "completed" => ExplorationStatus.Completed,
                "violation" => ExplorationStatus.Violation,
                "state_limit" => ExplorationStatus.StateLimit,
                "memory_limit" => ExplorationStatus.MemoryLimit,
                "interrupted" => ExplorationStatus.Interrupted,
                _ => throw Bad("status", $"'{statusText}' is not completed, violation, state_limit, memory_limit or interrupted"),
            };

            var levelArray = Get(root, "", "snapshots_per_depth", JsonValueKind.Array);
            var levels = new long[levelArray.GetArrayLength()];
            if (levels.Length == 0 || levels.Length > depth + 1)
            {
                throw Bad("snapshots_per_depth", $"{levels.Length} entries for depth {depth}");
            }

            var k = 0;
            foreach (var n in levelArray.EnumerateArray())
            {
                levels[k] = n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var v) && v >= 0
                    ? v : throw Bad($"snapshots_per_depth[{k}]", $"{n.GetRawText()} is not a count");
                k++;
            }

            var distinct = Count(root, "", "distinct_snapshots");
            long total = 0;
            try
            {
                total = checked(levels.Sum());
            }
            catch (OverflowException)
            {
                throw Bad("snapshots_per_depth", "the counts overflow");
            }

            if (total != distinct)
            {
                throw Bad("distinct_snapshots", $"{distinct} is not the sum of snapshots_per_depth ({total})");
            }

            var coverage = new ExplorationCoverage(definition);
            var cov = Get(root, "", "coverage", JsonValueKind.Object);
            foreach (var section in new[] { "handled_pairs", "ignored_pairs" })
            {
                var o = Get(cov, "coverage", section, JsonValueKind.Object);
                foreach (var list in new[] { "reached", "unreached" })
                {
                    foreach (var (s, e, n) in Pairs(o, $"coverage.{section}", list))
                    {
                        coverage.AddPair(s, e, n);
                    }
                }
            }

            var moves = Get(cov, "coverage", "single_moves", JsonValueKind.Object);
            foreach (var list in new[] { "reached", "unreached", "undeclared" })
            {
                foreach (var (f, t, n) in Moves(moves, "coverage.single_moves", list))
                {
                    coverage.AddMove(f, t, n);
                }
            }

            foreach (var (f, t, n) in Moves(cov, "coverage", "step_pairs"))
            {
                coverage.AddStep(f, t, n);
            }

            ExpectedStepPairs? expected = null;
            foreach (var section in cov.EnumerateObject().Where(p => !CoverageSections.Contains(p.Name)))
            {
                var path = $"coverage.{section.Name}";
                var label = Text(section.Value, path, "label");
                var list = section.Value.EnumerateObject().FirstOrDefault(p => p.Name is not "label" and not "unreached");
                if (list.Value.ValueKind != JsonValueKind.Array)
                {
                    throw Bad(path, "has no list of expected step pairs");
                }

                expected = new ExpectedStepPairs(label, section.Name, list.Name, [.. Moves(section.Value, path, list.Name).Select(m => new SingleMove(m.From, m.To))]);
            }

            ViolationRecord? violation = null;
            if (status == ExplorationStatus.Violation)
            {
                var o = Get(root, "", "violation", JsonValueKind.Object);
                var names = new List<string>();
                ulong mask = 0;
                var i = 0;
                foreach (var n in Get(o, "violation", "invariants", JsonValueKind.Array).EnumerateArray())
                {
                    var field = $"violation.invariants[{i++}]";
                    var name = n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Bad(field, "is not a string");
                    var at = definition.Invariants.IndexOf(name);
                    mask |= at >= 0 ? 1UL << at : throw Bad(field, $"'{name}' is not an invariant of {definition.Name}");
                    names.Add(name);
                }

                violation = new ViolationRecord((int)Count(o, "violation", "depth", depth), mask, names, Text(o, "violation", "trace"));
            }
            else if (root.TryGetProperty("violation", out _))
            {
                throw Bad("violation", $"present, but the status is {statusText}");
            }

            var elapsed = Get(root, "", "elapsed_seconds", JsonValueKind.Number).GetDouble();
            return new Shard
            {
                File = file,
                World = string.Join(", ", parameters.Select(p => $"{p.Key} {p.Value}")),
                Parameters = parameters,
                Depth = depth,
                Jobs = (int)Count(root, "", "jobs", int.MaxValue),
                MaxStates = Count(root, "", "max_states"),
                Index = index,
                Count = count,
                SharedThrough = shared,
                Status = status,
                Transitions = Count(root, "", "transitions"),
                Exhausted = Get(root, "", "exhausted", JsonValueKind.True).GetBoolean(),
                Levels = levels,
                Elapsed = elapsed is >= 0 and < 1e9 ? TimeSpan.FromSeconds(elapsed) : throw Bad("elapsed_seconds", $"{elapsed} is out of range"),
                Peak = Count(root, "", "peak_memory_bytes"),
                Coverage = coverage,
                Expected = expected,
                Violation = violation,
            };
        }
    }
}
