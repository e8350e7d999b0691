using System.Diagnostics;

namespace Peering.StateMachines.Tools;

/// <summary>
/// Bounded exhaustive exploration of a machine built with the toolkit: breadth-first from every
/// initial configuration, every event sequence of the model's alphabet up to a depth, snapshots
/// deduplicated by the 128-bit hash of their canonical encoding, every declared invariant evaluated
/// on every new snapshot. Level-synchronous and deterministic: the frontier is expanded in batches
/// by every worker, and each batch is merged in frontier order, then event order, so the snapshots
/// kept, their numbering, the counts and the counterexample (the first violating snapshot in that
/// order at the first violating depth) do not depend on the number of threads. With more than one
/// worker the next batch expands while this one merges: its lookups in the visited set only filter
/// (the merge decides), and its counts are added only when it is merged.
/// </summary>
public static class Explorer
{
    /// <summary>Explores <paramref name="model"/> within <paramref name="options"/>.</summary>
    public static ExplorationResult<TSnapshot, TEvent> Run<TSnapshot, TEvent>(IExplorationModel<TSnapshot, TEvent> model, ExplorationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ExplorationRun<TSnapshot, TEvent>(model, options).Execute();
    }
}

internal sealed class ExplorationRun<TSnapshot, TEvent>
{
    private readonly IExplorationModel<TSnapshot, TEvent> _model;
    private readonly ExplorationOptions _options;
    private readonly Worker[] _workers;
    private readonly VisitedSet _visited;
    private readonly ChunkedList _parents = new();
    private readonly ChunkedList _events = new();
    private readonly List<long> _levels = [];
    private readonly long _memoryLimit;
    private readonly Stopwatch _clock = new();
    private ExplorationStatus _status = ExplorationStatus.Completed;
    private (int Id, ulong Mask, int Depth)? _violation;
    private int _splitDepth = -1;

    public ExplorationRun(IExplorationModel<TSnapshot, TEvent> model, ExplorationOptions options)
    {
        _model = model;
        _options = options;
        _workers = new Worker[options.Jobs];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(model.Definition);
        }

