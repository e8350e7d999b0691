using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Peering.Generators.Diagnostics;

namespace Peering.Generators.Tests;

/// <summary>
/// One test (or more) per generator diagnostic: a small valid machine, broken in one place, reports
/// exactly the expected diagnostic at the expected span with the expected message arguments. The
/// valid machine itself (and the baseline machines) report none.
/// </summary>
public sealed class DiagnosticTests
{
    /// <summary>A valid machine; each test replaces one piece of it.</summary>
    private const string Template = """
        using Peering.StateMachines;

        namespace Tests;

        public abstract record E;
        [Event] public sealed record A(int X) : E;
        [Event] public sealed record B : E;

        public abstract record F;
        [Effect] public sealed record Done : F;

        public sealed record N(MState State);

        public static class Rules
        {
            [Invariant("ok")] public static bool Ok(N s) => true;
        }

        [StateMachine(typeof(E), typeof(F), typeof(N))]
        public sealed partial class M
        {
            [State, Handles(typeof(A), typeof(S2)), Ignores(typeof(B))]
            public sealed partial class S1;

            [State, Handles(typeof(B), typeof(S1)), Ignores(typeof(A))]
            public sealed partial class S2;

            [Transition] private void Go(MState to) => State = to;

            [Handler] private void On(A e) => Go(MState.S2);

            [Handler] private void On(B e) => Go(MState.S1);
        }
        """;

    private static string With(string original, string replacement)
    {
        Assert.Contains(original, Template, StringComparison.Ordinal);
        return Template.Replace(original, replacement, StringComparison.Ordinal);
    }

    private static DiagnosticResult Expect(DiagnosticDescriptor descriptor, int location, params string[] arguments)
        => new DiagnosticResult(descriptor).WithLocation(location).WithArguments(arguments);

    private static Task Run(string source, params DiagnosticResult[] expected)
    {
        var test = new GeneratorTest
        {
            // Only the generator's diagnostics are checked; with an error the generated code is partial.
            CompilerDiagnostics = CompilerDiagnostics.None,
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        test.TestState.Sources.Add(source);
        test.TestState.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task The_template_is_clean()
    {
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.Warnings, TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck };
        test.TestState.Sources.Add("#pragma warning disable CS1591\n" + Template);
        return test.RunAsync();
    }

    private static Task BuildsClean(string source)
    {
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.Warnings, TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck };
        test.TestState.Sources.Add("#pragma warning disable CS1591\n" + source);
        return test.RunAsync();
    }

    [Fact]
    public Task A_machine_without_effect_types_builds_clean() => BuildsClean(
        With("[Effect] public sealed record Done : F;", ""));

    [Fact]
    public Task An_event_derived_from_an_earlier_event_builds_clean() => BuildsClean(
        With("[Event] public sealed record A(int X) : E;\n[Event] public sealed record B : E;", "[Event] public record A(int X) : E;\n[Event] public sealed record B : E;\n[Event] public sealed record C(int X, int Y) : A(X);")
            .Replace("Ignores(typeof(B))]", "Ignores(typeof(B)), Handles(typeof(C))]", StringComparison.Ordinal)
            .Replace("Ignores(typeof(A))]", "Ignores(typeof(A), typeof(C))]", StringComparison.Ordinal)
            .Replace("[Handler] private void On(B e) => Go(MState.S1);", "[Handler] private void On(B e) => Go(MState.S1);\n    [Handler] private void On(C e) { }", StringComparison.Ordinal));

    [Fact]
    public Task PSM001_pair_neither_handled_nor_ignored() => Run(
        With("Ignores(typeof(B))]\n    public sealed partial class S1;", "]\n    public sealed partial class {|#0:S1|};"),
        Expect(DiagnosticDescriptors.UndecidedPair, 0, "S1", "B"));

    [Fact]
    public Task PSM002_pair_handled_and_ignored() => Run(
        With("Ignores(typeof(B))]\n    public sealed partial class S1;", "Ignores(typeof(B), {|#0:typeof(A)|})]\n    public sealed partial class S1;"),
        Expect(DiagnosticDescriptors.DuplicateDecision, 0, "S1", "A"));

    [Fact]
    public Task PSM002_pair_ignored_twice() => Run(
        With("Ignores(typeof(B))]\n    public sealed partial class S1;", "Ignores(typeof(B)), Ignores({|#0:typeof(B)|})]\n    public sealed partial class S1;"),
        Expect(DiagnosticDescriptors.DuplicateDecision, 0, "S1", "B"));

