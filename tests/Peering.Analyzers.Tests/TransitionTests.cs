namespace Peering.Analyzers.Tests;

/// <summary>PSM101: targets checked against Handles(E) from an entry state, against the state-level set after a move.</summary>
public class TransitionTests
{
    private const string States = "Closed, Opened, Slamming";

    [Fact]
    public Task Entry_move_to_declared_target_is_allowed() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move(DoorState.Opened); }
            [Handler] private void On(Pull e) { Move(DoorState.Slamming); }
        }
        """, States);

    [Fact]
    public Task Entry_move_to_undeclared_target_fires() => Verify.Analyzer(Sources.Door + """
            [State, {|#1:Handles(typeof(Push), typeof(Opened))|}] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
            [Handler] private void On(Pull e) { Move(DoorState.Slamming); }
        }
        """, States,
        // The additional location is the Handles attribute the code fix edits.
        Verify.Diagnostic("PSM101").WithLocation(0).WithLocation(1).WithArguments("Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Entry_move_is_checked_from_each_entry_state() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Closed))] public sealed partial class Opened;
            [State, Handles(typeof(Push), typeof(Closed))] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move({|#0:DoorState.Opened|}); }
            [Handler] private void On(Pull e) { Move(DoorState.Closed); }
        }
        """, States,
        Verify.NotPermitted(0, "Slamming", "Opened", " on 'Push'", "{Closed}"));

    [Fact]
    public Task Entry_move_uses_only_the_targets_of_the_handled_event() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
            [Handler] private void On(Kick e) { Move(DoorState.Slamming); }
        }
        """, States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Second_move_permitted_by_continues_is_allowed() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); Move(DoorState.Closed); }
        }
        """, States);

    [Fact]
    public Task Second_move_outside_state_level_set_fires() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Continues(typeof(Opened))] public sealed partial class Slamming;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); Move({|#0:DoorState.Closed|}); }
        }
        """, States,
        Verify.NotPermitted(0, "Slamming", "Closed", "", "{Opened}"));

    [Fact]
    public Task Second_move_state_level_set_includes_handles_targets_of_other_events() => Verify.Analyzer(Sources.Door + """
            [State] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Slamming))] public sealed partial class Opened;
            [State, Handles(typeof(Kick), typeof(Closed))] public sealed partial class Slamming;

            [Handler] private void On(Pull e) { Move(DoorState.Slamming); Move(DoorState.Closed); }
            [Handler] private void On(Kick e) { Move(DoorState.Closed); }
        }
        """, States);

    [Fact]
    public Task Self_move_is_not_a_move() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move(DoorState.Closed); Move(DoorState.Closed); Move(DoorState.Opened); Move(DoorState.Opened); }
        }
        """, States);

    [Fact]
    public Task Self_move_keeps_the_entry_check() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move(DoorState.Closed); Move({|#0:DoorState.Slamming|}); }
            [Handler] private void On(Kick e) { Move(DoorState.Slamming); }
        }
        """, States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Moving_back_to_the_entry_state_is_checked_as_entered() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Closed;
            [State, Continues(typeof(Closed))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            // Closed -> Opened -> Closed: the last move is checked against Closed's state-level set (it includes Kick's Slamming).
            [Handler] private void On(Push e) { Move(DoorState.Opened); Move(DoorState.Closed); Move(DoorState.Slamming); Move({|#0:DoorState.Opened|}); }
            [Handler] private void On(Kick e) { Move(DoorState.Slamming); }
        }
        """, States,
        Verify.NotPermitted(0, "Slamming", "Opened", "", "{}"));

    [Fact]
    public Task Constant_that_names_no_state_fires() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Handler] private void On(Push e) { Move({|#0:DoorState.Ajar|}); Move({|#1:(DoorState)42|}); }
        }
        """, "Closed, Opened, Slamming, Ajar",
        Verify.NotPermitted(0, "Closed", "Ajar", " on 'Push'", "{Opened}"),
        Verify.NotPermitted(1, "Closed", "42", " on 'Push'", "{Opened}"));

    [Fact]
    public Task Explicit_this_and_named_arguments_are_checked() => Verify.Analyzer(Sources.Door + """
            [State, Handles(typeof(Push), typeof(Opened)), Handles(typeof(Kick), typeof(Opened))] public sealed partial class Closed;
            [State] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

            [Transition] private void Go(string reason, DoorState to = DoorState.Slamming) { State = to; }

            [Handler] private void On(Push e) { this.Go(to: {|#0:DoorState.Slamming|}, reason: "x"); }
            [Handler] private void On(Kick e) { {|#1:Go("y")|}; }
        }
        """, States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"),
        Verify.NotPermitted(1, "Closed", "Slamming", " on 'Kick'", "{Opened}"));
}
