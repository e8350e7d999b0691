namespace Peering.Analyzers.Tests;

/// <summary>State guards (tests of State against constants) restrict the states a branch is checked from.</summary>
public class GuardTests
{
    private const string States = "Closed, Opened, Slamming, Locked";

    /// <summary>Kick is handled in Closed (to Opened), Opened (to Slamming) and Locked (nowhere).</summary>
    private static string Machine(string body, string members = "") => Sources.Door + $$"""
            [State, Handles(typeof(Kick), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;
            [State, Handles(typeof(Kick))] public sealed partial class Locked;

            [Procedure(typeof(Closed), typeof(Opened))] private void Swing() { }
            [Procedure(typeof(Locked))] private void Rattle() { }
        {{members}}

            [Handler]
            private void On(Kick e)
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public Task Without_a_guard_every_entry_state_is_checked() => Verify.Analyzer(Machine("""
                Move({|#0:DoorState.Opened|});
        """), States,
        // From Opened it is a self-move (no move).
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Equality_guard_restricts_the_branch() => Verify.Analyzer(Machine("""
                if (State == DoorState.Closed) Move(DoorState.Opened);
                else if (DoorState.Opened == this.State) Move(DoorState.Slamming);
                else Rattle();
        """), States);

    [Fact]
    public Task Inequality_guard_with_early_return() => Verify.Analyzer(Machine("""
                if (State != DoorState.Opened) return;
                Move(DoorState.Slamming);
        """), States);

    [Fact]
    public Task Pattern_guards_or_and_not() => Verify.Analyzer(Machine("""
                if (State is DoorState.Closed or DoorState.Opened) Swing();
                else Rattle();
                if (State is not (DoorState.Locked or DoorState.Opened)) Move(DoorState.Opened);
                if (!(State != DoorState.Locked)) Rattle();
        """), States);

    [Fact]
    public Task Switch_on_state_checks_each_case_from_its_state() => Verify.Analyzer(Machine("""
                switch (State)
                {
                    case DoorState.Closed:
                        Move(DoorState.Opened);
                        break;
                    case DoorState.Opened:
                        Move({|#0:DoorState.Closed|});
                        break;
                    default:
                        Rattle();
                        break;
                }
        """), States,
        Verify.NotPermitted(0, "Opened", "Closed", " on 'Kick'", "{Slamming}"));

    [Fact]
    public Task Guard_after_a_move_sees_the_new_state() => Verify.Analyzer(Machine("""
                if (State == DoorState.Closed) Move(DoorState.Opened);
                if (State == DoorState.Opened) Move(DoorState.Slamming);
                if (State == DoorState.Slamming) Move(DoorState.Closed);
                if (State == DoorState.Closed) Move(DoorState.Opened);
        """), States);
        // Each move is checked only from the states its guard admits at that point: Locked never
        // moves, and the last Closed was entered from Slamming (state-level set {Opened}).

    [Fact]
    public Task Guard_on_a_copy_narrows() => Verify.Analyzer(Machine("""
                var s = State;
                if (s == DoorState.Closed) Move(DoorState.Opened);
        """), States);

    [Fact]
    public Task Guard_on_a_copy_taken_before_a_move_is_not_a_guard() => Verify.Analyzer(Machine("""
                var s = State;
                if (State == DoorState.Opened) Move(DoorState.Slamming);
                // The copy may still say Opened while the machine is in Slamming: not a guard, every state is checked.
                if (s == DoorState.Opened) Move({|#0:DoorState.Opened|});
        """), States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"),
        Verify.NotPermitted(0, "Slamming", "Opened", "", "{Closed}"));

    [Fact]
    public Task Switch_capture_after_a_moving_when_clause_is_not_used_as_a_guard() => Verify.Analyzer(Machine("""
                switch (State)
                {
                    case DoorState.Closed when TryOpen():
                        break;
                    case DoorState.Opened:
                        // The capture is still Opened here, but the analyzer cannot know that a move in
                        // the when clause did not intervene: Locked is (conservatively) still possible.
                        Move({|#0:DoorState.Slamming|});
                        break;
                }
        """, """
            [Procedure(typeof(Closed))] private bool TryOpen() { Move(DoorState.Opened); return false; }
        """), States,
        Verify.NotPermitted(0, "Locked", "Slamming", " on 'Kick'", "{}"));

    [Fact]
    public Task Guard_in_a_procedure() => Verify.Analyzer(Machine("""
                if (State != DoorState.Locked) Settle();
        """, """
            [Procedure(typeof(Closed), typeof(Opened))]
            private void Settle()
            {
                if (State == DoorState.Closed) Move(DoorState.Opened);
                else Move(DoorState.Slamming);
                Move({|#0:DoorState.Closed|});
            }
        """), States,
        // After the guarded moves the machine is in Opened or Slamming; Opened does not permit Closed.
        Verify.NotPermitted(0, "Opened", "Closed", "", "{Slamming}"));

    [Fact]
    public Task Bool_local_from_a_state_test_narrows() => Verify.Analyzer(Machine("""
                var closed = State == DoorState.Closed;
                var hard = e.GetHashCode() > 3 && State is DoorState.Opened;
                if (closed) Move(DoorState.Opened);
                else if (hard) Move(DoorState.Slamming);
        """), States);

    [Fact]
    public Task Bool_local_false_branch_of_a_partial_test_does_not_narrow() => Verify.Analyzer(Machine("""
                var hard = e.GetHashCode() > 3 && State is DoorState.Opened;
                // hard may be false in Opened too: every state is still possible here.
                if (!hard) Move({|#0:DoorState.Opened|});
        """), States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Bool_local_after_a_move_is_not_a_guard() => Verify.Analyzer(Machine("""
                var closed = State == DoorState.Closed;
                if (closed) Move(DoorState.Opened);
                // Still true after the move, but the machine is in Opened now.
                if (closed) Move({|#0:DoorState.Opened|});
        """), States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Bool_local_written_again_is_not_a_guard() => Verify.Analyzer(Machine("""
                var closed = State == DoorState.Closed;
                Action reset = () => closed = true;
                reset();
                if (closed) Move({|#0:DoorState.Opened|});
        """), States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Bool_local_before_a_try_whose_catch_tests_it_is_not_a_guard_after_a_move_in_the_try() => Verify.Analyzer(Machine("""
                var closed = State == DoorState.Closed;
                try
                {
                    if (closed) Move(DoorState.Opened);
                    {|#1:Swing()|};
                }
                catch (InvalidOperationException)
                {
                    // The try may have moved Closed to Opened before it threw.
                    if (closed) Move({|#0:DoorState.Opened|});
                }
        """), States,
        Verify.Diagnostic("PSM103").WithLocation(1).WithArguments("Swing", "{Locked}", "{Closed, Opened}"),
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task State_predicates_narrow() => Verify.Analyzer(Machine("""
                if (IsClosed(State)) Move(DoorState.Opened);
                else if (IsOpen) Move(DoorState.Slamming);
                if (IsShut(State)) Rattle();
        """, """
            private static bool IsClosed(DoorState s) => s == DoorState.Closed;
            private bool IsOpen => State is DoorState.Opened;
            private bool IsShut(DoorState s)
            {
                var locked = s == DoorState.Locked;
                if (locked) return true;
                return false;
            }
        """), States);

    [Fact]
    public Task Predicates_that_cannot_be_read_do_not_narrow() => Verify.Analyzer(Machine("""
                if (DoorRules.IsClosed(State)) Move({|#0:DoorState.Opened|});
                if (Shut()) Move({|#1:DoorState.Opened|});
        """, """
            // A loop: not in the predicate language.
            private bool Shut() { foreach (var c in "x") { if (c == 'x') return State == DoorState.Closed; } return false; }
        """) + """

        // Not a member of the machine: its body is not read.
        public static class DoorRules
        {
            public static bool IsClosed(DoorState s) => s == DoorState.Closed;
        }
        """, States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"),
        Verify.NotPermitted(1, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Predicate_that_reassigns_its_state_parameter_does_not_narrow_by_the_argument() => Verify.Analyzer(Machine("""
                if (Lies(State)) Move({|#0:DoorState.Opened|});
        """, """
            private static bool Lies(DoorState s)
            {
                s = DoorState.Closed;
                return s == DoorState.Closed;
            }
        """), States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Predicate_that_moves_is_not_a_predicate() => Verify.Analyzer(Machine("""
                if (OpenIfClosed()) Move({|#0:DoorState.Slamming|});
        """, """
            [Procedure(typeof(Closed), typeof(Opened), typeof(Locked))]
            private bool OpenIfClosed()
            {
                if (State != DoorState.Closed) return false;
                Move(DoorState.Opened);
                return true;
            }
        """), States,
        Verify.NotPermitted(0, "Locked", "Slamming", " on 'Kick'", "{}"));

    [Fact]
    public Task Decision_function_narrows_a_switch_on_its_result() => Verify.Analyzer(Machine("""
                var choice = Decide(e.GetHashCode());
                switch (choice)
                {
                    case Choice.Open:
                        Move(DoorState.Opened);
                        break;
                    case Choice.Slam:
                        Move(DoorState.Slamming);
                        break;
                    case Choice.Rattle:
                        Rattle();
                        break;
                }
        """, """
            private enum Choice { Open, Slam, Rattle, Wait }

            private Choice Decide(int n)
            {
                if (State == DoorState.Closed) return Choice.Open;
                if (State is DoorState.Opened) return n > 0 ? Choice.Slam : Choice.Wait;
                return State == DoorState.Locked ? Choice.Rattle : Choice.Wait;
            }
        """), States);

    [Fact]
    public Task Decision_function_case_it_may_return_from_another_state_fires() => Verify.Analyzer(Machine("""
                switch (Decide())
                {
                    case Choice.Open:
                        Move({|#0:DoorState.Opened|});
                        break;
                }
        """, """
            private enum Choice { Open, Wait }

            private Choice Decide() => State is DoorState.Closed or DoorState.Locked ? Choice.Open : Choice.Wait;
        """), States,
        Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Relational_patterns_and_switch_expressions_narrow() => Verify.Analyzer(Machine("""
                // Enum values: Closed 0, Opened 1, Slamming 2, Locked 3.
                if (State is >= DoorState.Closed and < DoorState.Opened) Move(DoorState.Opened);
                var swing = State switch { DoorState.Opened => true, _ => false };
                if (swing) Move(DoorState.Slamming);
        """), States);
}
