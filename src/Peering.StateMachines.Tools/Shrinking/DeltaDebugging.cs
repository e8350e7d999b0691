namespace Peering.StateMachines.Tools;

/// <summary>
/// Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", 2002): reduces
/// a failing sequence to a 1-minimal one (removing any single element makes it pass) by testing
/// subsets and complements of ever finer partitions.
/// </summary>
public static class DeltaDebugging
{
    /// <summary>
    /// The reduced sequence. <paramref name="fails"/> says whether a candidate still fails the same
    /// way; it may return a shorter sequence than it was given (the prefix up to the failure), which
    /// then replaces the candidate.
    /// </summary>
    public static IReadOnlyList<T> Minimize<T>(IReadOnlyList<T> input, Func<IReadOnlyList<T>, IReadOnlyList<T>?> fails)
    {
        var current = input;
        var n = 2;
        while (current.Count >= 2)
        {
            var chunks = Partition(current.Count, n);
            var reduced = false;

            // Subsets first (a large cut), then complements (one chunk removed).
            foreach (var (start, length) in chunks)
            {
                if (fails(Slice(current, start, length)) is { } kept)
                {
                    current = kept;
                    n = 2;
                    reduced = true;
                    break;
                }
            }

            // With two chunks the complements are the subsets, already tried.
            if (!reduced && n > 2)
            {
                foreach (var (start, length) in chunks)
                {
                    if (fails(Without(current, start, length)) is { } kept)
                    {
                        current = kept;
                        n = Math.Max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                }
            }

            if (!reduced)
            {
                if (n >= current.Count)
                {
                    break;
                }

                n = Math.Min(n * 2, current.Count);
            }
        }

        return current;
    }

    private static List<(int Start, int Length)> Partition(int count, int n)
    {
        var chunks = new List<(int, int)>(n);
        var start = 0;
        for (var i = 0; i < n; i++)
        {
            var end = (int)((long)count * (i + 1) / n);
            if (end > start)
            {
                chunks.Add((start, end - start));
            }

            start = end;
        }

        return chunks;
    }

    private static T[] Slice<T>(IReadOnlyList<T> list, int start, int length)
    {
        var result = new T[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = list[start + i];
        }

        return result;
    }

    private static T[] Without<T>(IReadOnlyList<T> list, int start, int length)
    {
        var result = new T[list.Count - length];
        var j = 0;
        for (var i = 0; i < list.Count; i++)
        {
            if (i < start || i >= start + length)
            {
                result[j++] = list[i];
            }
        }

        return result;
    }
}
