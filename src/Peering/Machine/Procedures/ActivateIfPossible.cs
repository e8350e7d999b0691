using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>
    /// <c>ActivateIfPossible</c> (REDUCER.md §5.8): check min_size, then activate: Active, and in the
    /// same step on to Recovering or Clean.
    /// </summary>
    [Procedure(typeof(GetPeerInfo), typeof(WaitUpThru), typeof(Down), typeof(Incomplete))]
    private void ActivateIfPossible()
    {
        if (_pendingActingChange)
        {
            return;
        }

        // whoami counts too, through its own peer_info entry (BeginPrimary put it there).
        if (AvailableIn(_acting) < _poolMinSize)
        {
            Move(PgState.Down, "min_size check failed at activation");
            Publish();
            return;
        }

        // Decided before any mutation: the clamp and the recovery targets.
        var clamp = _local.CommittedSeq >= _authSeq && Images.IsPrefix(_authImage, _local.Image);
        var targets = RecoveryTargets();

        _local = _local.WithStarted(_epoch, _epoch);
        if (clamp)
        {
            _local = _local.WithProgress(_authImage, _authSeq);
        }

        RefreshPlans();
        Move(PgState.Active, "peering complete");
        var authInfo = new PeerInfo(_whoami, _authSeq, _authImage.L0(), _authImage, _authBlobMeta, _epoch, _epoch);
        foreach (var x in _acting.Osds)
        {
            if (x >= 0 && x != _whoami)
            {
                Emit(new SendActivate(x, _pgid, authInfo, _authSources, _authBlobMeta, _authSeq, _epoch));
            }
        }

        Emit(new ActivatePg(_pgid, _authSeq, _authImage.L0(), _authImage, _authBlobMeta, _epoch));
        Persist();
        Publish();
        if (!targets.IsEmpty)
        {
            Move(PgState.Recovering, "replicas need recovery");
            Emit(new ScheduleRecovery(_pgid, targets));
        }
        else
        {
            Move(PgState.Clean, "all replicas up to date");
            Emit(new MarkClean(_pgid));
        }
    }

    /// <summary>The <c>ScheduleRecovery</c> targets of the current plans: each peer plan, then the local PG if behind.</summary>
    private ValueList<RecoveryTarget> RecoveryTargets()
    {
        var targets = new List<RecoveryTarget>(_peerPlans.Count + 1);
        var authLength = _authImage.L0();
        foreach (var plan in _peerPlans)
        {
            var known = _peers.TryGet(plan.Target, out var p);
            targets.Add(new RecoveryTarget(
                plan.Target, known ? p!.CommittedLength : 0, authLength,
                known ? p!.CommittedSeq : 0, _authSeq, plan.Recoveries));
        }

        if (!_localPlan.IsEmpty || _local.CommittedSeq < _authSeq)
        {
            targets.Add(new RecoveryTarget(_whoami, _local.CommittedLength, authLength, _local.CommittedSeq, _authSeq, _localPlan));
        }

        return ValueList.Own(targets.ToArray());
    }
}
