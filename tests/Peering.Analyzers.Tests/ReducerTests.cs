using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Peering.Generators;

namespace Peering.Analyzers.Tests;

/// <summary>
/// The generator and the analyzer over the peering reducer's machine (src/Peering: Machine, Model, Checks): it builds
/// with no analyzer diagnostic, and edits that make a declaration or a decision disagree with the
/// moves the code makes are caught.
/// </summary>
public class ReducerTests
{
    internal static readonly string Root = FindRoot();

    /// <summary>The reducer project's implicit usings, and its alias usings read from src/Peering/build/Peering.Reducer.props.</summary>
    private static string GlobalUsings()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "src", "Peering", "build", "Peering.Reducer.props"));
        var aliases = props.Descendants("Using").Select(u => $"global using {u.Attribute("Alias")!.Value} = {u.Attribute("Include")!.Value};");
        string[] implicitUsings = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks"];
        return string.Join('\n', implicitUsings.Select(n => $"global using {n};").Concat(aliases));
    }

    [Fact]
    public async Task The_reducer_has_no_diagnostics()
    {
        var diagnostics = await Analyze(_ => { });
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Deleting_the_targets_of_handles_peer_query_timeout_fails()
    {
        var diagnostics = await Analyze(files => Edit(files, "Machine/PeeringMachine.States.cs",
            "[Handles(typeof(PeerQueryTimeout), typeof(Down), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]",
            "[Handles(typeof(PeerQueryTimeout))]"));

        // Every first move ChooseActing and ActivateIfPossible make from GetPeerInfo on that event.
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal("PSM101", d.Id));
        Assert.All(diagnostics, d => Assert.Contains("permitted from 'GetPeerInfo' on 'PeerQueryTimeout': {}", d.GetMessage(), StringComparison.Ordinal));
        var targets = diagnostics.Select(d => d.GetMessage().Split('\'')[3]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["Active", "Down", "Incomplete", "WaitUpThru"], targets);
    }

    [Fact]
    public async Task Narrowing_the_default_initialize_fails_from_every_state_that_inherits_it()
    {
        // Without Stray, OnInitialize's move to Stray (a non-primary) is not permitted from the states
        // that inherit the machine's Initialize, but from Stray itself (a move to the current state is
        // no move); GetPeerInfo declares its own Initialize, which keeps Stray.
        var diagnostics = await Analyze(files => Edit(files, "Machine/PeeringMachine.States.cs",
            "\n[Handles(typeof(Initialize), typeof(GetPeerInfo), typeof(Stray))]",
            "\n[Handles(typeof(Initialize), typeof(GetPeerInfo))]"));

        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal("PSM101", d.Id));
        Assert.All(diagnostics, d => Assert.Contains("' to 'Stray' is not permitted; permitted from '", d.GetMessage(), StringComparison.Ordinal));
        Assert.All(diagnostics, d => Assert.EndsWith("' on 'Initialize' (the machine's default): {GetPeerInfo}", d.GetMessage(), StringComparison.Ordinal));
        var sources = diagnostics.Select(d => d.GetMessage().Split('\'')[1]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["Active", "Clean", "Deleting", "Down", "Incomplete", "Initial", "Recovering", "ReplicaActive", "Reset", "WaitUpThru"], sources);
    }

    [Fact]
    public async Task A_decision_that_disagrees_with_the_moves_fails()
    {
        // Retry also from Stray: ChooseActing would run there, outside its RunsFrom.
        var diagnostics = await Analyze(files => Edit(files, "Machine/Handlers/OnAdvanceMap.cs",
            "(State is PgState.GetPeerInfo or PgState.WaitUpThru)",
            "(State is PgState.GetPeerInfo or PgState.WaitUpThru or PgState.Stray)"));

        var d = Assert.Single(diagnostics);
        Assert.Equal("PSM103", d.Id);
        Assert.Equal("Procedure 'ChooseActing' is called while the machine may be in {Stray}, outside its RunsFrom {GetPeerInfo, WaitUpThru, Down, Incomplete}", d.GetMessage());
    }

    private static void Edit(Dictionary<string, string> files, string path, string original, string replacement)
    {
        Assert.Contains(original, files[path], StringComparison.Ordinal);
        files[path] = files[path].Replace(original, replacement, StringComparison.Ordinal);
    }

    /// <summary>Generator, then analyzer, over the (edited) sources; compiler errors fail the test.</summary>
    private static async Task<ImmutableArray<Diagnostic>> Analyze(Action<Dictionary<string, string>> edit)
    {
        // The machine and what it depends on (the model) and declares with it (its invariants and checks).
        var source = Path.Combine(Root, "src", "Peering");
        var files = new[] { "Machine", "Model", "Checks" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(source, d), "*.cs", SearchOption.AllDirectories))
            .ToDictionary(f => Path.GetRelativePath(source, f).Replace('\\', '/'), File.ReadAllText);
        edit(files);

        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Value, options, path: f.Key))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings(), options, path: "GlobalUsings.g.cs"));
        var compilation = CSharpCompilation.Create(
            "Peering.Reducer",
            trees,
            Verify.Metadata,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new StateMachineGenerator().AsSourceGenerator()], parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return await output.WithAnalyzers([new TransitionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Peering.sln not found above " + AppContext.BaseDirectory);
    }
}
