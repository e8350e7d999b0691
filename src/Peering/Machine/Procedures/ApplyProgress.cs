using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// <c>ApplyProgress(completed, set_local, reason)</c> (REDUCER.md §5.9): the completed holders now
    /// hold the authority; once no target remains the PG is clean.
    /// </summary>
    [Procedure(typeof(Recovering), typeof(Active))]
    private void ApplyProgress(OsdSet completed, bool setLocal, string reason)
    {
        var authLength = _authImage.L0();
        foreach (var x in completed)
        {
            _recovered = _recovered.Add(x);
            _peers.TryGet(x, out var old);
            _peers = _peers.Set(new PeerInfo(
                x, _authSeq, authLength, _authImage, _authBlobMeta,
                old?.LastEpochStarted ?? 0, old?.LastIntervalStarted ?? 0));
        }

        if (setLocal)
        {
            _local = _local.WithProgress(_authImage, _authSeq).WithBlobMeta(_authBlobMeta);
        }

        // May move a source tie-break to a newly caught-up lower OSD id.
        RefreshAll();
        if (Targets().IsEmpty)
        {
            _recovered = default;
            Move(PgState.Clean, reason);
            Emit(new MarkClean(_pgid));
            Persist();
            Publish();
        }
    }
}
