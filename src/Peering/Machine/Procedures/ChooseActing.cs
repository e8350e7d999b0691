using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>What <c>ChooseActing</c> decided (REDUCER.md §5.7, decision table rows 1-6).</summary>
internal enum ActingOutcome
{
    Incomplete,
    Down,
    AskActingChange,
    AwaitUpThru,
    ProceedToActivate,
}

/// <summary>A ChooseActing decision with the authority it installs, computed without mutation.</summary>
internal readonly record struct ActingDecision(
    ActingOutcome Outcome,
    string Reason,
    ValueList<int> Want,
    ulong AuthSeq,
    AuthorityImage AuthSources,
    ObjectImage AuthImage,
    ValueList<PeerRecoveryPlan> PeerPlans,
    ValueList<ObjRecovery> LocalPlan);

public sealed partial class PeeringMachine
{
    /// <summary><c>ChooseActing</c> (REDUCER.md §5.7): decide, install the census authority, apply.</summary>
    [Procedure(typeof(GetPeerInfo), typeof(WaitUpThru), typeof(Down), typeof(Incomplete))]
    private void ChooseActing()
    {
        var d = DecideActing();
        _authSeq = d.AuthSeq;
        _authImage = d.AuthImage;
        _authSources = d.AuthSources;
        _peerPlans = d.PeerPlans;
        _localPlan = d.LocalPlan;

        // auth_blob_meta is not modified here.
        switch (d.Outcome)
        {
            case ActingOutcome.Incomplete:
                Move(PgState.Incomplete, d.Reason);
                Publish();
                break;
            case ActingOutcome.Down:
                Move(PgState.Down, d.Reason);
                Publish();
                break;
            case ActingOutcome.AskActingChange:
                Emit(new RequestActingChange(_pgid, d.Want));
                _pendingActingChange = true;
                break;
            case ActingOutcome.AwaitUpThru:
                _pendingActingChange = false;
                _needUpThru = true;
                Move(PgState.WaitUpThru, "need up_thru");
                Emit(new RequestUpThru(_epoch));
                break;
            case ActingOutcome.ProceedToActivate:
                _pendingActingChange = false;
                ActivateIfPossible();
                break;
        }
    }

    /// <summary>The pure decision phase of ChooseActing.</summary>
    private ActingDecision DecideActing()
    {
        // Row 1 ("no valid peer info", an empty census) cannot happen: the local entry is always in it.
        var census = Census();
        var seq = Authority.MaxSeq(census);
        var sources = Authority.Sources(census, _authSources);
        var image = Authority.Values(sources, _authImage);
        var peerPlans = Authority.PeerPlans(sources, seq, Replicas(), _peerPlans);
        var localPlan = Authority.LocalPlan(sources, _local, _localPlan);
        ActingDecision Decide(ActingOutcome outcome, string reason, ValueList<int> want = default) =>
            new(outcome, reason, want, seq, sources, image, peerPlans, localPlan);

        foreach (var t in _timedOutProbes)
        {
            if (_priorOsds.Contains(t) && !_peers.Contains(t))
            {
                return Decide(ActingOutcome.Down, "prior-interval probe timed out");
            }
        }

        var want = new Scratch<int>(stackalloc int[8]);
        WantActing(seq, image, ref want);
        if (want.Count < _poolMinSize)
        {
            return want.Count == 0
                ? Decide(ActingOutcome.Incomplete, "no peers available")
                : Decide(ActingOutcome.Down, "insufficient peers for min_size");
        }

        foreach (var x in want.Items)
        {
            if (!_acting.Contains(x))
            {
                return Decide(ActingOutcome.AskActingChange, "", ValueList.Create(want.Items));
            }
        }

        return _local.LastIntervalStarted < _epoch
            ? Decide(ActingOutcome.AwaitUpThru, "need up_thru")
            : Decide(ActingOutcome.ProceedToActivate, "");
    }

    /// <summary>
    /// The wanted acting list: the seed, then peers that are complete against the new authority,
    /// then any other known peer, in acting, up, prior order, up to the pool size.
    /// </summary>
    private void WantActing(ulong seq, ObjectImage image, ref Scratch<int> want)
    {
        var seed = _acting.Primary;
        want.Add(seed < 0 ? _whoami : seed);
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var x in _acting.Osds)
            {
                AddWanted(ref want, x, pass == 1 || IsComplete(x, seq, image));
            }

            foreach (var x in _up.Osds)
            {
                AddWanted(ref want, x, pass == 1 || IsComplete(x, seq, image));
            }

            foreach (var x in _priorOsds)
            {
                AddWanted(ref want, x, pass == 1 || IsComplete(x, seq, image));
            }
        }
    }

    private void AddWanted(ref Scratch<int> want, int x, bool eligible)
    {
        if (eligible && x >= 0 && !want.Contains(x) && want.Count < _poolSize && _peers.Contains(x))
        {
            want.Add(x);
        }
    }

    private bool IsComplete(int x, ulong seq, ObjectImage image) =>
        _peers.TryGet(x, out var p) && p.CommittedSeq >= seq && Images.Same(p.Image, image);
}
