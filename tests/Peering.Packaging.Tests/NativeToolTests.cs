using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Peering.Packaging.Tests;

public sealed partial class PackagingTests
{
    /// <summary>
    /// The native tool as `dotnet tool install` gives it on linux-x64 (Peering.Cli.linux-x64, compiled with
    /// Native AOT) replays the whole reference corpus and rewrites a reference trace of each profile from
    /// its events byte for byte: the compiled code is the same reducer.
    /// </summary>
    [NativeToolFact]
    public void The_native_tool_replays_the_reference_corpus_and_rewrites_it_byte_for_byte()
    {
        var peering = InstallTool("native-tools");
        var conformance = NativeToolFactAttribute.Conformance!;

        var replay = Dotnet.RunProcess(peering, packed.Root, packed.NuGetPackages, TimeSpan.FromMinutes(5), "replay", conformance);
        Assert.True(replay.ExitCode == 0, replay.Describe());
        var traces = Directory.GetFiles(conformance, "*.jsonl.gz", SearchOption.AllDirectories);
        Assert.Contains($"replay ok: {traces.Length} files", replay.Output);

        foreach (var trace in Directory.GetDirectories(conformance).Order(StringComparer.Ordinal).Select(d => Directory.GetFiles(d, "*.jsonl.gz").Order(StringComparer.Ordinal).First()))
        {
            var rewritten = Path.Combine(packed.Root, "rewritten-" + Path.GetFileNameWithoutExtension(trace));
            var run = Dotnet.RunProcess(peering, packed.Root, packed.NuGetPackages, TimeSpan.FromMinutes(2), "replay", trace, "--rewrite", rewritten);
            Assert.True(run.ExitCode == 0, run.Describe());
            using var gzip = new GZipStream(File.OpenRead(trace), CompressionMode.Decompress);
            using var expected = new MemoryStream();
            gzip.CopyTo(expected);
            Assert.True(expected.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(rewritten)), $"{trace}: the native tool's rewrite differs from the reference trace");
        }
    }
}

/// <summary>Skips, with the reason, off linux-x64 (the one native package) or without the reference corpus.</summary>
public sealed class NativeToolFactAttribute : FactAttribute
{
    public NativeToolFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Skip = "the native tool package is built for linux-x64 only";
        }
        else if (Conformance is null)
        {
            Skip = "../shared/conformance not found beside the repository: the reference traces are needed";
        }
    }

    /// <summary>The reference corpus beside the repository, or null.</summary>
    public static string? Conformance { get; } =
        Path.GetFullPath(Path.Combine(PackedPackages.FindRepoRoot(), "..", "shared", "conformance")) is var d && Directory.Exists(d) ? d : null;
}
