namespace Peering.Analyzers.Tests;

/// <summary>PSM105: only the [Transition] method and constructors assign State.</summary>
public class StateAssignmentTests
{
    private const string States = "Closed, Opened";

    private static string Machine(string members) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;

        {{members}}
        }
        """;

    [Fact]
    public Task Assignment_in_the_constructor_and_the_transition_does_not_fire() => Verify.Analyzer(Machine("""
            public Door() { State = DoorState.Closed; }
            public Door(DoorState initial) { this.State = initial; }
            [Handler] private void On(Push e) { if (State == DoorState.Closed) Move(DoorState.Opened); }
        """), States);

    [Fact]
    public Task Assignment_in_a_handler_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { {|#0:State|} = DoorState.Opened; }
        """), States,
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("in 'On'"));

    [Fact]
    public Task Assignment_in_a_lambda_in_the_constructor_fires() => Verify.Analyzer(Machine("""
            private readonly Action _reset;
            public Door() { _reset = () => {|#0:State|} = DoorState.Closed; }
            [Handler] private void On(Push e) { }
        """), States,
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("in a lambda"));

    [Fact]
    public Task Other_writes_fire() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { }
            private void Bump() { {|#0:State|}++; {|#1:this.State|} += 1; }
            public DoorState Current { set => {|#2:State|} = value; }
            private void Swap() { ({|#3:State|}, var x) = (DoorState.Opened, 1); }
            private static Door Make() => new Door { {|#4:State|} = DoorState.Opened };
        """), States,
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("in 'Bump'"),
        Verify.Diagnostic("PSM105").WithLocation(1).WithArguments("in 'Bump'"),
        Verify.Diagnostic("PSM105").WithLocation(2).WithArguments("in 'Current'"),
        Verify.Diagnostic("PSM105").WithLocation(3).WithArguments("in 'Swap'"),
        // An object initializer sets the State of the new instance, not this one.
        Verify.Diagnostic("PSM105").WithLocation(4).WithArguments("on another instance in 'Make'"));

    [Fact]
    public Task Assignment_in_the_restore_method_called_from_a_constructor_does_not_fire() => Verify.Analyzer(Machine("""
            public Door() { }
            public Door(Snap s) => Restore(s);
            public Door(Snap s, int copies) { this.Restore(s); }
            [Restore] private void Restore(Snap s) { State = DoorState.Opened; }
            [Handler] private void On(Push e) { }
        """), States);

    [Fact]
    public Task The_restore_method_anywhere_but_this_machine_s_constructors_fires() => Verify.Analyzer(Machine("""
            public Door() { }
            public Door(Snap s) { Action reset = () => {|#0:Restore(s)|}; }
            [Restore] private void Restore(Snap s) { State = DoorState.Opened; {|#1:Restore(s)|}; }
            [Handler] private void On(Push e) { {|#2:Restore(new Snap(DoorState.Closed))|}; }
            private void Copy(Door other) { {|#3:other.Restore(new Snap(DoorState.Closed))|}; }
            private Action<Snap> Later() => {|#4:Restore|};
            private static void Outside(Door d) { {|#5:d.Restore(new Snap(DoorState.Closed))|}; }
            [Restore] private void Other(Snap s) { this.State = DoorState.Closed; {|#7:new Door().State|} = DoorState.Opened; }
        """), States,
        Verify.Diagnostic("PSM105").WithLocation(0).WithArguments("by the [Restore] method 'Restore' called in a lambda"),
        Verify.Diagnostic("PSM105").WithLocation(1).WithArguments("by the [Restore] method 'Restore' called in 'Restore'"),
        Verify.Diagnostic("PSM105").WithLocation(2).WithArguments("by the [Restore] method 'Restore' called in 'On'"),
        Verify.Diagnostic("PSM105").WithLocation(3).WithArguments("by the [Restore] method 'Restore' called on another instance"),
        Verify.Diagnostic("PSM105").WithLocation(4).WithArguments("by the [Restore] method 'Restore' used as a delegate"),
        Verify.Diagnostic("PSM105").WithLocation(5).WithArguments("by the [Restore] method 'Restore' called on another instance"),
        // Its own writes are allowed on this machine only.
        Verify.Diagnostic("PSM105").WithLocation(7).WithArguments("on another instance in 'Other'"));

    [Fact]
    public Task State_property_of_a_non_machine_does_not_fire() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { }
        """) + """

        public sealed class Lamp
        {
            public DoorState State { get; set; }
            public void Toggle() { State = DoorState.Opened; }
        }
        """, States);
}
