using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>Initialize (REDUCER.md §7.1): no guard, from any state; no deactivation effects.</summary>
    [Handler]
    private void On(Initialize e)
    {
        _pgid = e.Pgid;
        _whoami = e.Whoami;
        _epoch = e.Epoch;
        _acting = e.Acting;
        _up = e.Up;
        _poolSize = e.PoolSize;
        _poolMinSize = e.PoolMinSize;
        _local = e.LocalInfo;
        ResetInterval();
        _lastPeeringReset = e.Epoch;
        RefreshAll();
        if (e.Acting.Primary == e.Whoami)
        {
            BeginPrimary(e.PriorOsds);
        }
        else if (e.Acting.Contains(e.Whoami))
        {
            Move(PgState.Stray, "initialize as replica");
        }
        else
        {
            Move(PgState.Stray, "initialize as stray");
        }

        Emit(new UpdateHeartbeats(_acting.Osds));
    }
}
