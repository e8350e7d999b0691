namespace Peering.Analyzers.Tests;

/// <summary>AddPermittedTargetCodeFix: PSM101 from a handler entry state adds the target to that state's Handles.</summary>
public class CodeFixTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string closed, string handlers) => Verify.Prelude + Sources.Door + $$"""
            [State, {{closed}}] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Closed))] public sealed partial class Opened;
            [State, Continues(typeof(Closed))] public sealed partial class Slamming;

        {{handlers}}
        }
        """;

    [Fact]
    public Task Adds_the_target_to_the_handles_attribute() => Verify.CodeFix(
        new[] { Machine("Handles(typeof(Push), typeof(Opened))", """
                [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        new[] { Machine("Handles(typeof(Push), typeof(Opened), typeof(Slamming))", """
                [Handler] private void On(Push e) { Move(DoorState.Slamming); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        States,
        new[] { Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}") });

    [Fact]
    public Task Adds_the_target_of_a_procedures_first_move_to_the_calling_events_handles() => Verify.CodeFix(
        new[] { Machine("Handles(typeof(Push), typeof(Opened))", """
                [Handler] private void On(Push e) { Slam(); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
                [Procedure(typeof(Closed))] private void Slam() { Move({|#0:DoorState.Slamming|}); }
            """) },
        new[] { Machine("Handles(typeof(Push), typeof(Opened), typeof(Slamming))", """
                [Handler] private void On(Push e) { Slam(); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
                [Procedure(typeof(Closed))] private void Slam() { Move(DoorState.Slamming); }
            """) },
        States,
        new[] { Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}") });

    [Fact]
    public Task Adds_the_first_target_to_a_handles_without_targets() => Verify.CodeFix(
        new[] { Machine("Handles(typeof(Push))", """
                [Handler] private void On(Push e) { Move({|#0:DoorState.Opened|}); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        new[] { Machine("Handles(typeof(Push), typeof(Opened))", """
                [Handler] private void On(Push e) { Move(DoorState.Opened); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        States,
        new[] { Verify.NotPermitted(0, "Closed", "Opened", " on 'Push'", "{}") });

    [Theory]
    [InlineData("new[] { typeof(Opened) }", "new[] { typeof(Opened), typeof(Slamming) }")]
    [InlineData("new Type[] { typeof(Opened) }", "new Type[] { typeof(Opened), typeof(Slamming) }")]
    [InlineData("[typeof(Opened)]", "[typeof(Opened), typeof(Slamming)]")]
    public Task Extends_an_explicit_array(string before, string after) => Verify.CodeFix(
        new[] { Machine($"Handles(typeof(Push), {before})", """
                [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        new[] { Machine($"Handles(typeof(Push), {after})", """
                [Handler] private void On(Push e) { Move(DoorState.Slamming); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        States,
        new[] { Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}") });

    [Fact]
    public Task Edits_the_attribute_in_another_file() => Verify.CodeFix(
        new[]
        {
            Verify.Prelude + Sources.Door + """
                [Handler] private void On(Push e) { Move({|#0:DoorState.Slamming|}); }
            }
            """,
            """
            using Peering.StateMachines;

            namespace T;

            partial class Door
            {
                [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
                [State] public sealed partial class Opened;
                [State] public sealed partial class Slamming;
            }
            """,
        },
        new[]
        {
            Verify.Prelude + Sources.Door + """
                [Handler] private void On(Push e) { Move(DoorState.Slamming); }
            }
            """,
            """
            using Peering.StateMachines;

            namespace T;

            partial class Door
            {
                [State, Handles(typeof(Push), typeof(Opened), typeof(Slamming))] public sealed partial class Closed;
                [State] public sealed partial class Opened;
                [State] public sealed partial class Slamming;
            }
            """,
        },
        States,
        new[] { Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}") });

    [Fact]
    public Task No_fix_for_a_state_level_diagnostic() => Verify.CodeFix(
        new[] { Machine("Handles(typeof(Push), typeof(Slamming))", """
                [Handler] private void On(Push e) { Move(DoorState.Slamming); Move({|#0:DoorState.Opened|}); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        new[] { Machine("Handles(typeof(Push), typeof(Slamming))", """
                [Handler] private void On(Push e) { Move(DoorState.Slamming); Move({|#0:DoorState.Opened|}); }
                [Handler] private void On(Pull e) { Move(DoorState.Closed); }
            """) },
        States,
        new[] { Verify.NotPermitted(0, "Slamming", "Opened", "", "{Closed}") },
        remaining: new[] { Verify.NotPermitted(0, "Slamming", "Opened", "", "{Closed}") });

    [Fact]
    public Task Fix_all_adds_every_missing_target_once() => Verify.CodeFix(
        new[] { Machine("Handles(typeof(Push), typeof(Opened))", """
                [Handler] private void On(Push e)
                {
                    if (e.Force > 1) Move({|#0:DoorState.Slamming|});
                    else Move({|#1:DoorState.Slamming|});
                }

                [Handler] private void On(Pull e) { Move({|#2:DoorState.Slamming|}); }
            """) },
        new[] { Machine("Handles(typeof(Push), typeof(Opened), typeof(Slamming))", """
                [Handler] private void On(Push e)
                {
                    if (e.Force > 1) Move(DoorState.Slamming);
                    else Move(DoorState.Slamming);
                }

                [Handler] private void On(Pull e) { Move(DoorState.Slamming); }
            """).Replace("Handles(typeof(Pull), typeof(Closed))", "Handles(typeof(Pull), typeof(Closed), typeof(Slamming))") },
        States,
        new[]
        {
            Verify.NotPermitted(0, "Closed", "Slamming", " on 'Push'", "{Opened}"),
            Verify.NotPermitted(1, "Closed", "Slamming", " on 'Push'", "{Opened}"),
            Verify.NotPermitted(2, "Opened", "Slamming", " on 'Pull'", "{Closed}"),
        });
}
