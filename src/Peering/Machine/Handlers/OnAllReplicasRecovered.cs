using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>AllReplicasRecovered (REDUCER.md §7.8), in Recovering and Active: decide, then apply the progress.</summary>
    [Handler]
    private void On(AllReplicasRecovered e)
    {
        if (DecideBatchRecovered(e) is { } progress)
        {
            ApplyProgress(progress);
        }
    }

    /// <summary>
    /// The pure decision of REDUCER.md §7.8, rows 2-5: a batch is accepted only when the listed peers
    /// are targets and, with those already recovered, are exactly the target set.
    /// </summary>
    private RecoveryProgress? DecideBatchRecovered(AllReplicasRecovered e)
    {
        if (e.Epoch < _lastPeeringReset)
        {
            return null;
        }

        var targets = Targets();
        var listed = OsdSet.Of(e.Peers.AsSpan());

        // set_local is true even when whoami was not a target.
        return listed.IsSubsetOf(targets) && _recovered.Union(listed) == targets
            ? new RecoveryProgress(listed, SetLocal: true, "all replicas recovered (batch)")
            : null;
    }
}
