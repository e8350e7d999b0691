
namespace Peering.StateMachines.Tools;

/// <summary>
/// One shard of a campaign: shard <see cref="K"/> of <see cref="N"/> (1-based) runs the cycles whose
/// index <c>i</c> has <c>i mod N == K - 1</c>, so any <c>N</c> machines (a CI matrix, Kubernetes indexed
/// jobs) split a campaign without talking to each other, and their summaries merge.
/// </summary>
public readonly record struct Shard(int K, int N)
{
    /// <summary>The whole campaign.</summary>
    public static Shard All => new(1, 1);

    /// <summary>Whether cycle <paramref name="index"/> belongs to this shard.</summary>
    public bool Contains(long index) => index % N == K - 1;

    /// <summary>Parses <c>K/N</c> with <c>1 &lt;= K &lt;= N</c>.</summary>
    public static bool TryParse(string? text, out Shard shard)
    {
        shard = All;
        var slash = text?.IndexOf('/') ?? -1;
        if (slash <= 0
            || !int.TryParse(text.AsSpan(0, slash), System.Globalization.NumberStyles.None, null, out var k)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var n)
            || n < 1 || k < 1 || k > n)
        {
            return false;
        }

        shard = new Shard(k, n);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{K}/{N}";
}

/// <summary>
/// A fuzz campaign: <see cref="Cycles"/> cycles, each a generated trace whose <c>--events</c> bound is
/// drawn from <c>[MinEvents, MaxEvents]</c>, checked on every step.
/// </summary>
public sealed record FuzzSettings
{
    /// <summary>The event source's profile (event mix); null for the source's first.</summary>
    public string? Profile { get; init; }

    /// <summary>Cycles in the whole campaign (before sharding).</summary>
    public long Cycles { get; init; } = 64;

    /// <summary>Smallest per-cycle <c>--events</c> bound.</summary>
    public long MinEvents { get; init; } = 32;

    /// <summary>Largest per-cycle <c>--events</c> bound.</summary>
    public long MaxEvents { get; init; } = 1024;

    /// <summary>The campaign seed; each cycle's seed is derived from it and its index.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Verify every cycle through the JSONL round trip (off with <c>--no-roundtrip</c>).</summary>
    public bool RoundTrip { get; init; } = true;

    /// <summary>Checks (by name) that must be true in every <c>after_checks</c>: a cycle where one is false fails.</summary>
    public IReadOnlyList<string> RequiredChecks { get; init; } = [];

    /// <summary>Stop at the first failing cycle (the lowest failing index: the same whatever the job count).</summary>
    public bool StopOnFirstFailure { get; init; }

    /// <summary>The part of the campaign this run does.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>The cycle at <paramref name="index"/>: its seed and its <c>--events</c> bound.</summary>
    public CycleSpec Cycle(long index)
    {
        var seed = Rng.Derive(Seed, (ulong)index);
        var bound = new Rng(Rng.Derive(seed, 1)).Uniform(MinEvents, MaxEvents);
        return new CycleSpec(index, seed, bound);
    }

    /// <summary>The indices of the cycles this shard runs, ascending.</summary>
    public IEnumerable<long> ShardIndices()
    {
        for (long i = Shard.K - 1; i < Cycles; i += Shard.N)
        {
            yield return i;
        }
    }

    /// <summary>Number of cycles this shard runs.</summary>
    public long ShardCycles => Cycles <= Shard.K - 1 ? 0 : ((Cycles - Shard.K) / Shard.N) + 1;
}

/// <summary>
/// One cycle: <c>TOOL generate --profile P --seed Seed --events EventsBound</c> produces exactly its trace.
/// </summary>
public readonly record struct CycleSpec(long Index, ulong Seed, long EventsBound);
