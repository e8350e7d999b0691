using Peering.TestSupport;
using Peering.Generation;
using Peering.Machine;
using Peering.Model;

namespace Peering.Tests.Machine;

/// <summary>
/// TakeSnapshot gives back the same instance after a step that changed nothing (a stale event is
/// dropped, REDUCER.md §6 step 1; an ignored pair runs nothing), and a new, equal-to-Step one otherwise.
/// </summary>
public class SnapshotReuseTests
{
    private static PeeringMachine Primary(out PgSnapshot snapshot)
    {
        var trace = PeeringTools.SteppedTrace.Generated(PeeringEvents.Instance, "lean-core", 1, 0);
        trace.MoveNext();
        var machine = new PeeringMachine();
        machine.Apply(trace.Event);
        snapshot = machine.TakeSnapshot();
        Assert.Equal(PgState.GetPeerInfo, snapshot.State);
        return machine;
    }

    [Fact]
    public void An_ignored_event_keeps_the_snapshot_instance()
    {
        var machine = Primary(out var before);

        // GetPeerInfo ignores UpThruUpdated (REDUCER.md §13).
        Assert.Empty(machine.Apply(new UpThruUpdated(before.Epoch)));
        Assert.Same(before, machine.TakeSnapshot());
        Assert.Equal(PeeringMachine.Step(before, new UpThruUpdated(before.Epoch)).After, machine.TakeSnapshot());
    }

    [Fact]
    public void A_stale_event_keeps_the_snapshot_instance()
    {
        var machine = Primary(out var before);
        var stale = new PeerInfoReceived(1, new PeerInfo(1, 5, 5, default, default, 10, 0), before.LastPeeringReset - 1);
        Assert.Empty(machine.Apply(stale));
        Assert.Same(before, machine.TakeSnapshot());
    }

    [Fact]
    public void A_handled_event_gives_a_new_snapshot_equal_to_the_pure_step()
    {
        var machine = Primary(out var before);
        var e = new AdvanceMap(before.Epoch + 1, before.Acting with { Epoch = before.Epoch + 1 }, before.Up with { Epoch = before.Epoch + 1 }, before.PoolSize, before.PoolMinSize, default);
        machine.Apply(e);
        var after = machine.TakeSnapshot();
        Assert.NotSame(before, after);
        Assert.Same(after, machine.TakeSnapshot());
        Assert.Equal(PeeringMachine.Step(before, e).After, after);
        Assert.Equal(before.Epoch + 1, after.Epoch);
    }

    [Fact]
    public void Along_generated_traces_a_reused_snapshot_is_always_an_unchanged_one()
    {
        for (ulong seed = 1; seed <= 30; seed++)
        {
            var trace = PeeringTools.SteppedTrace.Generated(PeeringEvents.Instance, "full", seed, 300);
            while (trace.MoveNext())
            {
                if (ReferenceEquals(trace.Before, trace.After))
                {
                    Assert.Equal(PeeringMachine.Step(trace.Before, trace.Event).After, trace.After);
                    Assert.True(trace.Effects.IsEmpty);
                }
            }
        }
    }
}
