using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Peering.Generators.Tests;

/// <summary>
/// The Roslyn source-generator test harness set up for this repo: C# latest, nullable enabled, and
/// references taken from the running .NET runtime (its trusted platform assemblies) plus
/// Peering.StateMachines, so nothing is downloaded (<see cref="ReferenceAssemblies"/> without a
/// package resolves to no assemblies; <c>ReferenceAssemblies.Net.*</c> would fetch a NuGet package).
/// </summary>
internal sealed class GeneratorTest : CSharpSourceGeneratorTest<StateMachineGenerator, DefaultVerifier>
{
    public GeneratorTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(References.All);
    }

    protected override ParseOptions CreateParseOptions()
        => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

    protected override CompilationOptions CreateCompilationOptions()
        => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}

/// <summary>Metadata references for compiling test sources: the runtime's framework assemblies and Peering.StateMachines.</summary>
internal static class References
{
    public static ImmutableArray<MetadataReference> All { get; } = Create();

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    private static ImmutableArray<MetadataReference> Create()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal))
            .Append(typeof(Peering.StateMachines.StateMachineAttribute).Assembly.Location);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>A compilation of <paramref name="sources"/> (file names Test0.cs, Test1.cs, ...).</summary>
    public static CSharpCompilation Compilation(params string[] sources)
        => CSharpCompilation.Create(
            "Tests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Test{i}.cs")),
            All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>
    /// Runs the generator over <paramref name="sources"/>, compiles the result (no generator diagnostic, no
    /// error, no warning) and loads it into a collectible context named <paramref name="name"/>.
    /// </summary>
    public static System.Reflection.Assembly Load(string name, params string[] sources)
    {
        var driver = CSharpGeneratorDriver.Create([new StateMachineGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning);
        stream.Position = 0;
        return new System.Runtime.Loader.AssemblyLoadContext(name, isCollectible: true).LoadFromStream(stream);
    }
}
