using Peering.Model;

namespace Peering.Machine;

// REDUCER.md §5.2-5.5: publishing, persisting, refreshing authority and plans, probes.
public sealed partial class PeeringMachine
{
    /// <summary><c>Known(whoami, local_info, peer_info)</c>: the census authority is computed from.</summary>
    private Census Census() => new(_whoami, _local, _peers);

    /// <summary><c>ActingReplicas(acting, whoami, peer_info)</c>.</summary>
    private ActingReplicas Replicas() => new(_acting, _whoami, _peers);

    private static bool IsActive(PgState state) =>
        state is PgState.Active or PgState.Recovering or PgState.Clean or PgState.ReplicaActive;

    /// <summary><c>Publish</c>: the statistics as they are now.</summary>
    private void Publish() => Emit(new PublishStats(
        _pgid, State, _local.CommittedSeq, _authSeq, _local.CommittedLength, _local.Image,
        _authImage, _authBlobMeta, _acting.Size, _up.Size));

    /// <summary><c>Persist</c>: the local info as it is now.</summary>
    private void Persist() => Emit(new PersistState(_pgid, _local));

    /// <summary><c>RefreshAuthority</c>: authority recomputed from the census; blob metadata always cleared.</summary>
    private void RefreshAuthority()
    {
        var census = Census();
        _authSeq = Authority.MaxSeq(census);
        _authSources = Authority.Sources(census, _authSources);
        _authBlobMeta = default;
        _authImage = Authority.Values(_authSources, _authImage);
    }

    /// <summary><c>RefreshPlans</c>: plans recomputed against the stored authority (which is not recomputed).</summary>
    private void RefreshPlans()
    {
        _peerPlans = Authority.PeerPlans(_authSources, _authSeq, Replicas(), _peerPlans);
        _localPlan = Authority.LocalPlan(_authSources, _local, _localPlan);
    }

    private void RefreshAll()
    {
        RefreshAuthority();
        RefreshPlans();
    }

    /// <summary>The recovery target set of the current plans (<c>Targets(M)</c>).</summary>
    private OsdSet Targets() => Authority.Targets(_peerPlans, _localPlan, _local.CommittedSeq, _authSeq, _whoami);

    /// <summary><c>ResetInterval</c>: clears every interval-local field, nothing else.</summary>
    private void ResetInterval()
    {
        _authSeq = 0;
        _authImage = default;
        _authSources = default;
        _authBlobMeta = default;
        _peers = default;
        _peersQueried = default;
        _peersResponded = default;
        _priorOsds = default;
        _peerPlans = default;
        _localPlan = default;
        _recovered = default;
        _timedOutProbes = default;
        _needUpThru = false;
        _activated = false;
        _pendingActingChange = false;
    }

    /// <summary><c>ProbeSet</c>: every non-negative id of acting, up and prior other than whoami, ascending.</summary>
    private OsdSet ProbeSet()
    {
        // Collected, then sorted once (OsdSet.Of drops repeats): linear in a long prior set, not quadratic.
        var probes = new Scratch<int>(stackalloc int[16]);
        foreach (var x in _acting.Osds)
        {
            AddProbe(ref probes, x);
        }

        foreach (var x in _up.Osds)
        {
            AddProbe(ref probes, x);
        }

        foreach (var x in _priorOsds)
        {
            AddProbe(ref probes, x);
        }

        return OsdSet.Of(probes.Items);
    }

    private void AddProbe(ref Scratch<int> probes, int x)
    {
        if (x >= 0 && x != _whoami)
        {
            probes.Add(x);
        }
    }

    /// <summary><c>QueryProbes</c>: query every probe that has neither answered nor been asked.</summary>
    private void QueryProbes()
    {
        // The probe set is ascending and without repeats, so the new queries are too: one union at the end.
        var asked = new Scratch<int>(stackalloc int[16]);
        foreach (var x in ProbeSet())
        {
            if (!_peersResponded.Contains(x) && !_peersQueried.Contains(x))
            {
                Emit(new SendQuery(x, _pgid, _epoch));
                asked.Add(x);
            }
        }

        if (asked.Count > 0)
        {
            _peersQueried = _peersQueried.Union(OsdSet.Of(asked.Items));
        }
    }

    /// <summary><c>Enough</c>: every queried peer and every other acting member has responded.</summary>
    private bool Enough() => EnoughIf(null);

    /// <summary><c>EnoughIf(y)</c>: <see cref="Enough"/> as if <paramref name="also"/> had already responded.</summary>
    private bool EnoughIf(int? also)
    {
        bool Responded(int x) => x == also || _peersResponded.Contains(x);

        foreach (var q in _peersQueried)
        {
            if (!Responded(q))
            {
                return false;
            }
        }

        foreach (var x in _acting.Osds)
        {
            if (x >= 0 && x != _whoami && !Responded(x))
            {
                return false;
            }
        }

        return true;
    }
}
