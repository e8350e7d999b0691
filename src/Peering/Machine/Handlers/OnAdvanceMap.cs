using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>The kinds of map change (REDUCER.md §7.2 decision table).</summary>
internal enum MapChange
{
    Retry,
    SameMap,
    MinSizeDown,
    RetryAfterPool,
    PoolUpdate,
    NewPrimary,
    NewReplica,
    NewStray,
}

public sealed partial class PeeringMachine
{
    /// <summary>AdvanceMap (REDUCER.md §7.2): decide from the state before the event, then apply.</summary>
    [Handler]
    private void On(AdvanceMap e)
    {
        var change = DecideMapChange(e);
        var oldState = State;
        var retryAfterMinSize = _poolMinSize > e.NewPoolMinSize;
        _epoch = e.NewEpoch;
        _acting = e.NewActing;
        _up = e.NewUp;

        // The transition analyzer reads DecideMapChange as a decision function: each case runs only
        // from the states the decision can return it in (Retry from GetPeerInfo and WaitUpThru, ...).
        switch (change)
        {
            case MapChange.SameMap:
                Publish();
                break;
            case MapChange.PoolUpdate:
                SetPool(e);
                break;
            case MapChange.Retry:
                ChooseActing();
                break;
            case MapChange.RetryAfterPool:
                SetPool(e);
                ChooseActing();
                break;
            case MapChange.MinSizeDown:
                SetPool(e);
                if (oldState == PgState.Recovering)
                {
                    Emit(new CancelRecovery(_pgid));
                }

                Emit(new DeactivatePg(_pgid));
                Move(PgState.Down, "min_size increased, insufficient peers");
                Publish();
                if (retryAfterMinSize)
                {
                    ChooseActing();
                }

                break;
            case MapChange.NewPrimary or MapChange.NewReplica or MapChange.NewStray:
                SetPool(e);
                if (oldState == PgState.Recovering)
                {
                    Emit(new CancelRecovery(_pgid));
                }

                if (IsActive(oldState))
                {
                    Emit(new DeactivatePg(_pgid));
                }

                ResetInterval();
                _lastPeeringReset = e.NewEpoch;
                if (change == MapChange.NewPrimary)
                {
                    BeginPrimary(e.PriorOsds);
                }
                else
                {
                    RefreshAll();
                    Move(PgState.Stray, change == MapChange.NewReplica ? "new interval, replica" : "new interval, stray");
                }

                Emit(new UpdateHeartbeats(_acting.Osds));
                break;
        }
    }

    /// <summary>The pure decision of REDUCER.md §7.2, rows 1-8 in order (internal: AdvanceMapDecisionTests check the moves against it).</summary>
    internal MapChange DecideMapChange(AdvanceMap e)
    {
        var newInterval = !e.NewActing.SameOsds(_acting) || !e.NewUp.SameOsds(_up);
        var poolChanged = e.NewPoolSize != _poolSize || e.NewPoolMinSize != _poolMinSize;
        var nextPrimary = e.NewActing.Primary == _whoami;
        if (!newInterval)
        {
            if (!poolChanged)
            {
                return _pendingActingChange && nextPrimary && (State is PgState.GetPeerInfo or PgState.WaitUpThru)
                    ? MapChange.Retry
                    : MapChange.SameMap;
            }

            if (nextPrimary && IsActive(State) && AvailableIn(e.NewActing) < e.NewPoolMinSize)
            {
                return MapChange.MinSizeDown;
            }

            return nextPrimary && (State is PgState.Down or PgState.Incomplete) && _poolMinSize > e.NewPoolMinSize
                ? MapChange.RetryAfterPool
                : MapChange.PoolUpdate;
        }

        return nextPrimary ? MapChange.NewPrimary
            : e.NewActing.Contains(_whoami) ? MapChange.NewReplica
            : MapChange.NewStray;
    }

    /// <summary>Entries of the acting list that are known peers (repeats counted).</summary>
    private int AvailableIn(ActingSet acting)
    {
        var available = 0;
        foreach (var x in acting.Osds)
        {
            if (x >= 0 && _peers.Contains(x))
            {
                available++;
            }
        }

        return available;
    }

    private void SetPool(AdvanceMap e)
    {
        _poolSize = e.NewPoolSize;
        _poolMinSize = e.NewPoolMinSize;
    }
}
