using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>What a peer report is used for (REDUCER.md §7.3 guard table).</summary>
internal enum PeerReportUse
{
    Ignore,
    Store,
    StoreAndChooseActing,
}

public sealed partial class PeeringMachine
{
    /// <summary>
    /// PeerInfoReceived (REDUCER.md §7.3), in GetPeerInfo, WaitUpThru, Down and Incomplete (other
    /// states ignore it by declaration): decide from the state before the report, then apply.
    /// </summary>
    [Handler]
    private void On(PeerInfoReceived e)
    {
        switch (DecidePeerReport(e))
        {
            case PeerReportUse.Store:
                StorePeerInfo(e);
                break;
            case PeerReportUse.StoreAndChooseActing:
                StorePeerInfo(e);
                ChooseActing();
                break;
        }
    }

    /// <summary>The pure decision of REDUCER.md §7.3, rows 1-5 in order.</summary>
    private PeerReportUse DecidePeerReport(PeerInfoReceived e)
    {
        var fromThisInterval = _peersQueried.Contains(e.From) || _acting.Contains(e.From) || _up.Contains(e.From) || _priorOsds.Contains(e.From);
        if (!fromThisInterval || (e.QueryEpoch > 0 && e.QueryEpoch < _lastPeeringReset))
        {
            return PeerReportUse.Ignore;
        }

        // Down, Incomplete and WaitUpThru choose again on every report; GetPeerInfo only once this
        // report makes enough, judged before it is stored.
        return State != PgState.GetPeerInfo || EnoughIf(e.From) ? PeerReportUse.StoreAndChooseActing : PeerReportUse.Store;
    }

    /// <summary><c>Store</c>: the report under the transport sender's id (replacing any entry, even the self entry).</summary>
    private void StorePeerInfo(PeerInfoReceived e)
    {
        _peers = _peers.Set(e.Info.WithOsd(e.From));
        _peersResponded = _peersResponded.Add(e.From);
        RefreshAll();
    }
}
