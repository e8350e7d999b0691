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
    public Task BranchJoin_OneBranchMoves_ChecksBothStates() =>
        Verify.Analyzer(Machine("typeof(Closed)", BranchJoin), States,
            // Closed (unmoved) may go to Slamming on Push; Opened (entered) may not.
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task BranchJoin_BothStatesPermitTheMove_IsAllowed() =>
        Verify.Analyzer(Machine("typeof(Closed), typeof(Slamming)", BranchJoin), States);

    [Fact]
    public Task BranchJoin_ConditionalAndShortCircuit_AreFollowed() =>
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
    public Task Loop_BackEdgeCarriesTheStateIntoTheNextIteration(string slammingContinues, bool fires) => Verify.Analyzer(Sources.Door + $$"""
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
    public Task Loop_ForeachWithDisposableEnumerator(string slammingContinues, bool fires) => Verify.Analyzer(Sources.Door + $$"""
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
    public Task WhileLoop_WithBreakAndContinue() => Verify.Analyzer(Machine("typeof(Closed)", """
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
    public Task Switch_EachCaseFromTheEntryState_AndTheJoinAfterIt() =>
        Verify.Analyzer(Machine("typeof(Slamming)", Switch), States,
            // After the switch the machine is in Opened or Slamming; Opened does not permit Closed.
            Verify.NotPermitted(1, "Opened", "Closed", "", "{Slamming}"));

    [Fact]
    public Task Switch_CaseTargetNotDeclared_Fires() => Verify.Analyzer(Sources.Door + """
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
    public Task EarlyReturn_EndsThePath() => Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1)
                    {
                        Move(DoorState.Opened);
                        return;
                    }

                    Move(DoorState.Slamming);
            """), States);

    [Fact]
    public Task WithoutTheEarlyReturn_ThePathContinues() => Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1)
                    {
                        Move(DoorState.Opened);
                    }

                    Move({|#0:DoorState.Slamming|});
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Fact]
    public Task Throw_EndsThePath() => Verify.Analyzer(Machine("typeof(Closed)", """
                    if (e.Force > 1)
                    {
                        Move(DoorState.Opened);
                        throw new InvalidOperationException();
                    }

                    Move(DoorState.Slamming);
            """), States);

    [Fact]
    public Task Catch_IsEnteredFromAnyStateOfTheTry() => Verify.Analyzer(Machine("typeof(Closed)", """
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
    public Task Catch_WhenEveryStateOfTheTryPermitsTheMove_IsAllowed() => Verify.Analyzer(Machine("typeof(Closed), typeof(Slamming)", """
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
    public Task Finally_SeesEveryStateOfTheTry_AndItsExitIsWhatFollows(string openedContinues, bool fires) => Verify.Analyzer(Machine(openedContinues, """
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
    public Task CodeAfterFinally_StartsFromTheFinallysExitState() => Verify.Analyzer(Sources.Door + """
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
    public Task Finally_ExitStateIsCheckedAfterTheTry() => Verify.Analyzer(Machine("typeof(Closed)", """
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
    public Task CatchAroundAProcedure_SeesTheStatesTheProcedureMovedThrough() => Verify.Analyzer(Sources.Door + """
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
    public Task UsingAndLock_AreFollowed() => Verify.Analyzer(Machine("typeof(Closed)", """
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
