namespace Peering.Analyzers.Tests;

/// <summary>The data flow over the control-flow graph: joins, loops, switches, early exits, exception regions.</summary>
public class ControlFlowTests
{
    private const string States = "Closed, Opened, Slamming";

    /// <summary>Closed may go to Opened or Slamming on Push; Opened permits {opened}.</summary>
    private static string Machine(string opened, string body) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened), typeof(Slamming))] public sealed partial class Closed;
            [State, Continues({{opened}})] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            private bool _flag;
            private void Risky() { if (_flag) throw new InvalidOperationException(); }

            [Handler]
            private void On(Push e)
            {
        {{body}}
            }
        }
        """;

    private const string BranchJoin = """
                if (e.Force > 1) Move(DoorState.Opened);
                Move({|#0:DoorState.Slamming|});
        """;

    [Fact]
    public Task Branch_join_one_branch_moves_checks_both_states() =>
        Verify.Analyzer(Machine("typeof(Closed)", BranchJoin), States,
            // Closed (unmoved) may go to Slamming on Push; Opened (entered) may not.
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task Branch_join_both_states_permit_the_move_is_allowed() =>
        Verify.Analyzer(Machine("typeof(Closed), typeof(Slamming)", BranchJoin), States);

    [Fact]
    public Task Branch_join_conditional_and_short_circuit_are_followed() =>
        Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1 && _flag) Move(DoorState.Opened);
                    Move({|#1:_flag ? DoorState.Closed : DoorState.Closed|});
                    Move({|#0:DoorState.Slamming|});
            """), States,
            // A conditional target is not a constant (PSM102) and is not followed.
            Verify.Diagnostic("PSM102").WithLocation(1).WithArguments("Move"),
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Theory]
    [InlineData("typeof(Closed)", true)]
    [InlineData("typeof(Closed), typeof(Slamming)", false)]
    public Task Loop_back_edge_carries_the_state_into_the_next_iteration(string slammingContinues, bool fires) => Verify.Analyzer(Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State, Continues({{slammingContinues.Replace("Slamming", "Opened")}})] public sealed partial class Slamming;

            [Handler]
            private void On(Push e)
            {
                for (var i = 0; i < e.Force; i++)
                {
                    // First iteration from Closed; the next ones from Slamming.
                    Move({|#0:DoorState.Opened|});
                    Move(DoorState.Slamming);
                }
            }
        }
        """, States,
        fires ? new[] { Verify.NotPermitted(0, "Slamming", "Opened", "", "{Closed}") } : []);

    [Theory]
    [InlineData("typeof(Closed)", true)]
    [InlineData("typeof(Closed), typeof(Opened)", false)]
    public Task Loop_foreach_with_disposable_enumerator(string slammingContinues, bool fires) => Verify.Analyzer(Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State, Continues({{slammingContinues}})] public sealed partial class Slamming;

            [Handler]
            private void On(Push e)
            {
                foreach (var x in new System.Collections.Generic.List<int> { 1, 2 })
                {
                    Move({|#0:DoorState.Opened|});
                    Move(DoorState.Slamming);
                }
            }
        }
        """, States,
        fires ? new[] { Verify.NotPermitted(0, "Slamming", "Opened", "", "{Closed}") } : []);

    [Fact]
    public Task While_loop_with_break_and_continue() => Verify.Analyzer(Machine("typeof(Closed)", """
                    var i = 0;
                    while (true)
                    {
                        i++;
                        if (i == 1) continue;
                        if (i > e.Force) break;
                        Move(DoorState.Opened);
                    }

                    Move({|#0:DoorState.Slamming|});
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    private const string Switch = """
                switch (e.Force)
                {
                    case 0:
                        Move(DoorState.Opened);
                        break;
                    case 1:
                        Move({|#0:DoorState.Slamming|});
                        break;
                    default:
                        return;
                }

                Move({|#1:DoorState.Closed|});
        """;

    [Fact]
    public Task Switch_each_case_from_the_entry_state_and_the_join_after_it() =>
        Verify.Analyzer(Machine("typeof(Slamming)", Switch), States,
            // After the switch the machine is in Opened or Slamming; Opened does not permit Closed.
            Verify.NotPermitted(1, "Opened", "Closed", "", "{Slamming}"));

    [Fact]
    public Task Switch_case_target_not_declared_fires() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Closed))] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;

            [Handler]
            private void On(Push e)
            {
                switch (e.Force)
                {
                    case 0: Move(DoorState.Opened); break;
                    case 1: Move({|#0:DoorState.Slamming|}); break;
                }

                Move(DoorState.Closed);
            }
        }
        """, States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Early_return_ends_the_path() => Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1)
                    {
                        Move(DoorState.Opened);
                        return;
                    }

                    Move(DoorState.Slamming);
            """), States);

    [Fact]
    public Task Without_the_early_return_the_path_continues() => Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1)
                    {
                        Move(DoorState.Opened);
                    }

                    Move({|#0:DoorState.Slamming|});
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task Throw_ends_the_path() => Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1)
                    {
                        Move(DoorState.Opened);
                        throw new InvalidOperationException();
                    }

                    Move(DoorState.Slamming);
            """), States);

    [Fact]
    public Task Catch_is_entered_from_any_state_of_the_try() => Verify.Analyzer(Machine("typeof(Closed)", """
                    try
                    {
                        Move(DoorState.Opened);
                        Risky();
                    }
                    catch (InvalidOperationException)
                    {
                        Move({|#0:DoorState.Slamming|});
                    }
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task Catch_when_every_state_of_the_try_permits_the_move_is_allowed() => Verify.Analyzer(Machine("typeof(Closed), typeof(Slamming)", """
                    try
                    {
                        Move(DoorState.Opened);
                        Risky();
                    }
                    catch (InvalidOperationException) when (_flag)
                    {
                        Move(DoorState.Slamming);
                    }
            """), States);

    [Theory]
    [InlineData("typeof(Closed)", true)]
    [InlineData("typeof(Slamming)", false)]
    public Task Finally_sees_every_state_of_the_try_and_its_exit_is_what_follows(string openedContinues, bool fires) => Verify.Analyzer(Machine(openedContinues, """
                    try
                    {
                        if (_flag) return;
                        Move(DoorState.Opened);
                    }
                    finally
                    {
                        Move({|#0:DoorState.Slamming|});
                    }

                    // From Slamming (the finally's exit), not from Opened.
                    Move(DoorState.Opened);
            """), States,
            fires ? new[] { Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}") } : []);

    [Fact]
    public Task Code_after_finally_starts_from_the_finallys_exit_state() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened), typeof(Slamming))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming), typeof(Closed))] public sealed partial class Opened;
            [State, Continues(typeof(Opened))] public sealed partial class Slamming;

            [Handler]
            private void On(Push e)
            {
                try { Move(DoorState.Opened); }
                finally { Move(DoorState.Slamming); }

                // From Slamming (which does not permit Closed), not from Opened (which does).
                Move({|#0:DoorState.Closed|});
            }
        }
        """, States,
        Verify.NotPermitted(0, "Slamming", "Closed", "", "{Opened}"));

    [Fact]
    public Task Finally_exit_state_is_checked_after_the_try() => Verify.Analyzer(Machine("typeof(Closed)", """
                    try
                    {
                        Move(DoorState.Opened);
                    }
                    finally
                    {
                        Risky();
                    }

                    Move({|#0:DoorState.Slamming|});
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task Catch_around_a_procedure_sees_the_states_the_procedure_moved_through() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened), typeof(Slamming))] public sealed partial class Closed;
            [State, Continues(typeof(Closed))] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            private bool _flag;

            [Handler]
            private void On(Push e)
            {
                try { Open(); }
                catch (InvalidOperationException) { Move({|#0:DoorState.Slamming|}); }
            }

            // Moves to Opened, may throw, then always returns in Closed.
            [Procedure(typeof(Closed))]
            private void Open()
            {
                Move(DoorState.Opened);
                if (_flag) throw new InvalidOperationException();
                Move(DoorState.Closed);
            }
        }
        """, States,
        Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task Using_and_lock_are_followed() => Verify.Analyzer(Machine("typeof(Closed)", """
                    using (var s = new System.IO.MemoryStream())
                    {
                        lock (s)
                        {
                            Move(DoorState.Opened);
                        }
                    }

                    Move({|#0:DoorState.Slamming|});
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));
}
