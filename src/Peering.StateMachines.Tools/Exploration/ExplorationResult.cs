namespace Peering.StateMachines.Tools;

/// <summary>How a run ended.</summary>
public enum ExplorationStatus
{
    /// <summary>Every event sequence up to the depth was explored and every invariant held.</summary>
    Completed,

    /// <summary>An invariant failed; <see cref="ExplorationResult{TSnapshot, TEvent}.Violation"/> is a shortest path to it.</summary>
    Violation,

    /// <summary>One more distinct snapshot would have exceeded <see cref="ExplorationOptions.MaxStates"/>.</summary>
    StateLimit,

    /// <summary>The managed heap reached <see cref="ExplorationOptions.MemoryLimitBytes"/> before the state bound.</summary>
    MemoryLimit,

    /// <summary>Stopped by <see cref="ExplorationOptions.Cancellation"/> (a signal) before the bound was explored.</summary>
    Interrupted,
}

/// <summary>What a run found and how much of the machine it exercised.</summary>
public sealed class ExplorationResult<TSnapshot, TEvent>
{
    internal ExplorationResult(
        ExplorationStatus status,
        long distinctStates,
        long transitions,
        IReadOnlyList<long> levelSizes,
        bool exhausted,
        TimeSpan elapsed,
        ExplorationCoverage coverage,
        Counterexample<TSnapshot, TEvent>? violation)
    {
        Status = status;
        DistinctStates = distinctStates;
        Transitions = transitions;
        LevelSizes = levelSizes;
        Exhausted = exhausted;
        Elapsed = elapsed;
        Coverage = coverage;
        Violation = violation;
    }

    /// <summary>How the run ended.</summary>
    public ExplorationStatus Status { get; }

    /// <summary>Distinct snapshots seen (initial configurations included).</summary>
    public long DistinctStates { get; }

    /// <summary>Steps executed (initial set-up steps included), whether or not they led somewhere new.</summary>
    public long Transitions { get; }

    /// <summary>New snapshots found at each depth (index 0: the initial configurations).</summary>
    public IReadOnlyList<long> LevelSizes { get; }

    /// <summary>The deepest depth at which a new snapshot was found.</summary>
    public int DepthReached => LevelSizes.Count - 1 - LevelSizes.Reverse().TakeWhile(n => n == 0).Count();

    /// <summary>True when a depth produced nothing new: every snapshot reachable with the alphabet was seen, whatever the depth bound.</summary>
    public bool Exhausted { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Distinct snapshots per second.</summary>
    public double StatesPerSecond => Elapsed.TotalSeconds > 0 ? DistinctStates / Elapsed.TotalSeconds : 0;

    /// <summary>What was exercised.</summary>
    public ExplorationCoverage Coverage { get; }

    /// <summary>The counterexample when <see cref="Status"/> is <see cref="ExplorationStatus.Violation"/>.</summary>
    public Counterexample<TSnapshot, TEvent>? Violation { get; }

    /// <summary>The shard this run explored (null: the whole bound).</summary>
    public ExplorationShard? Shard { get; init; }

    /// <summary>
    /// For a shard: the depths 0 to this one were explored in full by every shard (their level sizes
    /// are the one-process run's); deeper, only the shard's part. The depth bound when the frontier
    /// never grew large enough to split.
    /// </summary>
    public int? SharedThroughDepth { get; init; }

    /// <summary>
    /// For a merge of shard reports: how many. Then <see cref="DistinctStates"/> and the deeper level sizes
    /// are sums over the shards (a snapshot reached in several shards counts in each), and coverage counts
    /// and <see cref="Transitions"/> are the work of all shards (the shared depths' once per shard).
    /// </summary>
    public int? MergedShards { get; init; }
}

/// <summary>A shortest event sequence to a snapshot that breaks an invariant.</summary>
public sealed class Counterexample<TSnapshot, TEvent>
{
    internal Counterexample(
        int depth, ulong violationMask, IReadOnlyList<string> invariants, TSnapshot snapshot, IReadOnlyList<PathStep<TSnapshot, TEvent>> steps)
    {
        Depth = depth;
        Snapshot = snapshot;
        ViolationMask = violationMask;
        Invariants = invariants;
        Steps = steps;
    }

    /// <summary>Events after the initial configuration (the set-up step, if any, is not counted).</summary>
    public int Depth { get; }

    /// <summary>Bit i set when invariant i fails on the last snapshot.</summary>
    public ulong ViolationMask { get; }

    /// <summary>Names of the failed invariants, in declaration order.</summary>
    public IReadOnlyList<string> Invariants { get; }

    /// <summary>Every step from the model's origin: the set-up step (if any) first, then <see cref="Depth"/> explored steps.</summary>
    public IReadOnlyList<PathStep<TSnapshot, TEvent>> Steps { get; }

    /// <summary>The violating snapshot (the last step's after, or the origin when it is the initial configuration).</summary>
    public TSnapshot Snapshot { get; }
}
