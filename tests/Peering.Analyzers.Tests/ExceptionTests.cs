namespace Peering.Analyzers.Tests;

/// <summary>
/// Exception semantics: .NET runs the filters of enclosing catches before the finally blocks
/// nested in their try (two-pass unwinding), so a filter's states reach those finally blocks and
/// the catches after them; a filter on State narrows its catch.
/// </summary>
public class ExceptionTests
{
    private const string States = "Closed, Opened, Slamming, Locked";

    /// <summary>Push from Closed may go to Opened or Slamming; Opened continues to {opened}; Open() moves to Opened, called in a filter.</summary>
    private static string Machine(string opened, string body) => Sources.Door + $$"""
            [State, Handles(typeof(Push), typeof(Opened), typeof(Slamming))] public sealed partial class Closed;
            [State, Continues({{opened}})] public sealed partial class Opened;
            [State, Continues(typeof(Closed), typeof(Opened))] public sealed partial class Slamming;
            [State] public sealed partial class Locked;

            private bool _flag;
            private void Risky() { if (_flag) throw new InvalidOperationException(); }

            // Runs from every state a filter may see (a finally block may throw too).
            [Procedure(typeof(Closed), typeof(Opened), typeof(Slamming))]
            private bool Open() { Move(DoorState.Opened); return _flag; }

            [Handler]
            private void On(Push e)
            {
        {{body}}
            }
        }
        """;

    private const string FilterBeforeInnerFinally = """
                try
                {
                    try { Risky(); }
                    finally { Move({|#0:DoorState.Slamming|}); }
                }
                catch (InvalidOperationException) when (Open())
                {
                }
        """;

    [Theory]
    [InlineData("typeof(Closed)", true)]
    [InlineData("typeof(Closed), typeof(Slamming)", false)]
    public Task Inner_finally_is_entered_from_the_states_of_an_outer_filter(string openedContinues, bool fires) =>
        Verify.Analyzer(Machine(openedContinues, FilterBeforeInnerFinally), States,
            // The filter (through Open) runs first and moves to Opened; then the inner finally runs.
            fires ? [Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}")] : []);

    [Fact]
    public Task Catch_after_a_filter_is_entered_from_the_inner_finallys_exit_states() => Verify.Analyzer(Machine("typeof(Closed)", """
                    try
                    {
                        try { Risky(); }
                        finally { Move(DoorState.Opened); }
                    }
                    catch (InvalidOperationException) when (_flag)
                    {
                        // The inner finally ran between the filter and this catch: the machine is in Opened.
                        Move({|#0:DoorState.Slamming|});
                    }
            """), States,
            Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}"));

    [Theory]
    [InlineData("typeof(Closed)", true)]
    [InlineData("typeof(Closed), typeof(Slamming)", false)]
    public Task Later_catch_is_entered_from_the_states_of_a_false_filter(string openedContinues, bool fires) =>
        Verify.Analyzer(Machine(openedContinues, """
                    try { Risky(); }
                    catch (InvalidOperationException) when (Open()) { }
                    catch (Exception) { Move({|#0:DoorState.Slamming|}); }
            """), States,
            fires ? [Verify.NotPermitted(0, "Opened", "Slamming", "", "{Closed}")] : []);

    [Fact]
    public Task Later_filter_is_entered_from_the_states_of_an_earlier_filter() => Verify.Analyzer(Machine("typeof(Closed)", """
                    try { Risky(); }
                    catch (InvalidOperationException) when (Open()) { }
                    // Open (in the first filter) may have moved to Opened before this filter runs.
                    catch (Exception) when ({|#1:Slam()|}) { }
            """) + """

        partial class Door
        {
            [Procedure(typeof(Closed))] private bool Slam() { Move(DoorState.Slamming); return false; }
        }
        """, States,
        Verify.Diagnostic("PSM103").WithLocation(1).WithArguments("Slam", "{Opened}", "{Closed}"));

    /// <summary>Kick is handled in Closed (to Opened), Opened (to Slamming) and Locked (nowhere).</summary>
    private static string KickMachine(string filter) => Sources.Door + $$"""
            [State, Handles(typeof(Kick), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Kick), typeof(Slamming))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;
            [State, Handles(typeof(Kick))] public sealed partial class Locked;

            private bool _flag;

            [Handler]
            private void On(Kick e)
            {
                try { if (_flag) throw new InvalidOperationException(); }
                catch (InvalidOperationException) when ({{filter}}) { Move({|#0:DoorState.Opened|}); }
            }
        }
        """;

    [Fact]
    public Task Filter_on_state_narrows_its_catch() =>
        Verify.Analyzer(KickMachine("State == DoorState.Closed"), States);

    [Fact]
    public Task Filter_on_state_keeps_the_states_it_admits() =>
        Verify.Analyzer(KickMachine("State != DoorState.Opened"), States,
            Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));

    [Fact]
    public Task Filter_that_is_not_a_guard_keeps_every_state() =>
        Verify.Analyzer(KickMachine("_flag"), States,
            Verify.NotPermitted(0, "Locked", "Opened", " on 'Kick'", "{}"));
}
