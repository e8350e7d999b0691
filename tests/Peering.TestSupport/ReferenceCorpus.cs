using Xunit;

namespace Peering.TestSupport;

/// <summary>
/// The reference traces in <c>../shared/conformance</c> (relative to the repository root). When the
/// directory is absent every conformance test is reported as skipped with this reason: never as passed.
/// </summary>
public static class ReferenceCorpus
{
    /// <summary>The skip reason when the corpus is missing.</summary>
    public const string MissingReason = "../shared/conformance not found beside the repository: the reference traces are needed for conformance tests";

    /// <summary>The <c>../shared</c> directory beside the repository, or null when it is absent.</summary>
    public static string? Shared { get; } = FindShared();

    /// <summary>The conformance directory, or null when it is absent.</summary>
    public static string? Directory { get; } = Shared is { } shared && System.IO.Directory.Exists(Path.Combine(shared, "conformance")) ? Path.Combine(shared, "conformance") : null;

    /// <summary>The three sets, as the manifests list them.</summary>
    public static readonly string[] Sets = ["lean-core", "full", "wide"];

    /// <summary>Every trace file of every set, relative to the corpus directory (set/file).</summary>
    public static IEnumerable<string> Traces() =>
        Directory is null
            ? []
            : Sets.SelectMany(set => System.IO.Directory.EnumerateFiles(Path.Combine(Directory, set), "*.jsonl.gz")
                .Select(f => $"{set}/{Path.GetFileName(f)}"))
                .Order(StringComparer.Ordinal);

    /// <summary>The manifest rows: set/file -> (steps, sha256 of the raw trace).</summary>
    public static IReadOnlyDictionary<string, (long Steps, string Sha256)> Manifest() =>
        Directory is null ? new Dictionary<string, (long, string)>() : ReadManifest(Directory);

    private static Dictionary<string, (long, string)> ReadManifest(string root)
    {
        var rows = new Dictionary<string, (long, string)>();
        foreach (var (set, path) in new[] { ("lean-core", "MANIFEST.tsv"), ("full", "MANIFEST.tsv"), ("wide", "wide/MANIFEST.tsv") })
        {
            var lines = File.ReadAllLines(Path.Combine(root, path)).Where(l => !l.StartsWith('#')).ToList();
            var header = lines[0].Split('\t');
            int Col(string name) => Array.IndexOf(header, name);
            foreach (var row in lines.Skip(1).Select(l => l.Split('\t')))
            {
                if (Col("profile") >= 0 && row[Col("profile")] != set)
                {
                    continue;
                }

                rows[$"{set}/seed-{row[Col("seed")]}.jsonl.gz"] = (long.Parse(row[Col("steps")]), row[Col("sha256_raw")]);
            }
        }

        return rows;
    }

    private static string? FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return System.IO.Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}

/// <summary>A theory over the reference corpus, skipped (with the reason) when the corpus is absent.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips when <c>../shared/conformance</c> is missing.</summary>
    public CorpusTheoryAttribute()
    {
        if (ReferenceCorpus.Directory is null)
        {
            Skip = ReferenceCorpus.MissingReason;
        }
    }
}

/// <summary>A fact over the reference corpus, skipped (with the reason) when the corpus is absent.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    /// <summary>Skips when <c>../shared/conformance</c> is missing.</summary>
    public CorpusFactAttribute()
    {
        if (ReferenceCorpus.Directory is null)
        {
            Skip = ReferenceCorpus.MissingReason;
        }
    }
}
