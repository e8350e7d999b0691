using Peering.Machine;
using Peering.Model;
using Peering.StateMachines;

namespace Peering.Generation;

/// <summary>
/// Builds random events the way the reference driver does (GENERATOR.md §4-6): the Initialize of a
/// small random cluster, then each event from the current snapshot, with the same kinds and
/// weights per state and profile and the same deliberately stale or invalid variants. Seed-for-seed
/// identity with the reference is not possible (its engine is not portable); the distributions
/// and decision structure are the same.
/// </summary>
public sealed class EventGenerator
{
    private readonly Rng _rng;
    private readonly Profile _profile;
    private int _numOsds;
    private int _whoami;
    private int _poolSize;

    /// <summary>A generator for one trace.</summary>
    public EventGenerator(Profile profile, Rng rng)
    {
        _profile = profile;
        _rng = rng;
    }

    /// <summary>
    /// The step-0 event (GENERATOR.md §4): 2-5 OSDs, whoami the primary of an acting set of the pool
    /// size, a local PG of 0-200 bytes given through the legacy scalar.
    /// </summary>
    public Initialize BuildInitialize()
    {
        _numOsds = _rng.Uniform(2, 5);
        _poolSize = _rng.Uniform(2, Math.Min(_numOsds, 3));
        var poolMinSize = _rng.Uniform(1, _poolSize);
        var order = Enumerable.Range(0, _numOsds).ToArray();
        _rng.Shuffle(order);
        var acting = new ActingSet(ValueList.Create<int>(order.AsSpan(0, _poolSize)), 10);
        _whoami = order[0];
        var localLength = (ulong)_rng.Uniform(0, 200);
        var local = new PgInfo(1, localLength, localLength, default, default, 10, 10, 0, 0, 0, 0, 0);
        return new Initialize(1, _whoami, 10, acting, acting, _poolSize, poolMinSize, local, default);
    }

    /// <summary>The number of events after Initialize: <c>U{min(50, E)..E}</c> (GENERATOR.md §3); at most 0 for <c>E &lt;= 0</c>.</summary>
    public long DrawEventCount(long maxEvents) => _rng.Uniform(Math.Min(50, maxEvents), maxEvents);

    /// <summary>The next event for the machine whose snapshot is <paramref name="s"/> (GENERATOR.md §5).</summary>
    public PgEvent Next(PgSnapshot s)
    {
        var c = _rng.Uniform(0, 99);
        return _profile == Profile.Full ? NextFull(s, c) : NextLeanCore(s, c);
    }

    private PgEvent NextFull(PgSnapshot s, int c) => s.State switch
    {
        PgState.GetPeerInfo => c < 50 ? PeerInfo(s) : c < 70 ? QueryTimeout() : c < 85 ? Map(s) : new DeleteStart(),
        PgState.WaitUpThru => c < 40 ? UpThru(s) : c < 60 ? PeerInfo(s) : c < 80 ? Map(s) : new DeleteStart(),
        PgState.Active => c < 30 ? Map(s) : c < 50 ? new ActivateCommitted() : c < 65 ? Batch(s) : c < 80 ? Recovery(s) : new DeleteStart(),
        PgState.Recovering => c < 40 ? Recovery(s) : c < 55 ? Batch(s) : c < 75 ? Map(s) : c < 85 ? new ActivateCommitted() : new DeleteStart(),
        PgState.Clean => c < 50 ? Map(s) : c < 70 ? new ActivateCommitted() : c < 85 ? Map(s) : new DeleteStart(),
        PgState.Stray => c < 40 ? Activate(s) : c < 70 ? Map(s) : new DeleteStart(),
        PgState.ReplicaActive => c < 30 ? ReplicaRecovery(s) : c < 60 ? Map(s) : c < 80 ? Activate(s) : new DeleteStart(),
        PgState.Down => c < 40 ? PeerInfo(s) : c < 70 ? Map(s) : c < 85 ? QueryTimeout() : new DeleteStart(),
        PgState.Incomplete => c < 40 ? PeerInfo(s) : c < 70 ? Map(s) : new DeleteStart(),
        PgState.Deleting => c < 50 ? new DeleteComplete() : Map(s),
        _ => Map(s),
    };

