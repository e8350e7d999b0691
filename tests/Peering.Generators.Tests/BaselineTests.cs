using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Peering.Generators.Tests;

/// <summary>
/// Runs the generator over <see cref="TestSources"/> and compares every generated file with the
/// checked-in baseline under <c>Baselines/{case}/</c>, through the testing library (which also compiles
/// the result: no error and no warning is allowed, and no diagnostic is expected).
/// </summary>
/// <remarks>
/// To accept a change of the generated code, run the tests with <c>PEERING_UPDATE_BASELINES=1</c>:
/// each test then rewrites its baseline files in the source tree (found through
/// <see cref="CallerFilePathAttribute"/>) before comparing, and the diff shows up in git.
/// <code>PEERING_UPDATE_BASELINES=1 dotnet test tests/Peering.Generators.Tests</code>
/// </remarks>
public sealed class BaselineTests
{
    [Fact]
    public Task Minimal_matches_its_baselines() => Verify(nameof(TestSources.Minimal), TestSources.Minimal);

    [Fact]
    public Task All_wire_types_match_their_baselines() => Verify(nameof(TestSources.AllWireTypes), TestSources.AllWireTypes);

    [Fact]
    public void Baselines_exist_for_every_case()
    {
        Assert.True(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "Baselines", nameof(TestSources.Minimal))));
        Assert.Equal(
            ["Gadgets.Gadget.Canonical.g.cs", "Gadgets.Gadget.Checks.g.cs", "Gadgets.Gadget.Contract.g.cs", "Gadgets.Gadget.Json.g.cs", "Gadgets.Gadget.Machine.g.cs", "Gadgets.Gadget.Trace.g.cs"],
            Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Baselines", nameof(TestSources.AllWireTypes))).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static async Task Verify(string name, string source)
    {
        if (Environment.GetEnvironmentVariable("PEERING_UPDATE_BASELINES") == "1")
        {
            UpdateBaselines(name, source);
        }

        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.Warnings };
        test.TestState.Sources.Add(source);
        foreach (var (hint, text) in ReadBaselines(name))
        {
            test.TestState.GeneratedSources.Add((typeof(StateMachineGenerator), hint, SourceText.From(text, Encoding.UTF8)));
        }

        await test.RunAsync();
    }

    private static IEnumerable<(string Hint, string Text)> ReadBaselines(string name)
    {
        var directory = Environment.GetEnvironmentVariable("PEERING_UPDATE_BASELINES") == "1"
            ? Path.Combine(SourceDirectory(), "Baselines", name)
            : Path.Combine(AppContext.BaseDirectory, "Baselines", name);
        Assert.True(Directory.Exists(directory), $"No baselines in {directory}; run with PEERING_UPDATE_BASELINES=1 to create them.");
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            yield return (Path.GetFileName(file), File.ReadAllText(file));
        }
    }

    /// <summary>Writes what the generator emits for <paramref name="source"/> into the source tree's baseline folder.</summary>
    private static void UpdateBaselines(string name, string source)
    {
        var compilation = References.Compilation(source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new StateMachineGenerator().AsSourceGenerator()], parseOptions: References.ParseOptions);
        driver = driver.RunGenerators(compilation);
        var directory = Path.Combine(SourceDirectory(), "Baselines", name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        foreach (var generated in driver.GetRunResult().Results.Single().GeneratedSources)
        {
            File.WriteAllText(Path.Combine(directory, generated.HintName), generated.SourceText.ToString(), new UTF8Encoding(false));
        }
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
