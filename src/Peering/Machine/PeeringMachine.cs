using System.Diagnostics.CodeAnalysis;
using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>
/// The reduced append-only peering machine for one PG on one OSD (REDUCER.md). Two entry points,
/// both generated from the declarations below: the pure <c>Step(snapshot, e)</c> (snapshot in,
/// snapshot and effects out) and the in-place <c>Step(e)</c> fast path (<see cref="Apply"/>); they
/// agree on every step.
/// </summary>
[StateMachine(typeof(PgEvent), typeof(PgEffect), typeof(PgSnapshot), StateTypeName = "PgState")]
public sealed partial class PeeringMachine
{
    // The machine state of REDUCER.md §4. Every value is immutable; mutation replaces a field.
    private ulong _pgid;
    private int _whoami;
    private uint _epoch;
    private ActingSet _acting;
    private ActingSet _up;
    private int _poolSize;
    private int _poolMinSize;
    private PgInfo _local;
    private ulong _authSeq;
    private ObjectImage _authImage;
    private AuthorityImage _authSources;
    private BlobMetaImage _authBlobMeta;
    private PeerMap _peers;
    private OsdSet _peersQueried;
    private OsdSet _peersResponded;
    private OsdSet _priorOsds;
    private ValueList<PeerRecoveryPlan> _peerPlans;
    private ValueList<ObjRecovery> _localPlan;
    private OsdSet _recovered;
    private OsdSet _timedOutProbes;
    private bool _needUpThru;
    private bool _activated;
    private bool _pendingActingChange;
    private uint _lastPeeringReset;

    // The last snapshot taken, while the machine has not changed since (a dropped or ignored event changes nothing).
    private PgSnapshot? _snapshot;

    /// <summary>A fresh machine (the state of <see cref="PgSnapshot.Fresh"/>).</summary>
    public PeeringMachine()
        : this(PgSnapshot.Fresh)
    {
    }

    /// <summary><c>Restore(S)</c> (REDUCER.md §6.1): a machine built from a snapshot, with the reference's fallbacks.</summary>
    public PeeringMachine(PgSnapshot s) => Restore(s);

    // Restore(S) in place: every field, so that the pure step can reuse a machine ([Restore]).
    [Restore]
    [MemberNotNull(nameof(_acting), nameof(_up), nameof(_local))]
    private void Restore(PgSnapshot s)
    {
        _snapshot = null;
        State = s.State;
        _pgid = s.Pgid;
        _whoami = s.Whoami;
        _epoch = s.Epoch;
        _acting = s.Acting;
        _up = s.Up;
        _poolSize = s.PoolSize;
        _poolMinSize = s.PoolMinSize;
        _local = s.LocalInfo;
        _authSeq = s.AuthSeq;
        _authImage = !s.AuthImage.IsEmpty ? s.AuthImage
            : !s.AuthSources.IsEmpty ? Authority.Values(s.AuthSources)
            : s.AuthLength > 0 ? Images.Img0(s.AuthLength)
            : default;
        _authSources = !s.AuthSources.IsEmpty ? s.AuthSources : Images.SourcesOf(s.AuthOsd, _authImage);
        _authBlobMeta = s.AuthBlobMeta;
        _peers = s.Peers;
        if (_authSeq == 0)
        {
            _authSeq = Authority.MaxSeq(Census());
        }

        _peersQueried = s.PeersQueried;
        _peersResponded = s.PeersResponded;
        _priorOsds = s.PriorOsds;
        _peerPlans = s.PeerRecoveryPlans;
        _localPlan = s.LocalRecoveryPlan;
        RefreshMissingPlans();

        _recovered = s.Recovered;
        _timedOutProbes = s.TimedOutProbes;
        _needUpThru = s.NeedUpThru;
        _activated = s.Activated;
        _pendingActingChange = s.PendingActingChange;
        _lastPeeringReset = s.LastPeeringReset;
        MaskClean();
    }

