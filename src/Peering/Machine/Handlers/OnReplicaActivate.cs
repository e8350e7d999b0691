using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>
/// What an accepted ReplicaActivate installs (REDUCER.md §7.9 "Accept"), computed from the state
/// before the event: the sender's authority and whether the local history advances to it.
/// </summary>
internal readonly record struct ReplicaActivation(
    PeerInfo AuthInfo,
    ulong AuthSeq,
    AuthorityImage AuthSources,
    ObjectImage AuthImage,
    bool AdvanceHistory);

public sealed partial class PeeringMachine
{
    /// <summary>
    /// ReplicaActivate (REDUCER.md §7.9), in Stray and ReplicaActive: decide, then install the
    /// primary's authority, clamp the local image to it, and recompute authority from the census.
    /// </summary>
    [Handler]
    private void On(ReplicaActivate e)
    {
        if (DecideReplicaActivation(e) is not { } a)
        {
            return;
        }

        // The reference first installs the payload's authority provisionally; RefreshAuthority below
        // replaces all of it before anything reads it, so only the census matters.
        _peers = _peers.Set(a.AuthInfo);
        var localSeq = Math.Min(_local.CommittedSeq, a.AuthSeq);
        _local = _local.WithProgress(Images.Clamp(a.AuthImage, _local.Image), localSeq).WithBlobMeta(e.AuthBlobMeta);
        if (a.AdvanceHistory)
        {
            _local = _local.WithProgress(_local.Image, a.AuthSeq).WithStarted(e.ActivationEpoch, e.ActivationEpoch);
        }

        RefreshAuthority();
        _authBlobMeta = e.AuthBlobMeta;
        RefreshPlans();
        Move(PgState.ReplicaActive, "activated by primary");
        Persist();
        Publish();
    }

    /// <summary>
    /// The pure decision of REDUCER.md §7.9: rows 2-4 (only the acting primary activates a member of
    /// the acting set, for the current epoch), then the authority the activation installs.
    /// </summary>
    private ReplicaActivation? DecideReplicaActivation(ReplicaActivate e)
    {
        if (!_acting.Contains(_whoami) || e.ActivationEpoch != _epoch || e.From != _acting.Primary)
        {
            return null;
        }

        var authInfo = e.AuthInfo.WithOsd(e.From);
        var authSeq = e.AuthoritativeSeq > 0 ? e.AuthoritativeSeq : authInfo.CommittedSeq;
        var authSources = !e.AuthSources.IsEmpty ? e.AuthSources : Images.SourcesOf(authInfo.Osd, authInfo.Image);
        var authImage = !authSources.IsEmpty ? Authority.Values(authSources) : authInfo.Image;
        var advance = authSeq <= _local.CommittedSeq && Images.IsPrefix(authImage, _local.Image);
        return new ReplicaActivation(authInfo, authSeq, authSources, authImage, advance);
    }
}
