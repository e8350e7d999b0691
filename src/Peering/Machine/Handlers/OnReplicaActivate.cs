using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// ReplicaActivate (REDUCER.md §7.9), in Stray and ReplicaActive: install the primary's authority,
    /// clamp the local image to it, then recompute authority from the census.
    /// </summary>
    [Handler]
    private void On(ReplicaActivate e)
    {
        if (!_acting.Contains(_whoami) || e.ActivationEpoch != _epoch || e.From != _acting.Primary)
        {
            return;
        }

        // Decided from the state before the event.
        var authInfo = e.AuthInfo.WithOsd(e.From);
        var authSeq = e.AuthoritativeSeq > 0 ? e.AuthoritativeSeq : authInfo.CommittedSeq;
        var authSources = !e.AuthSources.IsEmpty ? e.AuthSources : Images.SourcesOf(authInfo.Osd, authInfo.Image);
        var authImage = !authSources.IsEmpty ? Authority.Values(authSources) : authInfo.Image;
        var advance = authSeq <= _local.CommittedSeq && Images.IsPrefix(authImage, _local.Image);

        // The reference first installs the payload's authority provisionally; RefreshAuthority below
        // replaces all of it before anything reads it, so only the census matters.
        _peers = _peers.Set(authInfo);
        var localSeq = Math.Min(_local.CommittedSeq, authSeq);
        _local = _local.WithProgress(Images.Clamp(authImage, _local.Image), localSeq).WithBlobMeta(e.AuthBlobMeta);
        if (advance)
        {
            _local = _local.WithProgress(_local.Image, authSeq).WithStarted(e.ActivationEpoch, e.ActivationEpoch);
        }

        RefreshAuthority();
        _authBlobMeta = e.AuthBlobMeta;
        RefreshPlans();
        Move(PgState.ReplicaActive, "activated by primary");
        Persist();
        Publish();
    }
}
