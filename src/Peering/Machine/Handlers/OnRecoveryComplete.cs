using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>RecoveryComplete (REDUCER.md §7.7), in Recovering.</summary>
    [Handler]
    private void On(RecoveryComplete e)
    {
        // An epoch of 0 passes the stale filter but not this guard once a reset happened.
        if (e.Epoch < _lastPeeringReset || !Targets().Contains(e.Peer))
        {
            return;
        }

        ApplyProgress(OsdSet.Empty.Add(e.Peer), setLocal: e.Peer == _whoami, "all replicas recovered");
    }
}