    /// <summary>The template with <paramref name="defaults"/> as attributes on the machine class.</summary>
    private static string WithDefaults(string source, string defaults)
        => source.Replace("public sealed partial class M", defaults + "\npublic sealed partial class M", StringComparison.Ordinal);

    [Fact]
    public Task Defaults_that_every_state_inherits_build_clean() => BuildsClean(WithDefaults(
        With("Handles(typeof(A), typeof(S2)), Ignores(typeof(B))]", "]").Replace(", Ignores(typeof(A))]", "]", StringComparison.Ordinal),
        "[Handles(typeof(A), typeof(S2)), Ignores(typeof(B))]")
        .Replace("[State, Handles(typeof(B), typeof(S1))]", "[State, Handles(typeof(B), typeof(S1)), Handles(typeof(A))]", StringComparison.Ordinal));

    [Fact]
    public Task PSM001_counts_the_inherited_decisions() => Run(
        // S1 declares nothing: it inherits A from the default and has no decision for B.
        WithDefaults(With("Handles(typeof(A), typeof(S2)), Ignores(typeof(B))]\n    public sealed partial class S1;", "]\n    public sealed partial class {|#0:S1|};"), "[Handles(typeof(A), typeof(S2))]"),
        Expect(DiagnosticDescriptors.UndecidedPair, 0, "S1", "B"));

    [Fact]
    public Task PSM002_default_declared_twice() => Run(
        WithDefaults(With("Handles(typeof(A), typeof(S2)), Ignores(typeof(B))]", "Handles(typeof(A), typeof(S2))]"), "[Ignores(typeof(B)), Ignores({|#0:typeof(B)|})]"),
        Expect(DiagnosticDescriptors.DuplicateDecision, 0, "M", "B"));

    [Fact]
    public Task PSM002_default_handled_and_ignored() => Run(
        WithDefaults(With("Handles(typeof(A), typeof(S2)), Ignores(typeof(B))]", "Handles(typeof(A), typeof(S2))]"), "[Ignores({|#0:typeof(B)|}), Handles(typeof(B), typeof(S1))]"),
        Expect(DiagnosticDescriptors.DuplicateDecision, 0, "M", "B"));

    [Fact]
    public Task PSM003_default_handles_an_event_without_handler_reported_once_at_the_default() => Run(
        // S2 inherits the default Handles(B); S1 ignores B itself.
        WithDefaults(With("[Handler] private void On(B e) => Go(MState.S1);", "").Replace("Handles(typeof(B), typeof(S1)), Ignores(typeof(A))", "Ignores(typeof(A))", StringComparison.Ordinal), "[Handles({|#0:typeof(B)|}, typeof(S1))]"),
        Expect(DiagnosticDescriptors.MissingHandler, 0, "M", "B"));

    [Fact]
    public Task PSM009_default_ignores_a_non_event() => Run(
        WithDefaults(Template, "[Ignores({|#0:typeof(string)|})]"),
        Expect(DiagnosticDescriptors.UnknownDeclaredType, 0, "String", "Ignores", "M", "an event", "M"));

    [Fact]
    public Task PSM015_default_every_state_overrides() => Run(
        // Both states of the template decide B themselves.
        WithDefaults(Template, "[Ignores({|#0:typeof(B)|})]"),
        Expect(DiagnosticDescriptors.UnusedDefault, 0, "M", "B"));

    [Fact]
    public Task PSM016_continues_on_the_machine_class_has_no_effect() => Run(
        WithDefaults(Template, "[{|#0:Continues(typeof(S1))|}]"),
        Expect(DiagnosticDescriptors.IneffectiveDeclaration, 0, "M", "[Continues] on the machine class has no effect; put it on the state that a step passes through"));

    [Fact]
    public Task PSM016_decisions_on_a_nested_class_that_is_not_a_state_have_no_effect() => Run(
        // Without [State] the class is no state: its decisions would be dropped, each is reported.
        With("public sealed partial class S2;", "public sealed partial class S2;\n\n    [{|#0:Handles(typeof(A), typeof(S1))|}, {|#1:Ignores(typeof(B))|}]\n    public sealed partial class Helper;\n\n    [{|#2:Continues(typeof(S2))|}]\n    private sealed class Other;"),
        Expect(DiagnosticDescriptors.IneffectiveDeclaration, 0, "Helper", "is not a [State]: its [Handles] has no effect; mark the class [State] or remove the attribute"),
        Expect(DiagnosticDescriptors.IneffectiveDeclaration, 1, "Helper", "is not a [State]: its [Ignores] has no effect; mark the class [State] or remove the attribute"),
        Expect(DiagnosticDescriptors.IneffectiveDeclaration, 2, "Other", "is not a [State]: its [Continues] has no effect; mark the class [State] or remove the attribute"));

