using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>An accepted replica completion (REDUCER.md §7.10 row 7): the local image and sequence it installs.</summary>
internal readonly record struct ReplicaProgress(ObjectImage Image, ulong CommittedSeq);

public sealed partial class PeeringMachine
{
    /// <summary>
    /// ReplicaRecoveryComplete (REDUCER.md §7.10), in ReplicaActive: decide, then install the
    /// progress. No transition, no authority refresh.
    /// </summary>
    [Handler]
    private void On(ReplicaRecoveryComplete e)
    {
        if (DecideReplicaProgress(e) is not { } progress)
        {
            return;
        }

        _local = _local.WithProgress(progress.Image, progress.CommittedSeq).WithBlobMeta(_authBlobMeta)
            .WithStarted(e.ActivationEpoch, e.ActivationEpoch);
        RefreshPlans();
        Persist();
        Publish();
    }

    /// <summary>
    /// The pure decision of REDUCER.md §7.10, rows 2-6: a completion that stays within the authority
    /// and does not go backwards, or nothing.
    /// </summary>
    private ReplicaProgress? DecideReplicaProgress(ReplicaRecoveryComplete e)
    {
        if (e.ActivationEpoch < _lastPeeringReset)
        {
            return null;
        }

        var recovered = e.RecoveredImage.IsEmpty && e.NewCommittedLength > 0 ? Images.Img0(e.NewCommittedLength) : e.RecoveredImage;
        var clamped = Images.Clamp(_authImage, Images.Join(_local.Image, recovered));
        if (!Images.IsPrefix(_local.Image, clamped) || e.ActivationEpoch < _local.LastEpochStarted)
        {
            return null;
        }

        var seq = e.NewCommittedSeq == 0 && !recovered.IsEmpty && Images.Same(recovered, _authImage) ? _authSeq : e.NewCommittedSeq;
        return seq < _local.CommittedSeq || seq > _authSeq ? null : new ReplicaProgress(clamped, seq);
    }
}
