namespace Peering.StateMachines.Tools;

/// <summary>Bounds and resources of one exploration.</summary>
public sealed record ExplorationOptions
{
    /// <summary>The longest event sequence explored after an initial configuration (states at this depth are checked, not expanded).</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>The most distinct snapshots kept (the memory bound): one more stops the run with <see cref="ExplorationStatus.StateLimit"/>.</summary>
    public long MaxStates { get; init; } = 20_000_000;

    /// <summary>Worker threads; 1 runs everything on the calling thread.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Frontier snapshots expanded between two merges. Fixed independently of <see cref="Jobs"/>, so
    /// that where a run stops (a violation, the state bound) does not depend on the number of threads.
    /// </summary>
    public int BatchSize { get; init; } = 2048;

    /// <summary>
    /// A safety net under <see cref="MaxStates"/>: the managed heap size (after a full collection) at
    /// which the run stops with <see cref="ExplorationStatus.MemoryLimit"/>. Default: 85% of the memory
    /// the runtime may use.
    /// </summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>
    /// This run's share of the work: shard <see cref="ExplorationShard.Index"/> of
    /// <see cref="ExplorationShard.Count"/> (null: all of it). Every shard explores the first depths
    /// in full, until the frontier to expand holds at least <see cref="ShardSplitMinimum"/> snapshots
    /// per shard; from that frontier it expands only its contiguous block (shard K of N: positions
    /// K*F/N to (K+1)*F/N of the F snapshots, in merge order). The split depth depends only on the model and the bounds, so shards run
    /// apart (another process, another machine) agree on it; the union of the shards' snapshots is the
    /// one-process run's, and each shard's shortest counterexample is the shortest from its part.
    /// </summary>
    public ExplorationShard? Shard { get; init; }

    /// <summary>Frontier snapshots per shard at which a sharded run splits (see <see cref="Shard"/>).</summary>
    public int ShardSplitMinimum { get; init; } = 64;

    /// <summary>Stops the run between two batches with <see cref="ExplorationStatus.Interrupted"/> (a signal).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Called on the exploring thread after each depth is complete.</summary>
    public Action<ExplorationProgress>? Progress { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> for a bad one.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDepth);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Jobs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ShardSplitMinimum, 1);
        if (Shard is { } shard)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(shard.Count, 1, nameof(Shard));
            ArgumentOutOfRangeException.ThrowIfNegative(shard.Index, nameof(Shard));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard.Index, shard.Count, nameof(Shard));
        }
    }
}

/// <summary>Shard <paramref name="Index"/> (from 0) of <paramref name="Count"/>: a deterministic part of an exploration.</summary>
public readonly record struct ExplorationShard(int Index, int Count)
{
    /// <summary>Reads <c>K/N</c> (0 &lt;= K &lt; N); null when <paramref name="text"/> is not that.</summary>
    public static ExplorationShard? Parse(string text)
    {
        var slash = text.IndexOf('/');
        return slash > 0
            && int.TryParse(text.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k)
            && int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 1 && k < n
            ? new ExplorationShard(k, n)
            : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>Where a run is: reported after each depth.</summary>
public readonly record struct ExplorationProgress(int Depth, long NewStates, long DistinctStates, long Transitions, TimeSpan Elapsed);