    [Fact]
    public Task PSM003_handled_event_without_handler() => Run(
        With("[Handler] private void On(B e) => Go(MState.S1);", "").Replace("Handles(typeof(B), typeof(S1))", "Handles({|#0:typeof(B)|}, typeof(S1))", StringComparison.Ordinal),
        Expect(DiagnosticDescriptors.MissingHandler, 0, "S2", "B"));

    [Fact]
    public Task PSM004_handler_with_two_parameters() => Run(
        With("[Handler] private void On(A e) => Go(MState.S2);", "[Handler] private void {|#1:On|}(A e, int x) => Go(MState.S2);")
            .Replace("Handles(typeof(A), typeof(S2))", "Handles({|#0:typeof(A)|}, typeof(S2))", StringComparison.Ordinal),
        Expect(DiagnosticDescriptors.MissingHandler, 0, "S1", "A"),
        Expect(DiagnosticDescriptors.BadHandler, 1, "On", "a handler must be an instance method with exactly one parameter, the event"));

    [Fact]
    public Task PSM004_two_handlers_for_one_event() => Run(
        With("[Handler] private void On(B e) => Go(MState.S1);", "[Handler] private void On(B e) => Go(MState.S1);\n    [Handler] private void {|#0:Again|}(B e) => Go(MState.S1);"),
        Expect(DiagnosticDescriptors.BadHandler, 0, "Again", "event 'B' already has the handler 'On'"));

    [Fact]
    public Task PSM004_handler_for_an_event_no_state_handles() => Run(
        With("Handles(typeof(B), typeof(S1)), Ignores(typeof(A))", "Ignores(typeof(A), typeof(B))")
            .Replace("[Handler] private void On(B e)", "[Handler] private void {|#0:On|}(B e)", StringComparison.Ordinal),
        Expect(DiagnosticDescriptors.BadHandler, 0, "On", "no state handles event 'B'"));

    [Fact]
    public Task PSM004_handler_of_a_non_event() => Run(
        With("[Handler] private void On(B e) => Go(MState.S1);", "[Handler] private void On(B e) => Go(MState.S1);\n    [Handler] private void {|#0:Other|}(string e) { }"),
        Expect(DiagnosticDescriptors.BadHandler, 0, "Other", "its parameter type 'string' is not an [Event] of machine 'M'"));

    [Fact]
    public Task PSM005_unsupported_member_type() => Run(
        With("record A(int X)", "record A(double {|#0:X|})"),
        Expect(DiagnosticDescriptors.UnsupportedMemberType, 0, "double", "A.X", "it is not a supported primitive, enum, record or collection"));

    [Fact]
    public Task PSM005_unsupported_nested_member_type() => Run(
        With("public sealed record N(MState State);", "public sealed record N(MState State, Inner Inner);\npublic sealed record Inner(System.Collections.Generic.List<int> {|#0:Items|});"),
        Expect(DiagnosticDescriptors.UnsupportedMemberType, 0, "System.Collections.Generic.List<int>", "N.Inner.Items", "a collection must be T[], ImmutableArray<T> or a type with [CollectionBuilder]"));

    [Fact]
    public Task PSM005_framework_types() => Run(
        With("public sealed record N(MState State);", "public sealed record N(MState State, System.Guid {|#0:Id|}, System.DateTime {|#1:At|});"),
        Expect(DiagnosticDescriptors.UnsupportedMemberType, 0, "System.Guid", "N.Id", "it is not a supported primitive, enum, record or collection"),
        Expect(DiagnosticDescriptors.UnsupportedMemberType, 1, "System.DateTime", "N.At", "it is not a supported primitive, enum, record or collection"));

    [Fact]
    public Task PSM006_machine_not_partial() => Run(
        With("public sealed partial class M", "public sealed class {|#0:M|}"),
        Expect(DiagnosticDescriptors.NotPartial, 0, "M", "a [StateMachine] class must be declared partial"));

