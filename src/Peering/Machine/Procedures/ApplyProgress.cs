using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>
/// An accepted recovery completion (REDUCER.md §7.7, §7.8): the holders that now hold the
/// authority, whether the local PG is one of them, and the reason logged if the PG becomes clean.
/// </summary>
internal readonly record struct RecoveryProgress(OsdSet Completed, bool SetLocal, string Reason);

public sealed partial class PeeringMachine
{
    /// <summary>
    /// <c>ApplyProgress(completed, set_local, reason)</c> (REDUCER.md §5.9): the completed holders now
    /// hold the authority; once no target remains the PG is clean.
    /// </summary>
    [Procedure(typeof(Recovering), typeof(Active))]
    private void ApplyProgress(RecoveryProgress progress)
    {
        var authLength = _authImage.L0();
        foreach (var x in progress.Completed)
        {
            _recovered = _recovered.Add(x);
            _peers.TryGet(x, out var old);
            _peers = _peers.Set(new PeerInfo(
                x, _authSeq, authLength, _authImage, _authBlobMeta,
                old?.LastEpochStarted ?? 0, old?.LastIntervalStarted ?? 0));
        }

        if (progress.SetLocal)
        {
            _local = _local.WithProgress(_authImage, _authSeq).WithBlobMeta(_authBlobMeta);
        }

        // May move a source tie-break to a newly caught-up lower OSD id.
        RefreshAll();
        if (Targets().IsEmpty)
        {
            _recovered = default;
            Move(PgState.Clean, progress.Reason);
            Emit(new MarkClean(_pgid));
            Persist();
            Publish();
        }
    }
}
