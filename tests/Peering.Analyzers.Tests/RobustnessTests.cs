using Microsoft.CodeAnalysis.Testing;

namespace Peering.Analyzers.Tests;

/// <summary>Declarations split across files, custom enum names, odd and broken code.</summary>
public class RobustnessTests
{
    private const string States = "Closed, Opened, Slamming";

    [Fact]
    public Task Partial_declarations_across_files_are_merged() => Verify.Analyzer(
        new[]
        {
            Verify.Prelude + Sources.Door + """
                [State] public sealed partial class Closed;
                [State] public sealed partial class Opened;
                [State, Continues(typeof(Closed))] public sealed partial class Slamming;
            }
            """,
            """
            using Peering.StateMachines;

            namespace T;

            partial class Door
            {
                [Handles(typeof(Push), typeof(Opened))] partial class Closed;
                [Handles(typeof(Pull), typeof(Slamming))] partial class Opened;

                [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
                [Handler] private partial void On(Pull e);
                private partial void On(Pull e) { Move(DoorState.Slamming); Move({|#1:DoorState.Opened|}); }
            }
            """,
        },
        States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"),
        Verify.NotPermitted(1, "Slamming", "Opened", "", "{Closed}"));

    [Fact]
    public Task State_type_name_names_the_enum() => Verify.Analyzer(
        new[]
        {
            Verify.Prelude + Sources.Door + """
                [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
                [State] public sealed partial class Opened;
                [State] public sealed partial class Slamming;
                [Handler] private void On(Push e) { Move(DoorState.Opened); }
            }

            [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap), StateTypeName = "GatePosition")]
            public sealed partial class Gate
            {
                [State, Handles(typeof(Kick), typeof(Up))] public sealed partial class Down;
                [State] public sealed partial class Up;
                [State] public sealed partial class Stuck;

                [Transition] private void Go(string reason, GatePosition to) { State = to; }

                [Handler] private void On(Kick e) { Go("kick", {|#0:GatePosition.Stuck|}); }
            }
            """,
            """
            namespace T;

            public enum GatePosition { Down, Up, Stuck }

            partial class Gate
            {
                public GatePosition State { get; private set; }
            }
            """,
        },
        States,
        Verify.NotPermitted(0, "Down", "Stuck", " on 'Kick'", "{Up}"));

    [Fact]
    public Task Broken_code_does_not_crash_or_pile_on() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof({|#0:Missing|}), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move(DoorState.{|#1:Nope|}); Move({|#2:undefined|}); {|#3:Nowhere|}(); }
            [Handler] private void On() { Move(DoorState.Slamming); }
            [Procedure(typeof({|#4:Gone|}))] private void Proc() { Move(DoorState.Opened); }
        }
        """, States,
        DiagnosticResult.CompilerError("CS0246").WithLocation(0).WithArguments("Missing"),
        DiagnosticResult.CompilerError("CS0117").WithLocation(1).WithArguments("T.DoorState", "Nope"),
        DiagnosticResult.CompilerError("CS0103").WithLocation(2).WithArguments("undefined"),
        DiagnosticResult.CompilerError("CS0103").WithLocation(3).WithArguments("Nowhere"),
        DiagnosticResult.CompilerError("CS0246").WithLocation(4).WithArguments("Gone"));

    [Fact]
    public Task Missing_declarations_are_not_checked() => Verify.Analyzer(
        new[]
        {
            Verify.Prelude + """
            // No [Transition] method, no [State] classes: nothing to check against.
            [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
            public sealed partial class Door
            {
                private void Move(DoorState to) { }
                [Handler] private void On(Push e) { Move(DoorState.Opened); }
            }

            // A [Transition] without a state-typed parameter: no target to check.
            [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
            public sealed partial class Gate
            {
                [State, Handles(typeof(Push))] public sealed partial class Shut;
                [Transition] private void Go(int to) { }
                [Handler] private void On(Push e) { Go(2); }
            }

            // Not a machine: the attributes mean nothing here.
            public sealed class Plain
            {
                public DoorState State { get; set; }
                [Transition] private void Go(DoorState to) { State = to; }
                [Handler] private void On(Push e) { Go(DoorState.Slamming); State = DoorState.Closed; }
                private void Elsewhere() { Go(DoorState.Opened); }
            }
            """,
            """
            namespace T;
            public enum GateState { Shut }
            partial class Gate { public GateState State { get; private set; } }
            """,
        },
        States);

    [Fact]
    public Task Handler_for_an_event_no_state_handles_is_not_checked() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
            [Handler] private void On(Kick e) { Move(DoorState.Slamming); }
        }
        """, States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));
}
