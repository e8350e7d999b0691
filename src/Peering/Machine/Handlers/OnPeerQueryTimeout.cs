using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// PeerQueryTimeout (REDUCER.md §7.4), in GetPeerInfo: any id is recorded as responded and timed
    /// out (no membership check, no refresh, peer_info untouched).
    /// </summary>
    [Handler]
    private void On(PeerQueryTimeout e)
    {
        var go = EnoughIf(e.Peer);
        _peersResponded = _peersResponded.Add(e.Peer);
        _timedOutProbes = _timedOutProbes.Add(e.Peer);
        if (go)
        {
            ChooseActing();
        }
    }
}
