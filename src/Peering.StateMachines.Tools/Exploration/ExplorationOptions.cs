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

    /// <summary>Called on the exploring thread after each depth is complete.</summary>
    public Action<ExplorationProgress>? Progress { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> for a bad one.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDepth);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Jobs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
    }
}

/// <summary>Where a run is: reported after each depth.</summary>
public readonly record struct ExplorationProgress(int Depth, long NewStates, long DistinctStates, long Transitions, TimeSpan Elapsed);
