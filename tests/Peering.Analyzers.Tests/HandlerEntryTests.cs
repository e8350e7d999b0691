namespace Peering.Analyzers.Tests;

/// <summary>PSM106: a handler runs only from the generated Dispatch, which is where its entry states are checked.</summary>
public class HandlerEntryTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string members) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened)), Ignores(typeof(Pull))] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming)), Ignores(typeof(Push))] public sealed partial class Opened;
            [State, Continues(typeof(Closed)), Ignores(typeof(Push), typeof(Pull))] public sealed partial class Slamming;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); }

        {{members}}
        }
        """;

    [Fact]
    public Task Handlers_called_by_the_generated_dispatch_do_not_fire() => Verify.WithGenerated(
        [Verify.Prelude + Machine("""
            [Handler] private void On(Push e) { Move(DoorState.Opened); }
            private string Name() => nameof(On);
        """)],
        Verify.Generated(States, dispatch: """
                    case Push ev: On(ev); return true;
                    case Pull ev: On(ev); return true;
        """));

    [Fact]
    public Task Handler_calling_a_handler_fires() => Verify.Analyzer(Machine("""
            // Would run Pull's body from Closed, where Pull is ignored (and Slamming is not permitted).
            [Handler] private void On(Push e) { {|#0:On(new Pull())|}; }
        """), States,
        Verify.Diagnostic("PSM106").WithLocation(0).WithArguments("On", "called in 'On'"));

    [Fact]
    public Task Helper_constructor_and_lambda_calling_a_handler_fire() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Move(DoorState.Opened); }
            public Door() { {|#0:On(new Push(1))|}; }
            public void Force() { {|#1:On(new Pull())|}; }
            private void Later() { Action a = () => {|#2:On(new Pull())|}; a(); }
        """), States,
        Verify.Diagnostic("PSM106").WithLocation(0).WithArguments("On", "called in a constructor"),
        Verify.Diagnostic("PSM106").WithLocation(1).WithArguments("On", "called in 'Force'"),
        Verify.Diagnostic("PSM106").WithLocation(2).WithArguments("On", "called in a lambda"));

    [Fact]
    public Task Handler_of_another_instance_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Move(DoorState.Opened); {|#0:new Door().On(new Pull())|}; }
        """), States,
        Verify.Diagnostic("PSM106").WithLocation(0).WithArguments("On", "called on another instance"));

    [Fact]
    public Task Handler_as_a_delegate_fires() => Verify.Analyzer(Machine("""
            private Action<Push>? _push;
            [Handler] private void On(Push e) { Move(DoorState.Opened); }
            public void Wire() { _push = {|#0:On|}; }
        """), States,
        Verify.Diagnostic("PSM106").WithLocation(0).WithArguments("On", "used as a delegate"));

    [Fact]
    public Task Handler_that_is_also_a_procedure_fires_and_its_call_fires() => Verify.Analyzer(Machine("""
            [Handler, Procedure(typeof(Closed))] private void {|#0:On|}(Push e) { Move(DoorState.Opened); }
            [Procedure(typeof(Opened))] private void Reopen() { {|#1:On(new Push(1))|}; }
        """), States,
        Verify.Diagnostic("PSM107").WithLocation(0).WithArguments("Handler", "On", "it is marked as more than one of [Handler], [Procedure] and [Transition]"),
        Verify.Diagnostic("PSM106").WithLocation(1).WithArguments("On", "called in 'Reopen'"));
}
