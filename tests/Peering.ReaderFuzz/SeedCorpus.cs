using System.IO.Compression;
using System.Text;
using Peering.Generation;

namespace Peering.ReaderFuzz;

/// <summary>
/// The traces mutations start from: a deterministic sample of the reference traces in
/// <c>../shared/conformance</c> (every set), or, when that directory is absent, traces this reducer
/// generates (both profiles). Each trace is its lines without newlines.
/// </summary>
public static class SeedCorpus
{
    private static readonly Lazy<IReadOnlyList<byte[][]>> Loaded = new(Load);

    /// <summary>The seed traces.</summary>
    public static IReadOnlyList<byte[][]> Traces => Loaded.Value;

    /// <summary>Where the seeds came from, for reports.</summary>
    public static string Source { get; private set; } = "";

    private static IReadOnlyList<byte[][]> Load()
    {
        var corpus = FindConformance();
        var traces = new List<byte[][]>();
        if (corpus is not null)
        {
            foreach (var set in new[] { "lean-core", "full", "wide" })
            {
                var files = Directory.EnumerateFiles(Path.Combine(corpus, set), "*.jsonl.gz").Order(StringComparer.Ordinal).ToList();
                for (var i = 0; i < files.Count; i += Math.Max(1, files.Count / 12))
                {
                    using var gz = new GZipStream(File.OpenRead(files[i]), CompressionMode.Decompress);
                    using var text = new MemoryStream();
                    gz.CopyTo(text);
                    traces.Add(SplitLines(text.ToArray()));
                }
            }

            Source = $"{traces.Count} reference traces sampled from {corpus}";
        }
        else
        {
            for (ulong seed = 1; seed <= 24; seed++)
            {
                using var output = new MemoryStream();
                PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, (seed % 2 == 0 ? Profile.Full : Profile.LeanCore).Name(), seed, 40);
                traces.Add(SplitLines(output.ToArray()));
            }

            Source = $"{traces.Count} generated traces (../shared/conformance not found)";
        }

        return traces;
    }

    private static byte[][] SplitLines(byte[] text) =>
        Encoding.UTF8.GetString(text).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Encoding.UTF8.GetBytes).ToArray();

    private static string? FindConformance()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }

        return null;
    }
}
