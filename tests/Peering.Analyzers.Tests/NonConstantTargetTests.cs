namespace Peering.Analyzers.Tests;

/// <summary>PSM102: transition targets must be compile-time constants.</summary>
public class NonConstantTargetTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string members) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof(Kick), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

        {{members}}
        }
        """;

    [Fact]
    public Task Local_variable_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { var to = DoorState.Opened; Move({|#0:to|}); }
        """), States,
        Verify.Diagnostic("PSM102").WithLocation(0).WithArguments("Move"));

    [Fact]
    public Task Constant_local_is_a_constant_and_is_checked() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { const DoorState to = DoorState.Slamming; Move({|#0:to|}); }
        """), States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Parameter_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Go(DoorState.Opened); }

            [Procedure(typeof(Closed))]
            private void Go(DoorState to) { Move({|#0:to|}); }
        """), States,
        Verify.Diagnostic("PSM102").WithLocation(0).WithArguments("Move"));

    [Fact]
    public Task Computed_values_fire() => Verify.Analyzer(Machine("""
            private static readonly DoorState Next = DoorState.Opened;

            [Handler] private void On(Push e) { Move({|#0:Next|}); }
            [Handler] private void On(Kick e) { Move({|#1:(DoorState)(e.GetHashCode() & 1)|}); }
        """), States,
        Verify.Diagnostic("PSM102").WithLocation(0).WithArguments("Move"),
        Verify.Diagnostic("PSM102").WithLocation(1).WithArguments("Move"));

    [Fact]
    public Task Constant_expressions_do_not_fire() => Verify.Analyzer(Machine("""
            private const DoorState Next = DoorState.Opened;

            [Handler] private void On(Push e) { Move(Next); }
            [Handler] private void On(Kick e) { Move((DoorState)1); }
        """), States);
}
