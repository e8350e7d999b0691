namespace Peering.Analyzers.Tests;

/// <summary>PSM104: transitions and procedure calls only directly in handler and procedure bodies.</summary>
public class CallPlacementTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string members) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Closed))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Procedure(typeof(Closed))] private void Open() { Move(DoorState.Opened); }

        {{members}}
        }
        """;

    [Fact]
    public Task Direct_calls_in_handlers_and_procedures_do_not_fire() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { this.Open(); }
            [Handler] private void On(Pull e) { this.Move(DoorState.Closed); }
        """), States);

    [Fact]
    public Task Transition_in_a_lambda_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Action a = () => {|#0:Move(DoorState.Opened)|}; a(); }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called in a lambda"));

    [Fact]
    public Task Procedure_in_a_lambda_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Action a = delegate { {|#0:Open()|}; }; a(); }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called in a lambda"));

    [Fact]
    public Task Transition_in_a_local_function_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Go(); void Go() => {|#0:Move(DoorState.Opened)|}; }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called in a local function"));

    [Fact]
    public Task Transition_in_a_helper_method_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Helper(); }
            private void Helper() { {|#0:Move(DoorState.Opened)|}; }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called in 'Helper'"));

    [Fact]
    public Task Procedure_in_a_constructor_and_a_property_fires() => Verify.Analyzer(Machine("""
            public Door() { {|#0:Open()|}; }
            public int Poke { get { {|#1:Open()|}; return 1; } }
            [Handler] private void On(Push e) { }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called in a constructor"),
        Verify.Diagnostic("PSM104").WithLocation(1).WithArguments("Procedure", "Open", "called in 'Poke'"));

    [Fact]
    public Task Transition_on_another_instance_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { {|#0:new Door().Move(DoorState.Opened)|}; }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called on another instance"));

    [Fact]
    public Task Transition_outside_the_machine_fires() => Verify.Analyzer(Machine("""
            [Transition] internal void Set(DoorState to) { State = to; }
            [Handler] private void On(Push e) { }
        """) + """

        public static class Outside
        {
            public static void Poke(Door d) { {|#0:d.Set(DoorState.Opened)|}; }
        }
        """, States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Set", "called in 'Poke'"));

    [Fact]
    public Task Transition_as_a_delegate_fires_nameof_does_not() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Action<DoorState> f = {|#0:Move|}; var name = nameof(Move); }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "used as a delegate"));
}