    [Fact]
    public Task PSM006_state_not_partial() => Run(
        With("public sealed partial class S2;", "public sealed class {|#0:S2|};"),
        Expect(DiagnosticDescriptors.NotPartial, 0, "S2", "a [State] class must be declared partial"));

    [Fact]
    public Task PSM006_state_not_nested_in_its_machine() => Run(
        Template + "\n[State] public sealed partial class {|#0:Loose|};\n",
        Expect(DiagnosticDescriptors.NotPartial, 0, "Loose", "a [State] class must be nested in its [StateMachine] class"));

    [Fact]
    public Task PSM007_duplicate_event_tag() => Run(
        With("[Event] public sealed record B : E;", "[Event(\"A\")] public sealed record {|#0:B|} : E;"),
        Expect(DiagnosticDescriptors.DuplicateName, 0, "Event tag", "A", "A", "B"));

    [Fact]
    public Task PSM007_duplicate_state_name() => Run(
        With("[State, Handles(typeof(B), typeof(S1)), Ignores(typeof(A))]\n    public sealed partial class S2;", "[State(\"S1\"), Handles(typeof(B), typeof(S1)), Ignores(typeof(A))]\n    public sealed partial class {|#0:S2|};"),
        Expect(DiagnosticDescriptors.DuplicateName, 0, "State name", "S1", "S1", "S2"));

    [Fact]
    public Task PSM008_invariant_with_wrong_signature() => Run(
        With("[Invariant(\"ok\")] public static bool Ok(N s) => true;", "[Invariant(\"ok\")] public static int {|#0:Ok|}(N s) => 0;"),
        Expect(DiagnosticDescriptors.BadPredicate, 0, "Ok", "an [Invariant] method must be 'static bool M(TSnapshot snapshot)' or, with a [CheckContext], 'static bool M(TSnapshot snapshot, TContext context)'"));

    [Fact]
    public Task PSM008_check_not_static() => Run(
        With("[Invariant(\"ok\")] public static bool Ok(N s) => true;", "[Invariant(\"ok\")] public static bool Ok(N s) => true;\n}\npublic sealed class Observer\n{\n    [Check(\"seen\")] public bool {|#0:Seen|}(N s) => true;"),
        Expect(DiagnosticDescriptors.BadPredicate, 0, "Seen", "an [Check] method must be 'static bool M(TSnapshot snapshot)' or, with a [CheckContext], 'static bool M(TSnapshot snapshot, TContext context)'"));

    [Fact]
    public Task PSM008_private_check() => Run(
        With("[Invariant(\"ok\")] public static bool Ok(N s) => true;", "[Invariant(\"ok\")] public static bool Ok(N s) => true;\n    [Check(\"hidden\")] private static bool {|#0:Hidden|}(N s) => true;"),
        Expect(DiagnosticDescriptors.BadPredicate, 0, "Hidden", "an [Check] method must be accessible from its assembly (internal or public)"));

    [Fact]
    public Task PSM009_ignores_a_non_event() => Run(
        With("Ignores(typeof(B))]\n    public sealed partial class S1;", "Ignores(typeof(B), {|#0:typeof(string)|})]\n    public sealed partial class S1;"),
        Expect(DiagnosticDescriptors.UnknownDeclaredType, 0, "String", "Ignores", "S1", "an event", "M"));

    [Fact]
    public Task PSM009_target_is_not_a_state() => Run(
        With("Handles(typeof(A), typeof(S2))", "Handles(typeof(A), {|#0:typeof(N)|})"),
        Expect(DiagnosticDescriptors.UnknownDeclaredType, 0, "N", "Handles", "S1", "a state", "M"));

    [Fact]
    public Task PSM010_parameter_without_property() => Run(
        With("public sealed record N(MState State);", "public sealed record N(MState State, Thing Thing);\npublic sealed class Thing\n{\n    public Thing(int {|#0:value|}) { }\n}"),
        Expect(DiagnosticDescriptors.BadWireRecord, 0, "Tests.Thing", "N.Thing", "parameter 'value' has no matching readable property"));

    [Fact]
    public Task PSM010_no_usable_constructor() => Run(
        With("public sealed record N(MState State);", "public sealed record N(MState State, Thing {|#0:Thing|});\npublic sealed class Thing\n{\n    public Thing(int a) => A = a;\n    public Thing(string b) => A = b.Length;\n    public int A { get; }\n    public string B => \"\";\n}"),
        Expect(DiagnosticDescriptors.BadWireRecord, 0, "Tests.Thing", "N.Thing", "it has more than one public constructor with parameters"));

