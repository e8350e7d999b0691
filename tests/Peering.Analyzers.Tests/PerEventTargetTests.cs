namespace Peering.Analyzers.Tests;

/// <summary>
/// Handles(E, targets) bounds what a step on E can do, also through the procedures its handler
/// calls: a procedure's first move from an unmoved entry state is checked against that state's
/// Handles(E), and Continues applies only after the step moved into the state.
/// </summary>
public class PerEventTargetTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string SharedProcedure(string pushTargets) => Sources.Door + $$"""
            [State, Handles(typeof(Push){{pushTargets}}), Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Slam(); }
            [Handler] private void On(Kick e) { Slam(); }

            [Procedure(typeof(Closed))]
            private void Slam() { Move({|#0:DoorState.Slamming|}); }
        }
        """;

    [Fact]
    public Task Procedure_move_is_checked_against_the_calling_handlers_event() =>
        // Kick permits Slamming from Closed; Push does not, even though Closed's union over all events does.
        Verify.Analyzer(SharedProcedure(", typeof(Opened)"), States,
            Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Procedure_move_permitted_for_every_calling_event_is_allowed() =>
        Verify.Analyzer(SharedProcedure(", typeof(Opened), typeof(Slamming)"), States);

    [Fact]
    public Task Procedure_move_reached_through_another_procedure_keeps_the_event() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push)), Handles(typeof(Kick), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Outer(); }
            [Handler] private void On(Kick e) { Outer(); }

            [Procedure(typeof(Closed))] private void Outer() { Inner(); }
            [Procedure(typeof(Closed))] private void Inner() { Move({|#0:DoorState.Opened|}); }
        }
        """, States,
        Verify.NotPermitted(0, "Closed", "Opened", " on 'Push'", "{}"));

    [Theory]
    [InlineData("", true)]
    [InlineData("Move(DoorState.Slamming); Move(DoorState.Closed); ", false)]
    public Task Continues_applies_only_after_a_move_into_the_state(string enterClosedFirst, bool fires) => Verify.Analyzer(Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Slamming)), Continues(typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;

            [Handler] private void On(Push e) { {{enterClosedFirst}}Open(); }

            // From Closed, Continues(Opened) holds only once the step has moved into Closed.
            [Procedure(typeof(Closed))]
            private void Open() { Move({|#0:DoorState.Opened|}); }
        }
        """, States,
        fires ? [Verify.NotPermitted(0, "Closed", "Opened", " on 'Push'", "{Slamming}")] : []);

    [Fact]
    public Task Summary_depends_on_the_calling_state() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Push), typeof(Slamming)), Continues(typeof(Closed))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler]
            private void On(Push e)
            {
                if (State == DoorState.Closed)
                {
                    Step();
                    // Called from Closed, Step returns in Opened only (from Opened it would return in Slamming).
                    Move(DoorState.Closed);
                }
            }

            [Procedure(typeof(Closed), typeof(Opened))]
            private void Step() { if (State == DoorState.Closed) Move(DoorState.Opened); else Move(DoorState.Slamming); }
        }
        """, States);

    [Fact]
    public Task Uncalled_procedure_is_checked_from_its_runs_from_states() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Closed))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move(DoorState.Opened); }

            [Procedure(typeof(Opened))]
            private void Unused() { Move({|#0:DoorState.Slamming|}); }
        }
        """, States,
        Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));
}
