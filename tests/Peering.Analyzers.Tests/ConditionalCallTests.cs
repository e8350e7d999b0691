namespace Peering.Analyzers.Tests;

/// <summary>
/// Calls that some builds drop ([Conditional] methods and their arguments, Debug.Assert, partial
/// methods without an implementation): a procedure or transition there may or may not run.
/// </summary>
public class ConditionalCallTests
{
    private const string States = "Closed, Opened, Slamming";

    /// <summary>Push from Closed may go to Opened only; from Opened the step may go on to Slamming.</summary>
    private static string Machine(string body, string members = "") => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Procedure(typeof(Closed))]
            private bool Open() { Move(DoorState.Opened); return true; }
        {{members}}

            [Handler]
            private void On(Push e)
            {
        {{body}}
                // Permitted only if Open ran.
                Move({|#0:DoorState.Slamming|});
            }
        }
        """;

    private static readonly Microsoft.CodeAnalysis.Testing.DiagnosticResult IfOpenDidNotRun =
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}");

    [Fact]
    public Task Procedure_in_a_debug_assert_may_not_run() => Verify.Analyzer(Machine("""
                System.Diagnostics.Debug.Assert(Open());
        """), States, IfOpenDidNotRun);

    [Fact]
    public Task Procedure_called_before_the_assert_runs() => Verify.Analyzer(Machine("""
                var opened = Open();
                System.Diagnostics.Debug.Assert(opened);
        """), States);

    [Fact]
    public Task Procedure_in_the_arguments_of_a_conditional_method_may_not_run() => Verify.Analyzer(Machine("""
                Note(Open());
        """, """
            [System.Diagnostics.Conditional("TRACE_DOOR")]
            private static void Note(bool value) { }
        """), States, IfOpenDidNotRun);

    [Fact]
    public Task Conditional_procedure_may_not_run() => Verify.Analyzer(Machine("""
                OpenInDebug();
        """, """
            [System.Diagnostics.Conditional("DEBUG"), Procedure(typeof(Closed))]
            private void OpenInDebug() { Move(DoorState.Opened); }
        """), States, IfOpenDidNotRun);

    [Fact]
    public Task Procedure_in_an_interpolation_a_handler_may_skip_may_not_run() => Verify.Analyzer(Machine("""
                Note($"opened: {Open()}");
        """, """
            private static void Note(Skipping text) { }
        """) + """

        [System.Runtime.CompilerServices.InterpolatedStringHandler]
        public ref struct Skipping
        {
            public Skipping(int literalLength, int formattedCount, out bool shouldAppend) => shouldAppend = false;
            public void AppendLiteral(string s) { }
            public void AppendFormatted<T>(T value) { }
        }
        """, States, IfOpenDidNotRun);

    [Fact]
    public Task Procedure_in_the_arguments_of_an_unimplemented_partial_method_does_not_run() => Verify.Analyzer(Machine("""
                Log(Open());
        """, """
            partial void Log(bool opened);
        """), States, IfOpenDidNotRun);

    [Fact]
    public Task Procedure_in_the_arguments_of_an_implemented_partial_method_runs() => Verify.Analyzer(Machine("""
                Log(Open());
        """, """
            partial void Log(bool opened);
            partial void Log(bool opened) { }
        """), States);

    [Theory]
    [InlineData("[Transition, System.Diagnostics.Conditional(\"DEBUG\")]", true)]
    [InlineData("[Transition]", false)]
    public Task Conditional_transition_may_not_run(string attributes, bool fires) => Verify.Analyzer($$"""
        [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
        public sealed partial class Door
        {
            {{attributes}} private void Move(DoorState to) { State = to; }

            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            // The second move is permitted only after the first.
            [Handler] private void On(Push e) { Move(DoorState.Opened); Move({|#0:DoorState.Slamming|}); }
        }
        """, States,
        fires ? [IfOpenDidNotRun] : []);
}