        _visited = new VisitedSet(Math.Min(options.MaxStates, 1 << 20));
        _memoryLimit = options.MemoryLimitBytes ?? (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.85);
    }

    public ExplorationResult<TSnapshot, TEvent> Execute()
    {
        _clock.Start();
        var frontier = new List<Node>();
        var exhausted = false;
        try
        {
            frontier = Split(Roots(), 0);
            for (var depth = 1; depth <= _options.MaxDepth && _status == ExplorationStatus.Completed; depth++)
            {
                frontier = Split(Level(frontier, depth), depth);
                if (_levels[depth] == 0 && _status == ExplorationStatus.Completed)
                {
                    exhausted = true;
                    break;
                }
            }
        }
        catch (OutOfMemoryException)
        {
            // One allocation (a list or the visited set doubling) went past the heap's limit (a
            // container's, DOTNET_GCHeapHardLimit) before CheckMemory saw it coming: the same stop.
            // The frontiers are let go, which leaves room for the report of what was explored.
            frontier = [];
            _status = ExplorationStatus.MemoryLimit;
            GC.Collect();
        }

        _clock.Stop();
        var coverage = new ExplorationCoverage(_model.Definition);
        long transitions = 0;
        foreach (var w in _workers)
        {
            coverage.Add(w.Coverage);
            transitions += w.Transitions;
        }

        var counterexample = _violation is { } v ? Reconstruct(v.Id, v.Mask, v.Depth) : null;
        return new ExplorationResult<TSnapshot, TEvent>(
            _status, _visited.Count, transitions, _levels.ToArray(), exhausted, _clock.Elapsed, coverage, counterexample)
        {
            Shard = _options.Shard,
            SharedThroughDepth = _options.Shard is null ? null : _splitDepth >= 0 ? _splitDepth : _options.MaxDepth,
        };
    }

    // A sharded run keeps its share of the first frontier that is large enough (ExplorationOptions.Shard).
    private List<Node> Split(List<Node> frontier, int depth)
    {
        if (_options.Shard is not { } shard || _splitDepth >= 0 || frontier.Count < (long)_options.ShardSplitMinimum * shard.Count)
        {
            return frontier;
        }

        // A contiguous block: neighbours in the frontier share ancestors, so their subtrees overlap
        // most; keeping them in one shard duplicates fewer snapshots across shards than dealing them out.
        _splitDepth = depth;
        var from = (int)((long)frontier.Count * shard.Index / shard.Count);
        var to = (int)((long)frontier.Count * (shard.Index + 1) / shard.Count);
        return frontier.GetRange(from, to - from);
    }

    // Depth 0: the origin itself, or the result of each initial event applied to it.
    private List<Node> Roots()
    {
        var next = new List<Node>();
        var worker = _workers[0];
        List<Candidate> found = [];
        if (_model.InitialEvents.Count == 0)
        {
            var origin = _model.Origin;
            found.Add(new Candidate(worker.Hash(_model, origin), origin, -1));
        }
        else
        {
            var events = _model.InitialEvents;
            for (var j = 0; j < events.Count; j++)
            {
                var o = worker.Step(_model, _model.Origin, events[j], 0);
                found.Add(new Candidate(worker.Hash(_model, o.After), o.After, j));
            }
        }

        worker.Commit(0);
        _levels.Add(0);
        Merge(-1, found, _options.MaxDepth > 0 ? next : null, 0);
        Report(0);
        return next;
    }

    // The snapshots of the last depth are checked but never expanded, so they are not kept.
    private List<Node> Level(List<Node> frontier, int depth)
    {
        _levels.Add(0);
        var next = new List<Node>();
        var keep = depth < _options.MaxDepth ? next : null;
        var size = Math.Min(_options.BatchSize, frontier.Count);
        List<Candidate>?[][] batches = [new List<Candidate>?[size], new List<Candidate>?[size]];
        var slot = 0;
        if (frontier.Count > 0)
        {
            Expand(frontier, 0, size, batches[0], 0);
        }

        for (var start = 0; start < frontier.Count && _status == ExplorationStatus.Completed; start += size, slot ^= 1)
        {
            var count = Math.Min(size, frontier.Count - start);
            var (following, ahead, aheadSlot) = (start + size, Math.Max(0, Math.Min(size, frontier.Count - start - size)), slot ^ 1);
            var expanding = ahead > 0 && _workers.Length > 1
                ? Task.Run(() => Expand(frontier, following, ahead, batches[aheadSlot], aheadSlot))
                : null;
            try
            {
                Commit(slot);
                var batch = batches[slot];
                for (var i = 0; i < count && _status == ExplorationStatus.Completed; i++)
                {
                    // The next parent's slots are on their way while this one merges.
                    if (i + 1 < count && batch[i + 1] is { } nextFound)
                    {
                        foreach (var c in nextFound)
                        {
                            _visited.Prefetch(c.Key);
                        }
                    }

                    if (batch[i] is { } found)
                    {
                        Merge(frontier[start + i].Id, found, keep, depth);
                    }

                    // Expanded: let the snapshot go while the next depth grows.
                    batch[i] = null;
                    frontier[start + i] = default;
                }
            }
            catch
            {
                // Never leave workers stepping past the level; the merge's exception is the one raised.
                try
                {
                    expanding?.Wait();
                }
                catch (AggregateException)
                {
                }

                throw;
            }

            if (expanding is not null)
            {
                try
                {
                    expanding.GetAwaiter().GetResult();
                }
                catch (Exception) when (_status != ExplorationStatus.Completed || _options.Cancellation.IsCancellationRequested)
                {
                    // The batch was expanded ahead of a stop: without the overlap it is never stepped, so its failure is not this run's.
                }
            }
            else if (ahead > 0 && _status == ExplorationStatus.Completed)
            {
                Expand(frontier, following, ahead, batches[aheadSlot], aheadSlot);
            }

            CheckMemory(next);
            if (_status == ExplorationStatus.Completed && _options.Cancellation.IsCancellationRequested)
            {
                _status = ExplorationStatus.Interrupted;
            }
        }

        Report(depth);
        return next;
    }

    // Every worker takes frontier entries in turn; results land in the entry's own slot, counts in
    // the batch's (slot 0 or 1: one batch merging, the next expanding).
    private void Expand(List<Node> frontier, int start, int count, List<Candidate>?[] batch, int slot)
    {
        if (_workers.Length == 1)
        {
            for (var i = 0; i < count; i++)
            {
                batch[i] = _workers[0].Expand(_model, _visited, frontier[start + i].Snapshot, slot);
            }

            return;
        }

        var cursor = -1;
        void Work(int w)
        {
            var worker = _workers[w];
            for (int i; (i = Interlocked.Increment(ref cursor)) < count;)
            {
                batch[i] = worker.Expand(_model, _visited, frontier[start + i].Snapshot, slot);
            }
        }

        try
        {
            Parallel.For(0, _workers.Length, new ParallelOptions { MaxDegreeOfParallelism = _workers.Length }, Work);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    // A batch counts (transitions, coverage) when it is merged, so a batch expanded ahead of a stop counts nowhere.
    private void Commit(int slot)
    {
        foreach (var w in _workers)
        {
            w.Commit(slot);
        }
    }

    // Adds the candidates of one parent in event order: the first time a hash is seen wins.
    private void Merge(int parent, List<Candidate> found, List<Node>? next, int depth)
    {
        foreach (var c in found)
        {
            if (_visited.Count >= _options.MaxStates)
            {
                if (_visited.Contains(c.Key))
                {
                    continue;
                }

                _status = ExplorationStatus.StateLimit;
                return;
            }

            if (!_visited.Add(c.Key))
            {
                continue;
            }

            var id = _parents.Count;
            _parents.Add(parent);
            _events.Add(c.Event);
            _levels[depth]++;
            next?.Add(new Node(id, c.After));
            // Checked here, once per new snapshot: a batch's candidates are several times its new
            // snapshots (a later one repeats an earlier one the visited set did not hold yet).
            if (_model.InvariantViolations(c.After) is not 0 and var violations)
            {
                _violation = (id, violations, depth);
                _status = ExplorationStatus.Violation;
                return;
            }
        }
    }

    private void CheckMemory(List<Node> next)
    {
        if (GC.GetTotalMemory(false) < _memoryLimit || GC.GetTotalMemory(true) < _memoryLimit)
        {
            return;
        }

        _status = ExplorationStatus.MemoryLimit;
        next.Clear();
    }

    private void Report(int depth)
    {
        if (_options.Progress is { } progress)
        {
            long transitions = 0;
            foreach (var w in _workers)
            {
                transitions += w.Transitions;
            }

            progress(new ExplorationProgress(depth, _levels[depth], _visited.Count, transitions, _clock.Elapsed));
        }
    }

    // Follows the parent pointers back to a root, then replays the events from the origin.
    private Counterexample<TSnapshot, TEvent> Reconstruct(int id, ulong mask, int depth)
    {
        var path = new Stack<int>();
        var root = id;
        for (var at = id; at >= 0; at = _parents[at])
        {
            path.Push(_events[at]);
            root = at;
        }

        var steps = new List<PathStep<TSnapshot, TEvent>>();
        var worker = new Worker(_model.Definition);
        var snapshot = _model.Origin;
        var initial = path.Pop();
        if (initial >= 0)
        {
            snapshot = Record(steps, worker, snapshot, _model.InitialEvents[initial]);
        }

        var alphabet = new List<TEvent>();
        while (path.Count > 0)
        {
            alphabet.Clear();
            _model.AddEvents(snapshot, alphabet);
            snapshot = Record(steps, worker, snapshot, alphabet[path.Pop()]);
        }

        if (_model.InvariantViolations(snapshot) != mask)
        {
            throw new InvalidOperationException($"replaying the path to snapshot {id} (root {root}) did not reproduce the violation: the model is not deterministic");
        }

        var names = new List<string>();
        for (var i = 0; i < _model.Definition.Invariants.Length; i++)
        {
            if ((mask & (1UL << i)) != 0)
            {
                names.Add(_model.Definition.Invariants[i]);
            }
        }

        return new Counterexample<TSnapshot, TEvent>(depth, mask, names, snapshot, steps);
    }

    private TSnapshot Record(List<PathStep<TSnapshot, TEvent>> steps, Worker worker, TSnapshot before, TEvent e)
    {
        var o = worker.Step(_model, before, e, 0);
        steps.Add(new PathStep<TSnapshot, TEvent>(before, e, o.After, o.From, o.To));
        return o.After;
    }

    private readonly record struct Node(int Id, TSnapshot Snapshot);

    private readonly record struct Candidate(Hash128 Key, TSnapshot After, int Event);

    // One thread's scratch space and counts.
    private sealed class Worker(MachineDefinition definition)
    {
        private readonly CanonicalWriter _writer = new(1024);
        private readonly List<TEvent> _alphabet = [];
        private readonly ExplorationCoverage[] _batchCoverage = [new(definition), new(definition)];
        private readonly long[] _batchTransitions = new long[2];

        public ExplorationCoverage Coverage { get; } = new(definition);

        public long Transitions { get; private set; }

        // Adds the counts of the batch in slot (expanded by Expand(..., slot)) to the totals.
        public void Commit(int slot)
        {
            Coverage.Add(_batchCoverage[slot]);
            Transitions += _batchTransitions[slot];
            _batchCoverage[slot] = new(definition);
            _batchTransitions[slot] = 0;
        }

        public Hash128 Hash(IExplorationModel<TSnapshot, TEvent> model, TSnapshot snapshot)
        {
            _writer.Reset();
            model.WriteCanonical(_writer, snapshot);
            return Hash128.Of(_writer.Written);
        }

        // One step, counted in the batch of slot until Commit(slot).
        public StepOutcome<TSnapshot> Step(IExplorationModel<TSnapshot, TEvent> model, TSnapshot before, TEvent e, int slot)
        {
            var o = model.Step(before, e);
            _batchTransitions[slot]++;
            _batchCoverage[slot].Record(o.From, model.EventIndex(e), o.To, o.Moves);
            return o;
        }

        // Steps every event of the alphabet; keeps the results not found in the visited set.
        public List<Candidate>? Expand(IExplorationModel<TSnapshot, TEvent> model, VisitedSet visited, TSnapshot snapshot, int slot)
        {
            _alphabet.Clear();
            model.AddEvents(snapshot, _alphabet);
            // Each result is looked up one step after its slot was prefetched: the step hides the wait for memory.
            List<Candidate>? found = null;
            Candidate? pending = null;
            for (var j = 0; j < _alphabet.Count; j++)
            {
                var o = Step(model, snapshot, _alphabet[j], slot);
                if (ReferenceEquals(o.After, snapshot))
                {
                    continue;
                }

                var key = Hash(model, o.After);
                visited.Prefetch(key);
                Keep(ref found, visited, pending);
                pending = new Candidate(key, o.After, j);
            }

            Keep(ref found, visited, pending);
            return found;
        }

        private static void Keep(ref List<Candidate>? found, VisitedSet visited, Candidate? c)
        {
            if (c is { } candidate && !visited.Contains(candidate.Key))
            {
                (found ??= []).Add(candidate);
            }
        }
    }

    // A growable int list in 1M-entry chunks: no large copies as it grows.
    private sealed class ChunkedList
    {
        private const int Shift = 20;
        private readonly List<int[]> _chunks = [];

        public int Count { get; private set; }

        public int this[int index] => _chunks[index >> Shift][index & ((1 << Shift) - 1)];

        public void Add(int value)
        {
            if ((Count >> Shift) == _chunks.Count)
            {
                _chunks.Add(new int[1 << Shift]);
            }

            _chunks[Count >> Shift][Count & ((1 << Shift) - 1)] = value;
            Count++;
        }
    }
}