    private PgEvent NextLeanCore(PgSnapshot s, int c) => s.State switch
    {
        PgState.GetPeerInfo => c < 55 ? PeerInfo(s) : c < 80 ? QueryTimeout() : Map(s),
        PgState.WaitUpThru => c < 45 ? UpThru(s) : c < 75 ? PeerInfo(s) : Map(s),
        PgState.Active => c < 20 ? Map(s) : c < 50 ? new ActivateCommitted() : c < 75 ? Batch(s) : Recovery(s),
        PgState.Recovering => c < 20 ? Map(s) : c < 55 ? Recovery(s) : c < 80 ? Batch(s) : new ActivateCommitted(),
        PgState.Clean => c < 35 ? Map(s) : new ActivateCommitted(),
        PgState.Stray => c < 35 ? Map(s) : Activate(s),
        PgState.ReplicaActive => c < 20 ? Map(s) : c < 68 ? ReplicaRecovery(s) : Activate(s),
        PgState.Down => c < 45 ? PeerInfo(s) : c < 75 ? QueryTimeout() : Map(s),
        PgState.Incomplete => c < 70 ? PeerInfo(s) : Map(s),
        PgState.Deleting => new DeleteComplete(),
        _ => Map(s),
    };

    private int AnyOsd() => _rng.Uniform(0, _numOsds - 1);

    /// <summary>An OSD other than whoami, after at most 20 draws (then whoami itself).</summary>
    private int OtherOsd()
    {
        for (var i = 0; i < 20; i++)
        {
            var x = AnyOsd();
            if (x != _whoami)
            {
                return x;
            }
        }

        return _whoami;
    }

    private static uint StaleEpoch(PgSnapshot s) => s.LastPeeringReset > 1 ? s.LastPeeringReset - 1 : 0;

    private static uint PreviousEpoch(PgSnapshot s) => s.Epoch > 1 ? s.Epoch - 1 : 1;

    /// <summary>A random acting list; with P=4/5 whoami is made its primary.</summary>
    private ValueList<int> RandomActing()
    {
        Span<int> order = stackalloc int[_numOsds];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        _rng.Shuffle(order);
        var list = order[.._rng.Uniform(1, Math.Min(_numOsds, _poolSize))].ToArray();
        if (_rng.Uniform(0, 4) < 4)
        {
            var at = Array.IndexOf(list, _whoami);
            if (at >= 0)
            {
                (list[0], list[at]) = (list[at], list[0]);
            }
            else
            {
                list[0] = _whoami;
            }
        }

        return ValueList.Own(list);
    }

    /// <summary>GENERATOR.md §6.1.</summary>
    private AdvanceMap Map(PgSnapshot s)
    {
        var epoch = s.Epoch + 1;
        var wantNew = _rng.Uniform(0, 9) < 4;
        var osds = wantNew ? RandomActing() : s.Acting.Osds;
        var min = s.PoolMinSize;
        if (_rng.Uniform(0, 9) == 0)
        {
            min = _rng.Uniform(1, s.PoolSize);
        }

        var prior = ValueList<int>.Empty;
        if (wantNew && _rng.Uniform(0, 2) == 0)
        {
            var k = _rng.Uniform(1, 2);
            for (var i = 0; i < k; i++)
            {
                prior = prior.Add(AnyOsd());
            }
        }

        return new AdvanceMap(epoch, new ActingSet(osds, epoch), new ActingSet(osds, epoch), s.PoolSize, min, prior);
    }

