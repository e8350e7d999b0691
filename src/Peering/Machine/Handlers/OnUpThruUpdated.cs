using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>UpThruUpdated (REDUCER.md §7.5), in WaitUpThru, for exactly the current epoch.</summary>
    [Handler]
    private void On(UpThruUpdated e)
    {
        if (e.Epoch != _epoch)
        {
            return;
        }

        _needUpThru = false;
        if (_local.LastIntervalStarted < _epoch)
        {
            _local = _local.WithStarted(_local.LastEpochStarted, _epoch);
        }

        ActivateIfPossible();
    }
}
