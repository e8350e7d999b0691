using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>RecoveryComplete (REDUCER.md §7.7), in Recovering: decide, then apply the progress.</summary>
    [Handler]
    private void On(RecoveryComplete e)
    {
        if (DecideRecoveryComplete(e) is { } progress)
        {
            ApplyProgress(progress);
        }
    }

    /// <summary>The pure decision of REDUCER.md §7.7, rows 2-4: a completion by a current target, or nothing.</summary>
    private RecoveryProgress? DecideRecoveryComplete(RecoveryComplete e)
    {
        // An epoch of 0 passes the stale filter but not this guard once a reset happened.
        return e.Epoch < _lastPeeringReset || !Targets().Contains(e.Peer)
            ? null
            : new RecoveryProgress([e.Peer], SetLocal: e.Peer == _whoami, "all replicas recovered");
    }
}
