namespace Peering.Analyzers.Tests;

/// <summary>
/// PSM108: the transition method's one rule (shared with the generator's PSM011 for the signature):
/// exactly one parameter of the state enum type, and State assigned only from it, on this machine.
/// </summary>
public class TransitionMethodTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string transition) => $$"""
        [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
        public sealed partial class Door
        {
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            private readonly System.Collections.Generic.List<string> _log = new();

        {{transition}}

            [Handler] private void On(Push e) { Move(DoorState.Opened, "push"); }
        }
        """;

    [Fact]
    public Task Transition_with_a_log_and_a_no_op_guard_does_not_fire() => Verify.Analyzer(Machine("""
            [Transition]
            private void Move(DoorState to, string reason)
            {
                if (State == to) return;
                _log.Add(reason);
                State = to;
            }
        """), States);

    [Fact]
    public Task State_assigned_from_something_else_fires() => Verify.Analyzer(Machine("""
            [Transition]
            private void Move(DoorState to, string reason)
            {
                {|#0:State|} = reason.Length > 3 ? to : DoorState.Slamming;
                {|#1:State|}++;
            }
        """), States,
        Verify.Diagnostic("PSM108").WithLocation(0).WithArguments("Move", "assigns State from something other than its target parameter 'to'"),
        Verify.Diagnostic("PSM108").WithLocation(1).WithArguments("Move", "assigns State from something other than its target parameter 'to'"));

    [Fact]
    public Task Target_parameter_written_fires() => Verify.Analyzer(Machine("""
            [Transition]
            private void Move(DoorState to, string reason)
            {
                if (reason == "kick") {|#0:to|} = DoorState.Slamming;
                State = to;
            }
        """), States,
        Verify.Diagnostic("PSM108").WithLocation(0).WithArguments("Move", "writes its target parameter 'to'"));

    [Fact]
    public Task State_of_another_instance_assigned_fires() => Verify.Analyzer(Machine("""
            private Door? _twin;

            [Transition]
            private void Move(DoorState to, string reason)
            {
                State = to;
                if (_twin is not null) {|#0:_twin.State|} = to;
            }
        """), States,
        Verify.Diagnostic("PSM108").WithLocation(0).WithArguments("Move", "assigns the State of another instance"));

    [Fact]
    public Task Target_of_another_enum_with_the_same_name_is_not_a_target() => Verify.Analyzer(
        [
            Verify.Prelude + Machine("""
                // Not the generated enum: the generator reports PSM011, so no call is checked against it here.
                [Transition] private void Move(Other.DoorState to, string reason) { }
                private void Move(DoorState to, string reason) => {|#0:State|} = to;
            """),
            "namespace Other; public enum DoorState { Closed }",
        ],
        States,
        // The second Move is not the transition method: State is assigned outside it.
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("in 'Move'"));

    [Fact]
    public Task Constructor_may_assign_only_its_own_state() => Verify.Analyzer(Machine("""
            [Transition] private void Move(DoorState to, string reason) => State = to;
            public Door() { State = DoorState.Closed; }
            public Door(Door twin) { State = twin.State; {|#0:twin.State|} = DoorState.Slamming; }
        """), States,
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("on another instance in a constructor"));

    [Fact]
    public Task Static_transition_has_no_target_to_check() => Verify.Analyzer("""
        [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
        public sealed partial class Door
        {
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;

            // Breaks the generator's rule (PSM011: an instance method): its calls are not transitions of this
            // machine, so the assignment of another instance's State is not exempt either.
            [Transition] private static void Move(Door door, DoorState to) { {|#0:door.State|} = to; }

            [Handler] private void On(Push e) { Move(new Door(), DoorState.Opened); }
        }
        """, "Closed, Opened",
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("on another instance in 'Move'"));
}
