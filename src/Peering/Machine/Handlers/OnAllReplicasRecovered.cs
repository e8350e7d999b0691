using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// AllReplicasRecovered (REDUCER.md §7.8), in Recovering and Active: accepted only when the
    /// listed peers are targets and, with those already recovered, are exactly the target set.
    /// </summary>
    [Handler]
    private void On(AllReplicasRecovered e)
    {
        if (e.Epoch < _lastPeeringReset)
        {
            return;
        }

        var targets = Targets();
        var listed = OsdSet.Of(e.Peers.AsSpan());
        if (!listed.IsSubsetOf(targets) || _recovered.Union(listed) != targets)
        {
            return;
        }

        // set_local is true even when whoami was not a target.
        ApplyProgress(listed, setLocal: true, "all replicas recovered (batch)");
    }
}
