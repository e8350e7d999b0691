using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// <c>BeginPrimary(prior)</c> (REDUCER.md §5.6): start peering, record the prior set and the
    /// primary's own report, query the probes, and choose the acting set at once if nothing is
    /// left to ask. Runs from every state (Initialize and a new-interval AdvanceMap).
    /// </summary>
    [Procedure(typeof(Initial), typeof(Reset), typeof(GetPeerInfo), typeof(WaitUpThru), typeof(Active), typeof(Recovering),
        typeof(Clean), typeof(Stray), typeof(ReplicaActive), typeof(Down), typeof(Incomplete), typeof(Deleting))]
    private void BeginPrimary(ValueList<int> prior)
    {
        Move(PgState.GetPeerInfo, "start peering as primary");
        // Built at once, not id by id: a long prior list stays linear (docs/trace-input.md, line limit).
        var kept = new Scratch<int>(stackalloc int[16]);
        foreach (var x in prior)
        {
            if (x >= 0 && x != _whoami)
            {
                kept.Add(x);
            }
        }

        _priorOsds = OsdSet.Of(kept.Items);

        // The primary's own report: its blob metadata deliberately left empty.
        _peers = _peers.Set(new PeerInfo(
            _whoami, _local.CommittedSeq, _local.CommittedLength, _local.Image, default,
            _local.LastEpochStarted, _local.LastIntervalStarted));
        _peersResponded = _peersResponded.Add(_whoami);
        RefreshAll();
        QueryProbes();
        if (Enough())
        {
            ChooseActing();
        }
    }
}
