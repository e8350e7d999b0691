using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

/// <summary>
/// A machine with a [Restore] method: its pure step reuses one machine per thread, restored in
/// place. Whatever that machine did before, each pure step must equal the step of a machine built
/// for it, and a pure step inside a step, or after a step that threw, must not see the other's machine.
/// </summary>
public sealed class RestoreInPlaceTests
{
    private static readonly RelaySnapshot Fresh = new(RelayState.Open, 0, "");

    // The oracle: a new machine for the step.
    private static (RelaySnapshot After, RelayState From, RelayState To, RelayEffect[] Effects, SingleMove[] Moves) OnNewMachine(RelaySnapshot before, RelayEvent e)
    {
        var machine = new Relay(before);
        var from = machine.State;
        machine.Step(e);
        return (machine.TakeSnapshot(), from, machine.State, machine.Effects.ToArray(), machine.Moves.ToArray());
    }

    [Fact]
    public void Every_pure_step_equals_the_step_of_a_new_machine_whatever_the_last_one_did()
    {
        // Alternating states, flip counts and notes, so that anything left over from the last restore shows.
        RelaySnapshot[] befores = [Fresh, new(RelayState.Closed, 7, "seven"), new(RelayState.Open, 3, "three"), new(RelayState.Closed, 0, ""), Fresh];
        RelayEvent[] events = [new Flip("a"), new Ignored(), new Flip("b")];
        foreach (var e in events)
        {
            foreach (var before in befores)
            {
                var expected = OnNewMachine(before, e);
                var result = Relay.Step(before, e);
                Assert.Same(before, result.Before);
                Assert.Equal(expected.After, result.After);
                Assert.Equal(expected.From, result.From);
                Assert.Equal(expected.To, result.To);
                Assert.Equal(expected.Effects, result.Effects);
                Assert.Equal(expected.Moves, result.Moves);

                var after = Relay.Step(before, e, out var from, out var to, out var moves);
                Assert.Equal(expected.After, after);
                Assert.Equal((expected.From, expected.To), (from, to));
                Assert.Equal(expected.Moves, moves.ToArray());
            }
        }
    }

    [Fact]
    public void A_flip_from_a_restored_snapshot_is_one_checked_move_and_a_refused_event_returns_the_input()
    {
        var closed = new RelaySnapshot(RelayState.Closed, 4, "x");
        Relay.Step(Fresh, new Flip("warm up"));

        // Declared: Closed handles Flip -> Open; the restore itself is not a move.
        var result = Relay.Step(closed, new Flip("y"));
        Assert.Equal(new RelaySnapshot(RelayState.Open, 5, "y"), result.After);
        Assert.Equal([new SingleMove((int)RelayState.Closed, (int)RelayState.Open)], result.Moves);
        Assert.Equal([new Clicked(RelayState.Closed, RelayState.Open)], result.Effects);

        // [Accepts] refuses Ignored: the input snapshot itself, nothing emitted, no move.
        var refused = Relay.Step(closed, new Ignored());
        Assert.Same(closed, refused.After);
        Assert.Empty(refused.Effects);
        Assert.Empty(refused.Moves);
        Assert.Same(closed, Relay.Step(closed, new Ignored(), out _, out _, out var none));
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public void The_results_of_one_pure_step_do_not_change_with_the_next()
    {
        var first = Relay.Step(Fresh, new Flip("one"));
        var effects = first.Effects.ToArray();
        Relay.Step(new RelaySnapshot(RelayState.Closed, 9, "nine"), new Flip("two"));
        Assert.Equal(new RelaySnapshot(RelayState.Closed, 1, "one"), first.After);
        Assert.Equal(effects, first.Effects);
        Assert.Equal([new SingleMove((int)RelayState.Open, (int)RelayState.Closed)], first.Moves);
    }

    [Fact]
    public void A_pure_step_inside_a_pure_step_gets_a_machine_of_its_own()
    {
        // The Probe handler flips the other relay with the pure step while its own pure step runs.
        var other = new RelaySnapshot(RelayState.Closed, 2, "other");
        var result = Relay.Step(new RelaySnapshot(RelayState.Open, 5, "outer"), new Probe(other));
        Assert.Equal(new RelaySnapshot(RelayState.Open, 5, "Open/3/1"), result.After);
        Assert.Empty(result.Moves);
        Assert.Equal(OnNewMachine(new RelaySnapshot(RelayState.Open, 5, "outer"), new Probe(other)).After, result.After);

        // And the thread's machine is sound afterwards.
        Assert.Equal(new RelaySnapshot(RelayState.Closed, 6, "after"), Relay.Step(new RelaySnapshot(RelayState.Open, 5, "outer"), new Flip("after")).After);
    }

    [Fact]
    public void A_pure_step_that_throws_leaves_the_next_one_exact()
    {
        var closed = new RelaySnapshot(RelayState.Closed, 8, "c");
        Assert.Throws<InvalidOperationException>(() => Relay.Step(closed, new Jam()));
        Assert.Throws<InvalidOperationException>(() => Relay.Step(closed, new Jam(), out _, out _, out _));

        var result = Relay.Step(closed, new Flip("d"));
        Assert.Equal(new RelaySnapshot(RelayState.Open, 9, "d"), result.After);
        Assert.Equal([new Clicked(RelayState.Closed, RelayState.Open)], result.Effects);
    }

    [Fact]
    public void Pure_steps_on_many_threads_at_once_agree_with_new_machines()
    {
        var befores = Enumerable.Range(0, 64).Select(i => new RelaySnapshot(i % 2 == 0 ? RelayState.Open : RelayState.Closed, i, "n" + i)).ToArray();
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var before = befores[i % befores.Length];
            var e = new Flip("t" + i);
            var expected = OnNewMachine(before, e);
            var result = Relay.Step(before, e);
            Assert.Equal(expected.After, result.After);
            Assert.Equal(expected.Effects, result.Effects);
        });
    }

    [Fact]
    public void A_step_log_rewinds_between_steps_but_not_during_one()
    {
        var log = new StepLog<RelayEffect>(new TransitionGuard(Relay.Definition));
        log.Move(0, 1); // construction: not checked
        log.Begin(0);
        Assert.Throws<InvalidOperationException>(log.Rewind);
        log.End();
        Assert.Throws<UndeclaredTransitionException>(() => log.Move(1, 0)); // outside a step, after the first

        log.Rewind();
        log.Move(1, 0); // construction again
        Assert.True(log.Effects.IsEmpty);
        Assert.True(log.Moves.IsEmpty);
    }
}
