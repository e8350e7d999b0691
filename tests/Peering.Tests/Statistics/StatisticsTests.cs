using System.Text.Json;
using Peering.Generation;
using Peering.Machine;
using Peering.TestSupport;

namespace Peering.Tests.Statistics;

/// <summary>Histograms, the cluster-robust comparison, and the generator against the reference corpus.</summary>
public class StatisticsTests
{
    private static readonly PgEffect[] NoEffects = [];

    [Fact]
    public void Histograms_count_events_effects_and_transitions_per_trace()
    {
        var stats = PeeringTools.Statistics.Create();
        PeeringTools.Statistics.Add(stats, 0, PgState.Initial, PgState.GetPeerInfo, new DeleteStart(), [new MarkClean(1), new MarkClean(1), new DeletePg(1)]);
        PeeringTools.Statistics.Add(stats, 1, PgState.GetPeerInfo, PgState.GetPeerInfo, new ActivateCommitted(), NoEffects);
        PeeringTools.Statistics.Add(stats, 0, PgState.Initial, PgState.GetPeerInfo, new ActivateCommitted(), [new ActivatePg(1, 0, 0, default, default, 0)]);

        Assert.Equal(2, stats.Traces);
        Assert.Equal(3, stats.Steps);
        Assert.Equal(new Bin("ActivateCommitted", 2), stats.Events.Bins.Single(b => b.Name == "ActivateCommitted"));
        Assert.Equal(new Bin("DeleteStart", 1), stats.Events.Bins.Single(b => b.Name == "DeleteStart"));
        Assert.Equal(2, stats.Effects.Bins.Single(b => b.Name == "MarkClean").Count);
        Assert.Equal(1, stats.Effects.Bins.Single(b => b.Name == "ActivatePG").Count);
        Assert.Equal(1, stats.Effects.Bins.Single(b => b.Name == "DeletePG").Count);
        Assert.Equal(4, stats.Effects.Total);
        Assert.Equal(2, stats.Transitions.Bins.Single(b => b.Name == "Initial -> GetPeerInfo").Count);
        Assert.Equal(1, stats.Transitions.Bins.Single(b => b.Name == "GetPeerInfo -> GetPeerInfo").Count);
        Assert.Equal([3L, 1L], stats.Effects.PerTrace.Select(t => t.Sum()));

        using var json = JsonDocument.Parse(stats.ToJson());
        Assert.Equal(3, json.RootElement.GetProperty("steps").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("events").GetProperty("ActivateCommitted").GetInt64());
        Assert.False(json.RootElement.GetProperty("events").TryGetProperty("AdvanceMap", out _));
        Assert.Contains("ActivateCommitted", stats.ToTable());
    }

    [Fact]
    public void The_variance_of_a_share_comes_from_the_traces()
    {
        // Two traces, bin 0 counts 1 of 2 and 3 of 4: p = 4/6; Var = 2/1 · ((1 - 2p)² + (3 - 4p)²) / 6² = 1/81.
        var a = new Histogram("event", ["x", "y"], [[1, 1], [3, 1]]);
        var b = new Histogram("event", ["x", "y"], [[2, 2], [2, 2]]);
        var bin = DistributionComparison.Compare(a, b).Bins[0];
        Assert.Equal(4.0 / 6, bin.ShareA, 12);
        Assert.Equal(0.5, bin.ShareB, 12);

        // B's traces both sit exactly at p = 1/2: no variance of its own.
        Assert.Equal(1.0 / 9, bin.StandardError, 12);
        Assert.Equal((4.0 / 6 - 0.5) * 9, bin.Z, 9);
        Assert.Equal(4.0 / 6 - 0.5, DistributionComparison.Compare(a, b).TotalVariation, 12);
    }

    [Theory]
    [InlineData(0.975, 1.959964)]
    [InlineData(0.5, 0)]
    [InlineData(0.001, -3.090232)]
    [InlineData(0.999999, 4.753424)]
    public void The_inverse_normal_matches_tables(double q, double z) => Assert.Equal(z, DistributionComparison.InverseNormal(q), 5);

    [Fact]
    public void The_bonferroni_bound_grows_with_the_number_of_bins() =>
        Assert.True(DistributionComparison.CriticalZ(0.001, 60) > DistributionComparison.CriticalZ(0.001, 1));

    [Fact]
    public void The_generated_sample_has_exactly_the_steps_asked_for() =>
        Assert.Equal(1234, PeeringTools.Statistics.Generated(PeeringEvents.Instance, "lean-core", 1234, PeeringEvents.CorpusEvents).Steps);

    public static TheoryData<string> Profiles => new(["lean-core", "full"]);

    /// <summary>
    /// docs/stats.md: the reference corpus of a profile and as many steps of our generator have the
    /// same event, effect and transition distributions, within the Bonferroni bound for α = 0.001.
    /// </summary>
    [CorpusTheory]
    [MemberData(nameof(Profiles))]
    public void The_generator_matches_the_reference_distributions(string profile)
    {
        var reference = Reference(profile);
        var generated = PeeringTools.Statistics.Generated(PeeringEvents.Instance, profile, reference.Steps, PeeringEvents.CorpusEvents);
        Assert.Equal(150, reference.Traces);
        var comparisons = GeneratedSample.Compare(reference, generated);
        var critical = DistributionComparison.CriticalZ(0.001, comparisons.Sum(c => c.Bins.Count));
        foreach (var c in comparisons)
        {
            var worst = c.Bins.MaxBy(b => Math.Abs(b.Z))!;
            Assert.True(Math.Abs(worst.Z) <= critical, $"{profile} {c.Kind} {worst.Name}: {worst.ShareA:P2} vs {worst.ShareB:P2}, z = {worst.Z:F2} > {critical:F2}");
        }

        // docs/stats.md's summary row says what this run found.
        var row = FormattableString.Invariant(
            $"| {profile} | {reference.Traces} | {reference.Steps:N0} | {comparisons.Sum(c => c.Bins.Count)} | {critical:F2} | {string.Join(" | ", comparisons.Select(c => FormattableString.Invariant($"{c.MaxAbsZ:F2} ({c.TotalVariation:F4})")))} | within tolerance |");
        Assert.Contains(row, File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "stats.md")));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Peering.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>The check has power: lean-core's reference traces against the full generator are far out of tolerance.</summary>
    [CorpusFact]
    public void The_comparison_tells_the_profiles_apart()
    {
        var reference = Reference("lean-core");
        var comparisons = GeneratedSample.Compare(reference, PeeringTools.Statistics.Generated(PeeringEvents.Instance, "full", reference.Steps, PeeringEvents.CorpusEvents));
        var critical = DistributionComparison.CriticalZ(0.001, comparisons.Sum(c => c.Bins.Count));
        Assert.True(comparisons.Max(c => c.MaxAbsZ) > critical * 3);
    }

    private static readonly Dictionary<string, TraceStatistics> Cache = [];

    private static TraceStatistics Reference(string profile)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(profile, out var stats))
            {
                stats = PeeringTools.Statistics.Create();
                foreach (var input in TraceInput.Expand([Path.Combine(ReferenceCorpus.Directory!, profile)]))
                {
                    PeeringTools.Statistics.Add(stats, input);
                }

                Cache[profile] = stats;
            }

            return stats;
        }
    }
}