    /// <summary>GENERATOR.md §6.2.</summary>
    private PeerInfoReceived PeerInfo(PgSnapshot s)
    {
        var from = OtherOsd();
        var length = (ulong)_rng.Uniform(0, 300);
        var les = (uint)_rng.Uniform(s.Epoch > 5 ? s.Epoch - 5 : 1, s.Epoch);
        var queryEpoch = _rng.OneIn(5) ? StaleEpoch(s) : s.LastPeeringReset;
        var info = new PeerInfo(from, length, length, Images.Img0(length), default, les, 0);
        return new PeerInfoReceived(from, info, queryEpoch);
    }

    /// <summary>GENERATOR.md §6.3.</summary>
    private PeerQueryTimeout QueryTimeout() => new(OtherOsd());

    /// <summary>GENERATOR.md §6.4.</summary>
    private UpThruUpdated UpThru(PgSnapshot s) => new(_rng.OneIn(5) ? PreviousEpoch(s) : s.Epoch);

    /// <summary>GENERATOR.md §6.5.</summary>
    private RecoveryComplete Recovery(PgSnapshot s)
    {
        var targets = s.RecoveryTargets;
        var peer = !targets.IsEmpty && _rng.Uniform(0, 2) < 2
            ? targets.AsSpan()[_rng.Uniform(0, targets.Count - 1)]
            : OtherOsd();
        var epoch = _rng.OneIn(5) ? StaleEpoch(s) : s.LastPeeringReset;
        return new RecoveryComplete(peer, epoch);
    }

    /// <summary>GENERATOR.md §6.6.</summary>
    private AllReplicasRecovered Batch(PgSnapshot s)
    {
        var epoch = _rng.OneIn(5) ? StaleEpoch(s) : s.LastPeeringReset;
        var peers = new List<int>();
        foreach (var t in s.RecoveryTargets)
        {
            if (!s.Recovered.Contains(t))
            {
                peers.Add(t);
            }
        }

        if (_rng.OneIn(5))
        {
            if (peers.Count > 0)
            {
                peers.RemoveAt(peers.Count - 1);
            }
            else
            {
                peers.Add(OtherOsd());
            }
        }

        return new AllReplicasRecovered(epoch, ValueList.Own(peers.ToArray()));
    }

    /// <summary>GENERATOR.md §6.7: lean-core echoes the receiver's own authority; full lets a random length stand in for a missing one.</summary>
    private ReplicaActivate Activate(PgSnapshot s)
    {
        var from = s.Acting.Primary;
        if (from < 0)
        {
            from = OtherOsd();
        }

        var epoch = _rng.OneIn(5) ? PreviousEpoch(s) : s.Epoch;
        if (_profile == Profile.LeanCore)
        {
            var info = new PeerInfo(from, s.AuthSeq, s.AuthImage.L0(), s.AuthImage, s.AuthBlobMeta, epoch, epoch);
            return new ReplicaActivate(from, info, s.AuthSources, s.AuthBlobMeta, s.AuthSeq, epoch);
        }

        var length = (ulong)_rng.Uniform(50, 300);
        var seq = s.AuthSeq > 0 ? s.AuthSeq : length;
        var image = s.AuthImage.IsEmpty ? Images.Img0(length) : s.AuthImage;
        var fullInfo = new PeerInfo(from, seq, length, image, s.AuthBlobMeta, epoch, 0);
        return new ReplicaActivate(from, fullInfo, s.AuthSources, s.AuthBlobMeta, seq, epoch);
    }

    /// <summary>GENERATOR.md §6.8.</summary>
    private ReplicaRecoveryComplete ReplicaRecovery(PgSnapshot s)
    {
        var length = _rng.OneIn(5) ? (ulong)_rng.Uniform(0, 300) : s.AuthImage.L0();
        var seq = s.AuthSeq > 0 ? s.AuthSeq : length;
        if (_rng.OneIn(5))
        {
            seq = (ulong)_rng.Uniform(0, 300);
        }

        var epoch = _rng.OneIn(5) ? PreviousEpoch(s) : s.Epoch;
        var image = s.AuthImage.IsEmpty ? Images.Img0(length) : s.AuthImage;
        return new ReplicaRecoveryComplete(seq, length, image, epoch);
    }
}
