using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// ReplicaRecoveryComplete (REDUCER.md §7.10), in ReplicaActive: accept a completion that stays
    /// within the authority and does not go backwards. No transition, no authority refresh.
    /// </summary>
    [Handler]
    private void On(ReplicaRecoveryComplete e)
    {
        if (e.ActivationEpoch < _lastPeeringReset)
        {
            return;
        }

        var recovered = e.RecoveredImage.IsEmpty && e.NewCommittedLength > 0 ? Images.Img0(e.NewCommittedLength) : e.RecoveredImage;
        var clamped = Images.Clamp(_authImage, Images.Join(_local.Image, recovered));
        if (!Images.IsPrefix(_local.Image, clamped) || e.ActivationEpoch < _local.LastEpochStarted)
        {
            return;
        }

        var seq = e.NewCommittedSeq == 0 && !recovered.IsEmpty && Images.Same(recovered, _authImage) ? _authSeq : e.NewCommittedSeq;
        if (seq < _local.CommittedSeq || seq > _authSeq)
        {
            return;
        }

        _local = _local.WithProgress(clamped, seq).WithBlobMeta(_authBlobMeta).WithStarted(e.ActivationEpoch, e.ActivationEpoch);
        RefreshPlans();
        Persist();
        Publish();
    }
}
