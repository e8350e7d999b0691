using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// PeerInfoReceived (REDUCER.md §7.3), in GetPeerInfo, WaitUpThru, Down and Incomplete (other
    /// states ignore it by declaration).
    /// </summary>
    [Handler]
    private void On(PeerInfoReceived e)
    {
        if (!_peersQueried.Contains(e.From) && !_acting.Contains(e.From) && !_up.Contains(e.From) && !_priorOsds.Contains(e.From))
        {
            return;
        }

        if (e.QueryEpoch > 0 && e.QueryEpoch < _lastPeeringReset)
        {
            return;
        }

        if (State == PgState.GetPeerInfo)
        {
            var go = EnoughIf(e.From);
            StorePeerInfo(e);
            if (go)
            {
                ChooseActing();
            }
        }
        else
        {
            StorePeerInfo(e);
            ChooseActing();
        }
    }

    /// <summary><c>Store</c>: the report under the transport sender's id (replacing any entry, even the self entry).</summary>
    private void StorePeerInfo(PeerInfoReceived e)
    {
        _peers = _peers.Set(e.Info.WithOsd(e.From));
        _peersResponded = _peersResponded.Add(e.From);
        RefreshAll();
    }
}
