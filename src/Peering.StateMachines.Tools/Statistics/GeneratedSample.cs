using System.Globalization;

namespace Peering.StateMachines.Tools;

/// <summary>Two samples of trace statistics side by side (<c>stats --versus-generated</c>).</summary>
public static class GeneratedSample
{
    /// <summary>
    /// A Markdown report: per histogram, the bins side by side with shares and z, then whether
    /// every |z| is within the Bonferroni bound for <paramref name="alpha"/>.
    /// </summary>
    public static string Report(string nameA, TraceStatistics a, string nameB, TraceStatistics b, double alpha = 0.001)
    {
        var comparisons = Compare(a, b);
        var bins = comparisons.Sum(c => c.Bins.Count);
        var critical = DistributionComparison.CriticalZ(alpha, bins);
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{nameA}: {a.Traces} traces, {a.Steps:N0} steps; {nameB}: {b.Traces} traces, {b.Steps:N0} steps.");
        foreach (var c in comparisons)
        {
            w.WriteLine();
            w.WriteLine($"| {c.Kind} | {nameA} | share | {nameB} | share | z |");
            w.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var bin in c.Bins.OrderByDescending(x => x.CountA + x.CountB).ThenBy(x => x.Name, StringComparer.Ordinal))
            {
                w.WriteLine($"| {bin.Name} | {bin.CountA:N0} | {100 * bin.ShareA:F2}% | {bin.CountB:N0} | {100 * bin.ShareB:F2}% | {bin.Z:F2} |");
            }

            w.WriteLine();
            w.WriteLine($"{c.Kind}s: {c.TotalA:N0} vs {c.TotalB:N0}; total variation distance {c.TotalVariation:F4}; max |z| {c.MaxAbsZ:F2}.");
        }

        var worst = comparisons.Max(c => c.MaxAbsZ);
        w.WriteLine();
        w.WriteLine($"{bins} bins compared; Bonferroni bound for alpha = {alpha}: |z| <= {critical:F2}; max |z| = {worst:F2}: {(worst <= critical ? "within tolerance" : "OUT OF TOLERANCE")}.");
        return w.ToString();
    }

    /// <summary>The event, effect and transition comparisons of two samples.</summary>
    public static IReadOnlyList<HistogramComparison> Compare(TraceStatistics a, TraceStatistics b) =>
    [
        DistributionComparison.Compare(a.Events, b.Events),
        DistributionComparison.Compare(a.Effects, b.Effects),
        DistributionComparison.Compare(a.Transitions, b.Transitions),
    ];
}
