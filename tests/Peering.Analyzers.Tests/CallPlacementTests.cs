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
    public Task DirectCalls_InHandlersAndProcedures_DoNotFire() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { this.Open(); }
            [Handler] private void On(Pull e) { this.Move(DoorState.Closed); }
        """), States);

    [Fact]
    public Task TransitionInALambda_Fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Action a = () => {|#0:Move(DoorState.Opened)|}; a(); }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called in a lambda"));

    [Fact]
    public Task ProcedureInALambda_Fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Action a = delegate { {|#0:Open()|}; }; a(); }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called in a lambda"));

    [Fact]
    public Task TransitionInALocalFunction_Fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Go(); void Go() => {|#0:Move(DoorState.Opened)|}; }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called in a local function"));

    [Fact]
    public Task TransitionInAHelperMethod_Fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Helper(); }
            private void Helper() { {|#0:Move(DoorState.Opened)|}; }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called in 'Helper'"));

    [Fact]
    public Task ProcedureInAConstructorAndAProperty_Fires() => Verify.Analyzer(Machine("""
            public Door() { {|#0:Open()|}; }
            public int Poke { get { {|#1:Open()|}; return 1; } }
            [Handler] private void On(Push e) { }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called in a constructor"),
        Verify.Diagnostic("PSM104").WithLocation(1).WithArguments("Procedure", "Open", "called in 'Poke'"));

    [Fact]
    public Task TransitionOnAnotherInstance_Fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { {|#0:new Door().Move(DoorState.Opened)|}; }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "called on another instance"));

    [Fact]
    public Task TransitionOutsideTheMachine_Fires() => Verify.Analyzer(Machine("""
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
    public Task TransitionAsADelegate_Fires_NameofDoesNot() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Action<DoorState> f = {|#0:Move|}; var name = nameof(Move); }
        """), States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Transition", "Move", "used as a delegate"));
}
