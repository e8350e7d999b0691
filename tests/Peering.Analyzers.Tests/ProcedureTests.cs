namespace Peering.Analyzers.Tests;

/// <summary>PSM103 and procedure summaries: the states a call may leave the machine in.</summary>
public class ProcedureTests
{
    private const string PeeringStates = "GetPeerInfo, Active, Recovering, Clean, Down";

    /// <summary>REDUCER.md 5.8: activation moves to Active and, in the same step, on to Recovering or Clean.</summary>
    private static string Activation(string activeContinues) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Active), typeof(Down)), Ignores(typeof(Pull))] public sealed partial class GetPeerInfo;
            [State, Handles(typeof(Pull), typeof(GetPeerInfo)), Ignores(typeof(Push)), Continues({{activeContinues}})] public sealed partial class Active;
            [State, Handles(typeof(Pull), typeof(GetPeerInfo)), Ignores(typeof(Push))] public sealed partial class Recovering;
            [State, Handles(typeof(Pull), typeof(GetPeerInfo)), Ignores(typeof(Push))] public sealed partial class Clean;
            [State, Handles(typeof(Pull), typeof(GetPeerInfo)), Ignores(typeof(Push))] public sealed partial class Down;

            private int _avail;
            private bool _needsRecovery;

            [Handler] private void On(Push e) { _avail = e.Force; ActivateIfPossible(); }
            [Handler] private void On(Pull e) { Move(DoorState.GetPeerInfo); }

            [Procedure(typeof(GetPeerInfo))]
            private void ActivateIfPossible()
            {
                if (_avail < 2)
                {
                    Move(DoorState.Down);
                    return;
                }

                Move(DoorState.Active);
                if (_needsRecovery) Move(DoorState.Recovering);
                else Move({|#0:DoorState.Clean|});
            }
        }
        """;

    [Fact]
    public Task Activation_second_move_continued_from_active_is_allowed() =>
        Verify.Analyzer(Activation("typeof(Recovering), typeof(Clean)"), PeeringStates);

    [Fact]
    public Task Activation_second_move_not_continued_from_active_fires() =>
        Verify.Analyzer(Activation("typeof(Recovering)"), PeeringStates,
            Verify.NotPermitted(0, "Active", "Clean", "", "{GetPeerInfo, Recovering}"));

    [Fact]
    public Task Activation_states_after_the_call_are_the_procedure_exit_states() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Active), typeof(Down))] public sealed partial class GetPeerInfo;
            [State, Continues(typeof(Recovering), typeof(Clean))] public sealed partial class Active;
            [State, Continues(typeof(Clean))] public sealed partial class Recovering;
            [State] public sealed partial class Clean;
            [State] public sealed partial class Down;

            private bool _ok, _needsRecovery;

            // After the call the machine is in Down, Recovering or Clean (never Active, never GetPeerInfo).
            [Handler] private void On(Push e) { ActivateIfPossible(); Move({|#0:DoorState.Clean|}); }

            [Procedure(typeof(GetPeerInfo))]
            private void ActivateIfPossible()
            {
                if (!_ok) { Move(DoorState.Down); return; }
                Move(DoorState.Active);
                if (_needsRecovery) Move(DoorState.Recovering); else Move(DoorState.Clean);
            }
        }
        """, PeeringStates,
        Verify.NotPermitted(0, "Down", "Clean", "", "{}"));

    [Fact]
    public Task Procedure_called_after_a_move_is_checked_from_the_new_state() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            private bool _bolted;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); Settle(); }

            [Procedure(typeof(Slamming))]
            private void Settle() { if (_bolted) Move(DoorState.Closed); else Move(DoorState.Opened); }
        }
        """, "Closed, Opened, Slamming");

    [Fact]
    public Task Procedure_called_before_the_move_fires() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            private bool _bolted;

            [Handler] private void On(Pull e) { {|#0:Settle()|}; }

            [Procedure(typeof(Slamming))]
            private void Settle() { if (_bolted) Move(DoorState.Closed); else Move(DoorState.Opened); }
        }
        """, "Closed, Opened, Slamming",
        Verify.Diagnostic("PSM103").WithLocation(0).WithArguments("Settle", "{Opened}", "{Slamming}"));

    [Fact]
    public Task Procedure_called_from_an_undeclared_entry_state_fires() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State, Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Kick e) { {|#0:Slam()|}; }

            [Procedure(typeof(Closed))]
            private void Slam() { Move(DoorState.Slamming); }
        }
        """, "Closed, Opened, Slamming",
        Verify.Diagnostic("PSM103").WithLocation(0).WithArguments("Slam", "{Opened}", "{Closed}"));

    [Fact]
    public Task Procedure_called_from_declared_entry_states_is_allowed() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State, Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Kick e) { Slam(); }

            [Procedure(typeof(Closed), typeof(Opened))]
            private void Slam() { Move(DoorState.Slamming); }
        }
        """, "Closed, Opened, Slamming");

    [Fact]
    public Task Transition_in_a_procedure_is_checked_against_the_state_level_set() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Opened))] public sealed partial class Slamming;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); Settle(); }

            [Procedure(typeof(Slamming))]
            private void Settle() { Move({|#0:DoorState.Closed|}); }
        }
        """, "Closed, Opened, Slamming",
        Verify.NotPermitted(0, "Slamming", "Closed", "", "{Opened}"));

    [Fact]
    public Task Procedure_that_may_not_move_keeps_the_callers_states() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            private bool _bolted;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); MaybeClose(); {|#0:Lock()|}; }

            [Procedure(typeof(Slamming))]
            private void MaybeClose() { if (_bolted) Move(DoorState.Closed); }

            [Procedure(typeof(Closed))]
            private void Lock() { }
        }
        """, "Closed, Opened, Slamming",
        Verify.Diagnostic("PSM103").WithLocation(0).WithArguments("Lock", "{Slamming}", "{Closed}"));

    [Fact]
    public Task Procedure_that_always_moves_replaces_the_callers_states() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            private bool _bolted;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); MaybeClose(); Lock(); }

            [Procedure(typeof(Slamming))]
            private void MaybeClose() { if (_bolted) Move(DoorState.Closed); else Move(DoorState.Closed); }

            [Procedure(typeof(Closed))]
            private void Lock() { }
        }
        """, "Closed, Opened, Slamming");

    [Fact]
    public Task Procedure_that_does_not_move_keeps_the_entry_check() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Log(); Move({|#0:DoorState.Slamming|}); }
            [Handler] private void On(Kick e) { Move(DoorState.Slamming); }

            [Procedure(typeof(Closed))]
            private void Log() { }
        }
        """, "Closed, Opened, Slamming",
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Procedure_calling_a_procedure_is_summarized_transitively() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Pull), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;

            [Handler] private void On(Pull e) { Outer(); Move({|#0:DoorState.Slamming|}); }

            [Procedure(typeof(Closed), typeof(Opened))]
            private void Outer() { Move(DoorState.Opened); Move(DoorState.Slamming); Inner(); }

            [Procedure(typeof(Slamming))]
            private void Inner() { Move(DoorState.Closed); }
        }
        """, "Closed, Opened, Slamming",
        // After Outer (through Inner) the machine is in Closed, whose permitted set is {Opened}.
        Verify.NotPermitted(0, "Closed", "Slamming", "", "{Opened}"));

    [Theory]
    [InlineData("typeof(Opened)", true)]
    [InlineData("typeof(Opened), typeof(Slamming)", false)]
    public Task Recursive_procedure_reaches_a_fixpoint(string closeRunsFrom, bool fires) => Verify.Analyzer(Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Opened))] public sealed partial class Slamming;

            private int _n;

            [Handler] private void On(Push e) { _n = e.Force; Move(DoorState.Opened); Swing(); {|#0:Close()|}; }

            // Only the recursive call's summary says the machine may end in Slamming.
            [Procedure(typeof(Opened), typeof(Slamming))]
            private void Swing()
            {
                if (_n-- <= 0) return;
                Move(DoorState.Slamming);
                Swing();
            }

            [Procedure({{closeRunsFrom}})]
            private void Close() { }
        }
        """, "Closed, Opened, Slamming",
        fires ? new[] { Verify.Diagnostic("PSM103").WithLocation(0).WithArguments("Close", "{Slamming}", "{Opened}") } : []);

    [Fact]
    public Task Mutually_recursive_procedures_reach_a_fixpoint() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Opened))] public sealed partial class Slamming;

            private int _n;

            [Handler] private void On(Push e) { Move(DoorState.Opened); Ping(); Move({|#0:DoorState.Closed|}); }

            [Procedure(typeof(Opened), typeof(Slamming))]
            private void Ping() { if (_n-- > 0) { Move(DoorState.Slamming); Pong(); } }

            [Procedure(typeof(Opened), typeof(Slamming))]
            private void Pong() { if (_n-- > 0) { Move(DoorState.Opened); Ping(); } }
        }
        """, "Closed, Opened, Slamming",
        // After Ping the machine may be in Opened or Slamming; neither permits Closed.
        Verify.NotPermitted(0, "Opened", "Closed", "", "{Slamming}"),
        Verify.NotPermitted(0, "Slamming", "Closed", "", "{Opened}"));

    [Fact]
    public Task Procedure_with_an_expression_body_is_followed() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) => Open();

            [Procedure(typeof(Closed))]
            private void Open() => Move({|#0:DoorState.Slamming|});
        }
        """, "Closed, Opened, Slamming",
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));
}
