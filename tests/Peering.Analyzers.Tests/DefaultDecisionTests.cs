namespace Peering.Analyzers.Tests;

/// <summary>
/// Handles and Ignores on the machine class are defaults (docs/toolkit.md §1): a state that declares
/// nothing about the event is an entry state of its handler with the default's targets; a state's
/// own Handles or Ignores of the event replaces the default, targets included.
/// </summary>
public class DefaultDecisionTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string defaults, string closed, string opened, string slamming, string push) =>
        Sources.Door.Replace("public sealed partial class Door", defaults + "\npublic sealed partial class Door", StringComparison.Ordinal) + $$"""
            [State{{closed}}] public sealed partial class Closed;
            [State{{opened}}] public sealed partial class Opened;
            [State{{slamming}}] public sealed partial class Slamming;

            [Handler] private void On(Push e) { {{push}} }
        }
        """;

    [Fact]
    public Task A_move_only_a_default_permits_is_accepted() => Verify.Analyzer(
        Machine("[Handles(typeof(Push), typeof(Opened))]", "", ", Ignores(typeof(Push))", ", Ignores(typeof(Push))", "Move(DoorState.Opened);"),
        States);

    [Fact]
    public Task A_move_the_default_does_not_permit_is_reported_from_every_inheriting_state() => Verify.Analyzer(
        Machine("[Handles(typeof(Push), typeof(Opened))]", "", "", ", Ignores(typeof(Push))", "Move({|#0:DoorState.Slamming|});"),
        States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push' (the machine's default)", "{Opened}"),
        Verify.NotPermitted(0, "Opened", "Slamming", " on 'Push' (the machine's default)", "{Opened}"));

    [Fact]
    public Task A_state_that_handles_the_event_itself_does_not_inherit_the_defaults_targets() => Verify.Analyzer(
        // The default permits Slamming; Closed's own Handles does not, and is not merged with it.
        Machine("[Handles(typeof(Push), typeof(Opened), typeof(Slamming))]", ", Handles(typeof(Push), typeof(Opened))", "", "", "Move({|#0:DoorState.Slamming|});"),
        States,
        Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"));

    [Fact]
    public Task A_state_that_ignores_the_event_itself_does_not_inherit_the_defaults_targets() => Verify.Analyzer(
        // From Closed (default) to Opened, then on: Opened ignores Push, so its permitted set is empty.
        Machine("[Handles(typeof(Push), typeof(Opened), typeof(Closed))]", "", ", Ignores(typeof(Push))", ", Ignores(typeof(Push))", "Move(DoorState.Opened); Move({|#0:DoorState.Closed|});"),
        States,
        Verify.NotPermitted(0, "Opened", "Closed", "", "{}"));

    [Fact]
    public Task A_default_handles_widens_the_state_level_permitted_set() => Verify.Analyzer(
        // The same step, with Opened inheriting the default: Opened -> Closed is now permitted.
        Machine("[Handles(typeof(Push), typeof(Opened), typeof(Closed))]", "", "", ", Ignores(typeof(Push))", "Move(DoorState.Opened); Move(DoorState.Closed);"),
        States);

    [Fact]
    public Task The_code_fix_does_not_widen_a_default()
    {
        // Adding Slamming to the default would permit it from every state that inherits it: no fix is offered.
        var source = Verify.Prelude + Machine("[Handles(typeof(Push), typeof(Opened))]", "", ", Ignores(typeof(Push))", ", Ignores(typeof(Push))", "Move({|#0:DoorState.Slamming|});");
        var expected = new[] { Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push' (the machine's default)", "{Opened}") };
        return Verify.CodeFix([source], [source], States, expected, expected);
    }
}
