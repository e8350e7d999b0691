namespace Peering.Analyzers.Tests;

/// <summary>Odd but ordinary-looking code around the classes of issue 11: each is followed or reported, never silent.</summary>
public class EdgeCaseTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string members) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;
            [Procedure(typeof(Closed))] private bool Open() { Move(DoorState.Opened); return true; }
        {{members}}
        }
        """;

    /// <summary>A procedure in one arm of a switch expression may or may not have run after it.</summary>
    [Fact]
    public Task Switch_expression_arm() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { var ok = e.Force switch { 0 => Open(), _ => false }; Move({|#0:DoorState.Slamming|}); }
        """), States, Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Conditional_access_on_this() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { this?{|#0:.Open()|}; }
        """), States, Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called on another instance"));

    [Fact]
    public Task Transition_in_a_filter() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e)
            {
                try { if (e.Force > 1) throw new InvalidOperationException(); }
                catch (InvalidOperationException) when (Open()) { }
                Move({|#0:DoorState.Slamming|});
            }
        """), States, Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    /// <summary>The finally runs after Open moved to Opened: the copy still says Closed, so it narrows nothing there.</summary>
    [Fact]
    public Task Stale_copy_tested_in_finally() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e)
            {
                var closed = State == DoorState.Closed;
                try { Open(); }
                finally { if (closed) Move({|#0:DoorState.Closed|}); }
            }
        """), States, Verify.NotPermitted(0, "Opened", "Closed", "", "{Slamming}"));

    /// <summary>A value that reaches a guard through an out argument is not a guard.</summary>
    [Fact]
    public Task Out_var_guard() => Verify.Analyzer(Machine("""
            private static bool Check(bool b, out bool result) { result = b; return true; }
            [Handler] private void On(Push e)
            {
                if (Check(State == DoorState.Opened, out var opened) && opened) Move({|#0:DoorState.Slamming|});
            }
        """), States, Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Static_procedure_on_another_instance() => Verify.Analyzer(Machine("""
            [Procedure(typeof(Closed))] private static void Poke(Door d) { {|#0:d.Open()|}; }
            [Handler] private void On(Push e) { Poke(new Door()); }
        """), States, Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called on another instance"));

    [Fact]
    public Task Function_pointer_to_static_procedure() => Verify.Analyzer(Machine("""
            [Procedure(typeof(Closed))] private static void Noop() { }
            [Handler] private unsafe void On(Push e) { delegate*<void> p = &{|#0:Noop|}; p(); }
        """), States, Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Noop", "used as a delegate"));
}
