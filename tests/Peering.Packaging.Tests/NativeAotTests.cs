using System.IO.Compression;

namespace Peering.Packaging.Tests;

/// <summary>
/// The `peering` tool compiled with Native AOT (`-p:PeeringAot=true`, docs/benchmarks.md): it publishes
/// with no warning, and the native binary replays the reference corpus and rewrites reference traces
/// byte for byte. Published from a copy of the sources, so that the repository's own outputs are
/// never rebuilt under the other tests; slow (a few minutes on two cores).
/// </summary>
public sealed class NativeAotTests
{
    [NativeAotFact]
    public void The_native_tool_publishes_clean_and_rewrites_reference_traces_byte_for_byte()
    {
        var repo = PackedPackages.FindRepoRoot();
        var root = Directory.CreateTempSubdirectory("peering-aot-").FullName;
        try
        {
            var copy = Path.Combine(root, "repo");
            foreach (var entry in new[] { "src", "generators", "analyzers" })
            {
                CopySources(Path.Combine(repo, entry), Path.Combine(copy, entry));
            }

            File.Copy(Path.Combine(repo, "Directory.Build.props"), Path.Combine(copy, "Directory.Build.props"));
            File.Copy(Path.Combine(repo, "README.md"), Path.Combine(copy, "README.md"));
            var output = Path.Combine(root, "bin");
            var publish = Dotnet.Run(copy, NativeAotFactAttribute.NuGetPackages, TimeSpan.FromMinutes(15),
                "publish", "src/Peering.Cli", "-c", "Release", "-r", "linux-x64", "-p:PeeringAot=true", "-o", output,
                "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");
            Assert.True(publish.ExitCode == 0, publish.Describe());
            Assert.DoesNotContain(": warning ", publish.Output);
            var peering = Path.Combine(output, "peering");
            Assert.True(File.Exists(peering), "no native binary: " + publish.Describe());

            var conformance = NativeAotFactAttribute.Conformance!;
            var replay = Dotnet.RunProcess(peering, root, NativeAotFactAttribute.NuGetPackages, TimeSpan.FromMinutes(5), "replay", conformance);
            Assert.True(replay.ExitCode == 0, replay.Describe());
            var traces = Directory.GetFiles(conformance, "*.jsonl.gz", SearchOption.AllDirectories);
            Assert.Contains($"replay ok: {traces.Length} files", replay.Output);

            // The first trace of each profile, rewritten from its events: the reference's bytes.
            foreach (var trace in Directory.GetDirectories(conformance).Order(StringComparer.Ordinal).Select(d => Directory.GetFiles(d, "*.jsonl.gz").Order(StringComparer.Ordinal).First()))
            {
                var rewritten = Path.Combine(root, Path.GetFileNameWithoutExtension(trace));
                var run = Dotnet.RunProcess(peering, root, NativeAotFactAttribute.NuGetPackages, TimeSpan.FromMinutes(2), "replay", trace, "--rewrite", rewritten);
                Assert.True(run.ExitCode == 0, run.Describe());
                using var gzip = new GZipStream(File.OpenRead(trace), CompressionMode.Decompress);
                using var expected = new MemoryStream();
                gzip.CopyTo(expected);
                Assert.True(expected.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(rewritten)), $"{trace}: the native tool's rewrite differs from the reference trace");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            CopySources(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}

/// <summary>Skips, with the reason, where Native AOT cannot link here (not Linux x64, no clang) or the reference corpus is missing.</summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Skip = "Native AOT is published here for linux-x64 only";
        }
        else if (!OnPath("clang-14") && !OnPath("clang"))
        {
            Skip = "Native AOT links with clang, and neither clang nor clang-14 is on PATH (apt-get install clang)";
        }
        else if (Conformance is null)
        {
            Skip = "../shared/conformance not found beside the repository: the reference traces are needed";
        }
    }

    /// <summary>The reference corpus beside the repository, or null.</summary>
    public static string? Conformance { get; } = Path.GetFullPath(Path.Combine(PackedPackages.FindRepoRoot(), "..", "shared", "conformance")) is var d && Directory.Exists(d) ? d : null;

    /// <summary>The user's NuGet packages folder: the solution's restore has the ILCompiler packages there (or fetches them once).</summary>
    public static string NuGetPackages { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
        ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, name)));
}
