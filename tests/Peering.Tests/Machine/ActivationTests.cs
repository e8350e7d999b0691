using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;
using static Peering.Tests.Machine.Snapshots;

namespace Peering.Tests.Machine;

/// <summary>
/// The two ActivateIfPossible outcomes that stop short of activation (REDUCER.md §5.8), reached
/// from WaitUpThru by UpThruUpdated (§7.5). Expected values are worked by hand from the spec.
/// </summary>
public class ActivationTests
{
    [Fact]
    public void A_pending_acting_change_blocks_activation_after_up_thru()
    {
        // §7.5: need_up_thru cleared and LIS raised to the epoch, then ActivateIfPossible does nothing at all.
        var s = Settled(PgState.WaitUpThru) with
        {
            LocalInfo = Local(120, Img((0, 120)), les: 10, lis: 9),
            NeedUpThru = true,
            PendingActingChange = true,
        };

        var r = PeeringMachine.Step(s, new UpThruUpdated(10));

        Assert.Empty(r.Effects);
        Assert.Equal(PgState.WaitUpThru, r.To);
        Assert.False(r.After.NeedUpThru);
        Assert.True(r.After.PendingActingChange);
        Assert.Equal(10u, r.After.LocalInfo.LastIntervalStarted);
    }

    [Fact]
    public void Too_few_known_acting_members_go_down_instead_of_activating()
    {
        // Both acting members are known (avail 2), below pool_min_size 3: Down, then Publish.
        var s = Settled(PgState.WaitUpThru) with { PoolSize = 3, PoolMinSize = 3, NeedUpThru = true };

        var r = PeeringMachine.Step(s, new UpThruUpdated(10));

        Assert.Equal(
            [
                new LogTransition(1, PgState.WaitUpThru, PgState.Down, "min_size check failed at activation"),
                new PublishStats(1, PgState.Down, 120, 120, 120, Img((0, 120)), Img((0, 120)), default, 2, 2),
            ],
            r.Effects);
        Assert.False(r.After.NeedUpThru);
    }
}