    /// <summary>
    /// The in-place step: what the pure <c>Step(snapshot, e)</c> (restore, handle, snapshot; REDUCER.md §6)
    /// does to this machine's snapshot, without the restore. Restoring a snapshot the reducer produced
    /// gives back the same machine except for the Clean masking, which <see cref="MaskClean"/> repeats,
    /// and the plan fallback, which <see cref="RefreshMissingPlans"/> repeats. The stale filter runs
    /// before it (<see cref="TakesEvent"/>).
    /// </summary>
    [Apply]
    private void Apply(PgEvent e)
    {
        var (unchanged, peerPlans, localPlan) = (_snapshot, _peerPlans, _localPlan);
        _snapshot = null;

        // What Step's restore would do to this machine's snapshot: a no-op for every machine the
        // reducer reaches (its plans are consistent), but a machine restored from a hand-made
        // Clean snapshot can leave Clean with masked (empty) plans that a restore recomputes.
        RefreshMissingPlans();
        if (Dispatch(e))
        {
            MaskClean();
        }
        else if (_peerPlans == peerPlans && _localPlan == localPlan)
        {
            // An ignored (state, event) pair runs nothing: the machine, already masked, is as it was.
            _snapshot = unchanged;
        }
    }

    /// <summary>The stale filter (REDUCER.md §6 step 1), before any restore: <see cref="IsFresh(PgEvent, uint)"/>.</summary>
    [Accepts]
    private bool TakesEvent(PgEvent e) => IsFresh(e, _lastPeeringReset);

    /// <summary>The plan fallback of <c>Restore</c> (REDUCER.md §6.1): empty plans outside Clean are recomputed when there is an authority.</summary>
    private void RefreshMissingPlans()
    {
        if (_peerPlans.IsEmpty && _localPlan.IsEmpty && (_authSeq > 0 || !_authImage.IsEmpty) && State != PgState.Clean)
        {
            RefreshPlans();
        }
    }

    /// <summary>
    /// <c>Snapshot(M)</c> (REDUCER.md §6.2): derived targets and the Clean masking. After a step that
    /// changed nothing (a stale or ignored event) it is the same instance as before, so that callers
    /// can tell an unchanged machine by reference and skip checking it again.
    /// </summary>
    [SnapshotFactory]
    public PgSnapshot TakeSnapshot() => _snapshot ??= BuildSnapshot();

    private PgSnapshot BuildSnapshot()
    {
        var clean = State == PgState.Clean;
        return new PgSnapshot(
            State, _pgid, _whoami, _epoch, _acting, _up, _poolSize, _poolMinSize, _local,
            _authSeq, _authImage, _authSources, _authBlobMeta, _peers,
            _peersQueried, _peersResponded, _priorOsds,
            clean ? default : Targets(),
            clean ? default : _peerPlans,
            clean ? default : _localPlan,
            clean ? default : _recovered,
            _timedOutProbes, _needUpThru, _activated, _pendingActingChange, _lastPeeringReset);
    }

    /// <summary>
    /// The stale filter (REDUCER.md §6 step 1): an event carrying an epoch is dropped, before any
    /// restore, when that epoch is non-zero and older than the last peering reset.
    /// </summary>
    public static bool IsFresh(PgEvent e, uint lastPeeringReset)
    {
        var epoch = e switch
        {
            PeerInfoReceived x => x.QueryEpoch,
            RecoveryComplete x => x.Epoch,
            AllReplicasRecovered x => x.Epoch,
            ReplicaActivate x => x.ActivationEpoch,
            ReplicaRecoveryComplete x => x.ActivationEpoch,
            _ => 0u,
        };
        return epoch == 0 || epoch >= lastPeeringReset;
    }

    // A Clean machine starts every step with empty plans and nothing recovered (REDUCER.md §6.2).
    private void MaskClean()
    {
        if (State == PgState.Clean)
        {
            _peerPlans = default;
            _localPlan = default;
            _recovered = default;
        }
    }

    /// <summary><c>Move(to, reason)</c> (REDUCER.md §5.1): a transition with its log; no-op when already there.</summary>
    [Transition]
    private void Move(PgState to, string reason)
    {
        if (State == to)
        {
            return;
        }

        Emit(new LogTransition(_pgid, State, to, reason));
        State = to;
    }
}
