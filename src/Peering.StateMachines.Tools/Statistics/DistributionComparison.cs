namespace Peering.StateMachines.Tools;

/// <summary>One bin of two histograms side by side: counts, shares, and the standardized difference.</summary>
/// <param name="StandardError">The standard error of <c>ShareA - ShareB</c>, from the per-trace counts.</param>
/// <param name="Z">(ShareA - ShareB) / StandardError; 0 when both shares are equal.</param>
public sealed record BinComparison(string Name, long CountA, long CountB, double ShareA, double ShareB, double StandardError, double Z);

/// <summary>Two histograms of one kind compared bin by bin.</summary>
/// <param name="TotalVariation">Half the sum of the absolute share differences (0: identical, 1: disjoint).</param>
public sealed record HistogramComparison(string Kind, long TotalA, long TotalB, IReadOnlyList<BinComparison> Bins, double TotalVariation)
{
    /// <summary>The largest |z| over the bins.</summary>
    public double MaxAbsZ => Bins.Count == 0 ? 0 : Bins.Max(b => Math.Abs(b.Z));
}

/// <summary>
/// Whether two sets of traces have the same distributions of event types, effect types and
/// transitions, allowing for sampling noise.
/// </summary>
/// <remarks>
/// <para>The share of a bin is a ratio estimator <c>p = Σ x_t / Σ n_t</c> over traces <c>t</c>. Steps within
/// a trace are strongly dependent (a Markov chain: the state decides the event mix), so a binomial
/// standard error <c>sqrt(p(1-p)/n)</c> would be too small. Traces, on the other hand, are independent
/// (independent seeds), so the variance is estimated from them, as a cluster-robust (linearization)
/// estimator: <c>Var(p) ≈ T/(T-1) · Σ (x_t - p·n_t)² / (Σ n_t)²</c>. The two samples are independent,
/// so the difference has variance <c>Var(pA) + Var(pB)</c>, and <c>z</c> is approximately standard
/// normal when both sides come from the same process.</para>
/// <para>The tolerance is a Bonferroni bound: with <c>m</c> bins compared, every <c>|z|</c> must stay
/// below <see cref="CriticalZ"/><c>(α, m)</c>, so a correct generator fails the check with probability
/// at most α in total.</para>
/// </remarks>
public static class DistributionComparison
{
    /// <summary>Compares <paramref name="a"/> and <paramref name="b"/> bin by bin (bins empty on both sides are left out).</summary>
    public static HistogramComparison Compare(Histogram a, Histogram b)
    {
        var totalA = a.Total;
        var totalB = b.Total;
        var bins = new List<BinComparison>();
        for (var i = 0; i < a.Names.Count; i++)
        {
            var countA = a.PerTrace.Sum(t => t[i]);
            var countB = b.PerTrace.Sum(t => t[i]);
            if (countA == 0 && countB == 0)
            {
                continue;
            }

            var (shareA, varA) = Share(a.PerTrace, i);
            var (shareB, varB) = Share(b.PerTrace, i);
            var se = Math.Sqrt(varA + varB);
            var diff = shareA - shareB;
            var z = diff == 0 ? 0 : se == 0 ? double.PositiveInfinity * Math.Sign(diff) : diff / se;
            bins.Add(new BinComparison(a.Names[i], countA, countB, shareA, shareB, se, z));
        }

        return new HistogramComparison(a.Kind, totalA, totalB, bins, bins.Sum(x => Math.Abs(x.ShareA - x.ShareB)) / 2);
    }

    /// <summary>
    /// The two-sided Bonferroni critical value: <c>Φ⁻¹(1 - α / (2m))</c>. For α = 0.001 and m = 60 bins it is about 4.5.
    /// </summary>
    public static double CriticalZ(double alpha, int bins) => InverseNormal(1 - (alpha / (2.0 * Math.Max(bins, 1))));

    // The ratio estimate of bin i's share and its cluster-robust variance.
    private static (double Share, double Variance) Share(IReadOnlyList<long[]> perTrace, int i)
    {
        double x = 0, n = 0;
        foreach (var t in perTrace)
        {
            x += t[i];
            n += t.Sum();
        }

        if (n == 0)
        {
            return (0, 0);
        }

        var p = x / n;
        var count = perTrace.Count;
        if (count < 2)
        {
            return (p, 0);
        }

        double sum = 0;
        foreach (var t in perTrace)
        {
            var r = t[i] - (p * t.Sum());
            sum += r * r;
        }

        return (p, count / (count - 1.0) * sum / (n * n));
    }

    /// <summary>Φ⁻¹(q), Acklam's rational approximation (relative error below 1.2e-9).</summary>
    public static double InverseNormal(double q)
    {
        if (q <= 0 || q >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(q), "a probability strictly between 0 and 1");
        }

        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (q < low)
        {
            var s = Math.Sqrt(-2 * Math.Log(q));
            return (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]) / ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1);
        }

        if (q > 1 - low)
        {
            return -InverseNormal(1 - q);
        }

        var u = q - 0.5;
        var r = u * u;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
