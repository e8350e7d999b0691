using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>ActivateCommitted (REDUCER.md §7.6), in the active states.</summary>
    [Handler]
    private void On(ActivateCommitted e)
    {
        _activated = true;
        Persist();
    }
}
