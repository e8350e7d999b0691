using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Peering.Generators.Tests;

/// <summary>
/// The pipeline is incremental: after an edit unrelated to any machine every tracked step's outputs
/// are Cached or Unchanged (so nothing is re-emitted), and the models hold no compilation objects.
/// </summary>
public sealed class IncrementalityTests
{
    private const string Unrelated = """
        namespace Elsewhere;

        public static class Arithmetic
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new StateMachineGenerator().AsSourceGenerator()],
        parseOptions: References.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(CSharpCompilation compilation, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var driver = Driver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        driver = driver.RunGenerators(edit(compilation));
        return (first, driver.GetRunResult().Results.Single());
    }

    private static CSharpCompilation ReplaceTree(CSharpCompilation compilation, int index, string text)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, References.ParseOptions, old.FilePath));
    }

    public static TheoryData<string> UnrelatedEdits => new() { "add a file", "change a method body", "both", "change the last predicate's body" };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edits_keep_every_step_cached_or_unchanged(string edit)
    {
        var compilation = References.Compilation(TestSources.AllWireTypes, Unrelated);
        var (first, second) = RunTwice(compilation, c => edit switch
        {
            "add a file" => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Added { }", References.ParseOptions, "Added.cs")),
            "change a method body" => ReplaceTree(c, 1, Unrelated.Replace("x * 2", "x + x", StringComparison.Ordinal)),
            "both" => ReplaceTree(c, 1, Unrelated.Replace("x * 2", "x << 1", StringComparison.Ordinal))
                .AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Added { }", References.ParseOptions, "Added.cs")),
            // In the machine's own file, but after every declaration (locations before it do not move).
            _ => ReplaceTree(c, 0, TestSources.AllWireTypes.Replace("s.Cursor == new Point(0, 0)", "s.Cursor.X == 0 && s.Cursor.Y == 0", StringComparison.Ordinal)),
        });

        Assert.Empty(first.Diagnostics);
        Assert.Equal(6, first.GeneratedSources.Length);

        // Every named step ran (otherwise the check below would be vacuous) ...
        var tracked = second.TrackedSteps.Keys.Where(TrackingNames.All.Contains).ToHashSet();
        Assert.Equal(TrackingNames.All.Order(StringComparer.Ordinal), tracked.Order(StringComparer.Ordinal));

        // ... and none produced anything new.
        foreach (var name in TrackingNames.All)
        {
            foreach (var step in second.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {name} output was {reason} after an unrelated edit ({edit})");
                }
            }
        }

        foreach (var (_, steps) in second.TrackedOutputSteps)
        {
            foreach (var step in steps)
            {
                Assert.All(step.Outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
            }
        }

        Assert.Equal(
            first.GeneratedSources.Select(s => s.SourceText.ToString()),
            second.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void A_relevant_edit_is_seen()
    {
        // Renaming an event tag changes the model and the output: the caching test above is not vacuous.
        var compilation = References.Compilation(TestSources.AllWireTypes, Unrelated);
        var (first, second) = RunTwice(compilation, c => ReplaceTree(c, 0, TestSources.AllWireTypes.Replace("[Event(\"go\")]", "[Event(\"start\")]", StringComparison.Ordinal)));
        var reasons = second.TrackedSteps[TrackingNames.MachineModels].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        var json = second.GeneratedSources.Single(s => s.HintName.EndsWith(".Json.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("\"start\"u8", json, StringComparison.Ordinal);
        Assert.NotEqual(first.GeneratedSources.Single(s => s.HintName.EndsWith(".Json.g.cs", StringComparison.Ordinal)).SourceText.ToString(), json);
    }

    [Fact]
    public void A_diagnostic_that_moves_is_reported_where_it_now_is_and_no_source_is_re_emitted()
    {
        // Minimal with a snapshot factory but no constructor taking the snapshot: the machine gets PSM014 (info) and every file but the contract.
        var source = TestSources.Minimal.Replace(
            "public SwitchEffect? Last { get; private set; }",
            "public SwitchEffect? Last { get; private set; }\n\n    [SnapshotFactory]\n    public SwitchSnapshot Snapshot() => new(State);",
            StringComparison.Ordinal);
        var compilation = References.Compilation(source, Unrelated);
        var (first, second) = RunTwice(compilation, c => ReplaceTree(c, 0, "// one line more: every declaration, and the diagnostic, moves down a line\n" + source));

        var before = Assert.Single(first.Diagnostics);
        var after = Assert.Single(second.Diagnostics);
        Assert.Equal("PSM014", before.Id);
        Assert.Equal("PSM014", after.Id);
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 1, after.Location.GetLineSpan().StartLinePosition.Line);

        // The diagnostics' step saw the move; the model's step did not, so the source output did not run again.
        Assert.Contains(IncrementalStepRunReason.Modified, second.TrackedSteps[TrackingNames.MachineDiagnostics].SelectMany(s => s.Outputs).Select(o => o.Reason));
        AssertModelAndSourcesNotReEmitted(second);
        Assert.Equal(5, second.GeneratedSources.Length);
        Assert.Equal(
            first.GeneratedSources.Select(s => s.SourceText.ToString()),
            second.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void Moving_a_decision_into_a_machine_default_leaves_the_model_equal_and_re_emits_nothing()
    {
        // Idle's Ignores(Halt) becomes the machine's default (Running handles Halt itself): the
        // declarations change, the effective table does not.
        var edited = TestSources.AllWireTypes
            .Replace("    [Ignores(typeof(Halt))]\n    public sealed partial class Idle;", "    public sealed partial class Idle;", StringComparison.Ordinal)
            .Replace("public sealed partial class Gadget", "[Ignores(typeof(Halt))]\npublic sealed partial class Gadget", StringComparison.Ordinal);
        Assert.Contains("[Handles(typeof(Go), typeof(Running))]\n    public sealed partial class Idle;", edited, StringComparison.Ordinal);
        Assert.Contains("[Ignores(typeof(Halt))]\npublic sealed partial class Gadget", edited, StringComparison.Ordinal);
        var compilation = References.Compilation(TestSources.AllWireTypes, Unrelated);
        var (first, second) = RunTwice(compilation, c => ReplaceTree(c, 0, edited));

        Assert.Empty(first.Diagnostics);
        Assert.Empty(second.Diagnostics);
        Assert.Contains(IncrementalStepRunReason.Modified, second.TrackedSteps[TrackingNames.MachineDeclarations].SelectMany(s => s.Outputs).Select(o => o.Reason));
        AssertModelAndSourcesNotReEmitted(second);
        Assert.Equal(
            first.GeneratedSources.Select(s => s.SourceText.ToString()),
            second.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    /// <summary>The model's step, and every source output it feeds, produced nothing new.</summary>
    private static void AssertModelAndSourcesNotReEmitted(GeneratorRunResult second)
    {
        Assert.All(
            second.TrackedSteps[TrackingNames.MachineModels].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"the model's step was {o.Reason}"));
        var sourceOutputs = second.TrackedOutputSteps.SelectMany(p => p.Value)
            .Where(step => step.Inputs.Any(i => i.Source.Name == TrackingNames.MachineModels))
            .ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(
            sourceOutputs.SelectMany(step => step.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"the source output was {o.Reason}"));
    }

    private static readonly Type[] Forbidden =
    [
        typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxReference),
        typeof(Location), typeof(SemanticModel), typeof(AttributeData), typeof(object),
    ];

    [Fact]
    public void Models_hold_no_compilation_objects()
    {
        var assembly = typeof(StateMachineGenerator).Assembly;
        var models = assembly.GetTypes().Where(t => t.Namespace == "Peering.Generators.Model" && !t.IsNested && t.Name != "IsExternalInit").ToList();
        Assert.Contains(models, t => t.Name == "MachineModel");
        Assert.Contains(models, t => t.Name == "MachineDecl");
        var visited = new HashSet<Type>();
        foreach (var model in models)
        {
            Walk(model, model.Name);
        }

        // Walking reached the equatable containers' element types too.
        Assert.Contains(visited, t => t.Name == "TypeRef");
        Assert.Contains(visited, t => t.Name == "LocationInfo");

        void Walk(Type type, string path)
        {
            foreach (var forbidden in Forbidden)
            {
                Assert.False(forbidden == type || (forbidden != typeof(object) && forbidden.IsAssignableFrom(type)), $"{path} is a {type.Name}");
            }

            if (type.IsArray)
            {
                Walk(type.GetElementType()!, path + "[]");
                return;
            }

            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    Walk(argument, path + "<" + argument.Name + ">");
                }
            }

            if (type.Assembly != assembly || type.IsEnum || !visited.Add(type))
            {
                return;
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Walk(field.FieldType, path + "." + field.Name);
            }
        }
    }

    [Fact]
    public void Models_compare_by_value()
    {
        var assembly = typeof(StateMachineGenerator).Assembly;
        foreach (var type in assembly.GetTypes().Where(t => t.Namespace == "Peering.Generators.Model" && !t.IsNested && !t.IsAbstract && !t.IsEnum && !t.IsGenericTypeDefinition && t.Name != "IsExternalInit" && !(t.IsSealed && t.IsAbstract)))
        {
            Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{type.Name} is not IEquatable<{type.Name}>");
        }
    }

    [Fact]
    public void Every_tracking_name_is_used_once()
    {
        var constants = typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Equal(constants.Order(StringComparer.Ordinal), TrackingNames.All.Order(StringComparer.Ordinal));
        Assert.Equal(constants.Count, constants.Distinct().Count());
    }
}