    [Fact]
    public Task PSM011_no_transition_method() => Run(
        With("[Transition] private void Go", "private void Go").Replace("public sealed partial class M", "public sealed partial class {|#0:M|}", StringComparison.Ordinal),
        Expect(DiagnosticDescriptors.BadTransitionMethod, 0, "M", "it has no [Transition] method"));

    [Fact]
    public Task PSM011_transition_without_state_parameter() => Run(
        With("[Transition] private void Go(MState to) => State = to;", "[Transition] private void {|#0:Go|}(int to) { }\n    private void Go(MState to) => State = to;"),
        Expect(DiagnosticDescriptors.BadTransitionMethod, 0, "M", "the [Transition] method 'Go' has no parameter of the state type 'MState'"));

    [Fact]
    public Task PSM011_transition_target_of_another_type_with_the_state_types_name() => Run(
        With("[Transition] private void Go(MState to) => State = to;", "[Transition] private void {|#0:Go|}(Other.MState to) { }\n    private void Go(MState to) => State = to;")
            + "\npublic static class Other { public enum MState { S1 } }\n",
        Expect(DiagnosticDescriptors.BadTransitionMethod, 0, "M", "the [Transition] method 'Go' has the parameter 'to' of type 'Tests.Other.MState', which is not the generated state type 'MState'"));

    [Fact]
    public Task PSM011_transition_with_two_state_parameters() => Run(
        With("[Transition] private void Go(MState to) => State = to;", "[Transition] private void {|#0:Go|}(MState from, MState to) => State = to;"),
        Expect(DiagnosticDescriptors.BadTransitionMethod, 0, "M", "the [Transition] method 'Go' has more than one parameter of the state type 'MState'"));

    [Fact]
    public Task PSM011_transition_target_by_reference() => Run(
        With("[Transition] private void Go(MState to) => State = to;", "[Transition] private void {|#0:Go|}(in MState to) => State = to;"),
        Expect(DiagnosticDescriptors.BadTransitionMethod, 0, "M", "the [Transition] method 'Go' takes its target 'to' by reference; it must be passed by value"));

    [Fact]
    public Task PSM011_static_transition() => Run(
        With("[Transition] private void Go(MState to) => State = to;", "[Transition] private static void {|#0:Go|}(M m, MState to) => m.State = to;\n    private void Go(MState to) => State = to;"),
        Expect(DiagnosticDescriptors.BadTransitionMethod, 0, "M", "the [Transition] method 'Go' is static; it must be an instance method"));

    [Fact]
    public Task PSM013_step_methods_of_the_wrong_shape() => Run(
        With("[Handler] private void On(B e) => Go(MState.S1);", """
            [Handler] private void On(B e) => Go(MState.S1);
                [Accepts] private void {|#0:Takes|}(E e) { }
                [Apply] private void {|#1:Apply|}(A e) { }
                [Restore] private void {|#2:Restore|}(E e) { }
                [Restore] private static void {|#3:RestoreStatic|}(N s) { }
                [Restore] private bool {|#4:RestoreBool|}(N s) => true;
            """),
        Expect(DiagnosticDescriptors.BadStepMethod, 0, "Takes", "an [Accepts] method must be an instance method 'bool M(E e)'"),
        Expect(DiagnosticDescriptors.BadStepMethod, 1, "Apply", "an [Apply] method must be an instance method 'void M(E e)'"),
        Expect(DiagnosticDescriptors.BadStepMethod, 2, "Restore", "a [Restore] method must be an instance method 'void M(N s)'"),
        Expect(DiagnosticDescriptors.BadStepMethod, 3, "RestoreStatic", "a [Restore] method must be an instance method 'void M(N s)'"),
        Expect(DiagnosticDescriptors.BadStepMethod, 4, "RestoreBool", "a [Restore] method must be an instance method 'void M(N s)'"));

    [Fact]
    public Task PSM013_two_restore_methods() => Run(
        With("[Handler] private void On(B e) => Go(MState.S1);", """
            [Handler] private void On(B e) => Go(MState.S1);
                [Restore] private void Restore(N s) => State = s.State;
                [Restore] private void {|#0:Again|}(N s) => State = s.State;
            """),
        Expect(DiagnosticDescriptors.BadStepMethod, 0, "Again", "machine 'M' already has the [Restore] method 'Restore'"));

