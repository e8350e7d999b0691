using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>What <c>ActivateIfPossible</c> decided (REDUCER.md §5.8 decision phase).</summary>
internal enum ActivationOutcome
{
    PendingActingChange,
    Down,
    Recovering,
    Clean,
}

/// <summary>An ActivateIfPossible decision, computed before any mutation: whether the local PG is clamped to the authority, and the recovery targets.</summary>
internal readonly record struct ActivationDecision(ActivationOutcome Outcome, bool ClampLocal, ValueList<RecoveryTarget> Targets);

public sealed partial class PeeringMachine
{
    /// <summary>
    /// <c>ActivateIfPossible</c> (REDUCER.md §5.8): decide, then activate: Active, and in the same
    /// step on to Recovering or Clean.
    /// </summary>
    [Procedure(typeof(GetPeerInfo), typeof(WaitUpThru), typeof(Down), typeof(Incomplete))]
    private void ActivateIfPossible()
    {
        var d = DecideActivation();
        switch (d.Outcome)
        {
            case ActivationOutcome.PendingActingChange:
                break;
            case ActivationOutcome.Down:
                Move(PgState.Down, "min_size check failed at activation");
                Publish();
                break;
            case ActivationOutcome.Recovering or ActivationOutcome.Clean:
                _local = _local.WithStarted(_epoch, _epoch);
                if (d.ClampLocal)
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
                if (d.Outcome == ActivationOutcome.Recovering)
                {
                    Move(PgState.Recovering, "replicas need recovery");
                    Emit(new ScheduleRecovery(_pgid, d.Targets));
                }
                else
                {
                    Move(PgState.Clean, "all replicas up to date");
                    Emit(new MarkClean(_pgid));
                }

                break;
        }
    }

    /// <summary>The pure decision phase of ActivateIfPossible.</summary>
    private ActivationDecision DecideActivation()
    {
        if (_pendingActingChange)
        {
            return new(ActivationOutcome.PendingActingChange, false, default);
        }

        // whoami counts too, through its own peer_info entry (BeginPrimary put it there).
        if (AvailableIn(_acting) < _poolMinSize)
        {
            return new(ActivationOutcome.Down, false, default);
        }

        var clamp = _local.CommittedSeq >= _authSeq && Images.IsPrefix(_authImage, _local.Image);
        var targets = RecoveryTargets();
        return new(targets.IsEmpty ? ActivationOutcome.Clean : ActivationOutcome.Recovering, clamp, targets);
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
