using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Peering.Generators.Tests;

/// <summary>
/// Decisions declared on the machine class are defaults: the generated machine is the one whose
/// states spell out every inherited row, and a state's own decision replaces the default whole.
/// The expected machine is written by hand from that rule (docs/toolkit.md §1).
/// </summary>
public sealed class DefaultDecisionTests
{
    private const string Prelude = """
        using Peering.StateMachines;

        namespace Defaults;

        public abstract record E;
        [Event] public sealed record A : E;
        [Event] public sealed record B : E;
        [Event] public sealed record C : E;

        public abstract record F;
        public sealed record N(MState State);

        """;

    private const string Members = """

            [Transition] private void Go(MState to) => State = to;

            [Handler] private void On(A e) { }

            [Handler] private void On(B e) { }

            [Handler] private void On(C e) { }
        }
        """;

    /// <summary>
    /// Defaults A -> S3, B ignored, C -> S1. S1 inherits A and B and ignores C; S2 handles all three
    /// itself (A with other targets than the default's, B instead of ignoring it) but inherits C;
    /// S3 handles A itself and inherits B and C.
    /// </summary>
    private const string WithDefaults = Prelude + """
        [StateMachine(typeof(E), typeof(F), typeof(N))]
        [Handles(typeof(A), typeof(S3)), Ignores(typeof(B)), Handles(typeof(C), typeof(S1))]
        public sealed partial class M
        {
            [State, Ignores(typeof(C))] public sealed partial class S1;
            [State, Handles(typeof(A), typeof(S1)), Handles(typeof(B), typeof(S1))] public sealed partial class S2;
            [State, Handles(typeof(A), typeof(S1))] public sealed partial class S3;
        """ + Members;

    /// <summary>The same machine with every decision written on its state.</summary>
    private const string Spelled = Prelude + """
        [StateMachine(typeof(E), typeof(F), typeof(N))]
        public sealed partial class M
        {
            [State, Handles(typeof(A), typeof(S3)), Ignores(typeof(B)), Ignores(typeof(C))] public sealed partial class S1;
            [State, Handles(typeof(A), typeof(S1)), Handles(typeof(B), typeof(S1)), Handles(typeof(C), typeof(S1))] public sealed partial class S2;
            [State, Handles(typeof(A), typeof(S1)), Ignores(typeof(B)), Handles(typeof(C), typeof(S1))] public sealed partial class S3;
        """ + Members;

    private static (IReadOnlyList<(string Hint, string Text)> Sources, IReadOnlyList<Diagnostic> Diagnostics) Generate(string source)
    {
        var driver = CSharpGeneratorDriver.Create([new StateMachineGenerator().AsSourceGenerator()], parseOptions: References.ParseOptions)
            .RunGenerators(References.Compilation(source));
        var result = driver.GetRunResult().Results.Single();
        return (result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToList(), result.Diagnostics);
    }

    [Fact]
    public void A_machine_with_defaults_generates_what_its_spelled_out_table_generates()
    {
        var (expected, expectedDiagnostics) = Generate(Spelled);
        var (actual, diagnostics) = Generate(WithDefaults);
        Assert.Empty(expectedDiagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(expected.Select(s => s.Hint), actual.Select(s => s.Hint));
        Assert.NotEmpty(actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void An_override_keeps_only_its_own_targets()
    {
        var machine = Generate(WithDefaults).Sources.Single(s => s.Hint.EndsWith(".Machine.g.cs", StringComparison.Ordinal)).Text;

        // S2's own Handles(A, S1) is not merged with the default's S3; S1 inherits the default.
        Assert.Contains("S2 handles A -> S1\n", machine.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("S2 handles A -> S1, S3", machine, StringComparison.Ordinal);
        Assert.Contains("S1 handles A -> S3", machine, StringComparison.Ordinal);

        // S1's own Ignores(C) removes the default C -> S1 from S1; S2 and S3 inherit it.
        Assert.DoesNotContain("S1 handles C", machine, StringComparison.Ordinal);
        Assert.Contains("S2 handles C -> S1", machine, StringComparison.Ordinal);
        Assert.Contains("S3 handles C -> S1", machine, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_every_state_overrides_is_a_warning_and_changes_nothing()
    {
        // Every state of Spelled decides B itself: an added default Ignores(B) is never inherited.
        var source = Spelled.Replace("public sealed partial class M", "[Ignores(typeof(B))]\npublic sealed partial class M", StringComparison.Ordinal);
        var (sources, diagnostics) = Generate(source);
        var warning = Assert.Single(diagnostics);
        Assert.Equal("PSM015", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(Generate(Spelled).Sources, sources);
    }
}