    [Fact]
    public Task A_machine_restored_in_place_builds_clean() => BuildsClean(
        With("[Handler] private void On(B e) => Go(MState.S1);", """
            [Handler] private void On(B e) => Go(MState.S1);
                public M() { }
                public M(N s) => Restore(s);
                [Restore] private void Restore(N s) => State = s.State;
                [SnapshotFactory] public N Snapshot() => new(State);
            """));

    [Fact]
    public Task PSM012_concrete_subtype_of_the_event_base_without_event() => Run(
        With("[Event] public sealed record B : E;", "[Event] public sealed record B : E;\npublic sealed record {|#0:Stray|}(int Y) : E;\npublic abstract record Middle : E;\npublic sealed record {|#1:Deep|} : Middle;"),
        Expect(DiagnosticDescriptors.UndispatchableEvent, 0, "Stray", "M", "is not an [Event], so Dispatch has no decision for it"),
        Expect(DiagnosticDescriptors.UndispatchableEvent, 1, "Deep", "M", "is not an [Event], so Dispatch has no decision for it"));

    [Fact]
    public Task PSM012_subtype_of_an_event_without_event() => Run(
        With("[Event] public sealed record A(int X) : E;", "[Event] public record A(int X) : E;\npublic sealed record {|#0:LooksLikeA|}(int X) : A(X);"),
        Expect(DiagnosticDescriptors.UndispatchableEvent, 0, "LooksLikeA", "M", "is not an [Event], so Dispatch has no decision for it"));

    [Fact]
    public Task PSM012_concrete_event_base() => Run(
        With("public abstract record E;", "public record E;").Replace("public sealed partial class M", "public sealed partial class {|#0:M|}", StringComparison.Ordinal),
        Expect(DiagnosticDescriptors.UndispatchableEvent, 0, "E", "M", "is the event base and not abstract, so Dispatch has no decision for an instance of it"));

    [Fact]
    public async Task PSM012_event_subtype_in_a_referenced_assembly()
    {
        // The event base and one event live in a library; the machine's compilation declares the rest.
        var library = References.Compilation("""
            using Peering.StateMachines;
            namespace Lib;
            public abstract record LibEvent;
            [Event] public sealed record Remote(int X) : LibEvent;
            """).WithAssemblyName("Lib");
        using var stream = new MemoryStream();
        Assert.True(library.Emit(stream).Success);
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.None, TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck };
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromImage(stream.ToArray()));
        test.TestState.Sources.Add(With("[Event] public sealed record A(int X) : E;\n[Event] public sealed record B : E;", "[Event] public sealed record A(int X) : Lib.LibEvent;\n[Event] public sealed record B : Lib.LibEvent;")
            .Replace("[StateMachine(typeof(E)", "[StateMachine(typeof(Lib.LibEvent)", StringComparison.Ordinal)
            .Replace("public sealed partial class M", "public sealed partial class {|#0:M|}", StringComparison.Ordinal));
        test.TestState.ExpectedDiagnostics.Add(Expect(DiagnosticDescriptors.UndispatchableEvent, 0, "Lib.Remote", "M",
            "is declared in the referenced assembly 'Lib', so it takes no part in the machine's decisions; declare the machine's events in its own compilation"));
        await test.RunAsync();
    }

    [Fact]
    public void Every_descriptor_but_PSM014_and_PSM015_is_an_error_with_a_stable_id()
    {
        Assert.Equal(
            ["PSM001", "PSM002", "PSM003", "PSM004", "PSM005", "PSM006", "PSM007", "PSM008", "PSM009", "PSM010", "PSM011", "PSM012", "PSM013", "PSM014", "PSM015", "PSM016"],
            DiagnosticDescriptors.All.Select(d => d.Id).Order(StringComparer.Ordinal));

        // PSM014 only says why a machine gets no trace-tool contract; a machine without one is legal.
        // PSM015 points at a default that changes nothing; the table is still complete and correct.
        Assert.All(DiagnosticDescriptors.All.Where(d => d.Id is not "PSM014" and not "PSM015"), d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
        Assert.Equal(DiagnosticSeverity.Info, DiagnosticDescriptors.NoContract.DefaultSeverity);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticDescriptors.UnusedDefault.DefaultSeverity);
    }
}
