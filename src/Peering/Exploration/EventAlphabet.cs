using System.Collections.Concurrent;
using Peering.Generation;
using Peering.Machine;
using Peering.Model;

namespace Peering.Exploration;

/// <summary>
/// The finite event alphabet of a snapshot: every event the generator's builders (GENERATOR.md §6)
/// could produce from it in <see cref="World"/>, with each random draw replaced by every value of
/// the world's small sets, and the event kinds of the profile's table for the snapshot's state
/// (GENERATOR.md §5). docs/exploration.md lists it exactly, with the few narrowings that keep it small.
/// </summary>
public sealed class EventAlphabet
{
    // [pool size][whoami]: the acting lists RandomActing can draw that whoami leads.
    private readonly ValueList<int>[][][] _primaryLists;

    // [whoami]: every other OSD, ascending.
    private readonly int[][] _others;

    // The map changes and the peer reports depend on a few fields of the snapshot, which most snapshots
    // share: each list is built once per key and shared by every snapshot with that key (events are
    // immutable), instead of allocating a dozen events per snapshot explored.
    private readonly ConcurrentDictionary<MapKey, PgEvent[]> _maps = new();
    private readonly ConcurrentDictionary<ReportKey, PgEvent[]> _reports = new();

    /// <summary>The alphabet of <paramref name="world"/>.</summary>
    public EventAlphabet(ExplorationWorld world)
    {
        World = world;
        _others = [.. Enumerable.Range(0, world.Osds).Select(w => Enumerable.Range(0, world.Osds).Where(x => x != w).ToArray())];

        // RandomActing (GENERATOR.md §6.1) draws 1..min(num_osds, pool_size) distinct OSDs in any order.
        _primaryLists = new ValueList<int>[4][][];
        for (var poolSize = 1; poolSize <= 3; poolSize++)
        {
            var lists = world.OrderedSelections(1, Math.Min(world.Osds, poolSize));
            _primaryLists[poolSize] = Enumerable.Range(0, world.Osds).Select(w => lists.Where(l => l[0] == w).ToArray()).ToArray();
        }
    }

    /// <summary>The world.</summary>
    public ExplorationWorld World { get; }

    // Kinds of every (profile, state), built once: the alphabet of every snapshot starts with them.
    private static readonly IReadOnlyList<Type>[][] KindTables =
        [.. new[] { Profile.LeanCore, Profile.Full }.Select(p => Enum.GetValues<PgState>().Select(s => KindsOf(p, s)).ToArray())];

    /// <summary>The event kinds generated in <paramref name="state"/>, in the order of the profile's table.</summary>
    public static IReadOnlyList<Type> Kinds(Profile profile, PgState state) => KindTables[profile == Profile.LeanCore ? 0 : 1][(int)state];

    private static IReadOnlyList<Type> KindsOf(Profile profile, PgState state) => profile == Profile.LeanCore
        ? state switch
        {
            PgState.GetPeerInfo => [typeof(PeerInfoReceived), typeof(PeerQueryTimeout), typeof(AdvanceMap)],
            PgState.WaitUpThru => [typeof(UpThruUpdated), typeof(PeerInfoReceived), typeof(AdvanceMap)],
            PgState.Active => [typeof(AdvanceMap), typeof(ActivateCommitted), typeof(AllReplicasRecovered), typeof(RecoveryComplete)],
            PgState.Recovering => [typeof(AdvanceMap), typeof(RecoveryComplete), typeof(AllReplicasRecovered), typeof(ActivateCommitted)],
            PgState.Clean => [typeof(AdvanceMap), typeof(ActivateCommitted)],
            PgState.Stray => [typeof(AdvanceMap), typeof(ReplicaActivate)],
            PgState.ReplicaActive => [typeof(AdvanceMap), typeof(ReplicaRecoveryComplete), typeof(ReplicaActivate)],
            PgState.Down => [typeof(PeerInfoReceived), typeof(PeerQueryTimeout), typeof(AdvanceMap)],
            PgState.Incomplete => [typeof(PeerInfoReceived), typeof(AdvanceMap)],
            PgState.Deleting => [typeof(DeleteComplete)],
            _ => [typeof(AdvanceMap)],
        }
        : state switch
        {
            PgState.GetPeerInfo => [typeof(PeerInfoReceived), typeof(PeerQueryTimeout), typeof(AdvanceMap), typeof(DeleteStart)],
            PgState.WaitUpThru => [typeof(UpThruUpdated), typeof(PeerInfoReceived), typeof(AdvanceMap), typeof(DeleteStart)],
            PgState.Active => [typeof(AdvanceMap), typeof(ActivateCommitted), typeof(AllReplicasRecovered), typeof(RecoveryComplete), typeof(DeleteStart)],
            PgState.Recovering => [typeof(RecoveryComplete), typeof(AllReplicasRecovered), typeof(AdvanceMap), typeof(ActivateCommitted), typeof(DeleteStart)],
            PgState.Clean => [typeof(AdvanceMap), typeof(ActivateCommitted), typeof(DeleteStart)],
            PgState.Stray => [typeof(ReplicaActivate), typeof(AdvanceMap), typeof(DeleteStart)],
            PgState.ReplicaActive => [typeof(ReplicaRecoveryComplete), typeof(AdvanceMap), typeof(ReplicaActivate), typeof(DeleteStart)],
            PgState.Down => [typeof(PeerInfoReceived), typeof(AdvanceMap), typeof(PeerQueryTimeout), typeof(DeleteStart)],
            PgState.Incomplete => [typeof(PeerInfoReceived), typeof(AdvanceMap), typeof(DeleteStart)],
            PgState.Deleting => [typeof(DeleteComplete), typeof(AdvanceMap)],
            _ => [typeof(AdvanceMap)],
        };

    /// <summary>Appends the alphabet of <paramref name="s"/>.</summary>
    public void AddEvents(PgSnapshot s, List<PgEvent> events)
    {
        foreach (var kind in Kinds(World.Profile, s.State))
        {
            if (kind == typeof(AdvanceMap))
            {
                var key = new MapKey(s.Epoch, s.Whoami, s.PoolSize, s.PoolMinSize, s.Acting.Osds);
                events.AddRange(_maps.TryGetValue(key, out var maps) ? maps : _maps.GetOrAdd(key, Built(AdvanceMaps, s)));
            }
            else if (kind == typeof(PeerInfoReceived))
            {
                var key = new ReportKey(s.Whoami, s.LastPeeringReset, ReportedLes(s));
                events.AddRange(_reports.TryGetValue(key, out var reports) ? reports : _reports.GetOrAdd(key, Built(PeerInfos, s)));
            }
            else if (kind == typeof(PeerQueryTimeout))
            {
                foreach (var osd in Others(s))
                {
                    events.Add(new PeerQueryTimeout(osd));
                }
            }
            else if (kind == typeof(UpThruUpdated))
            {
                events.Add(new UpThruUpdated(s.Epoch));
                events.Add(new UpThruUpdated(PreviousEpoch(s)));
            }
            else if (kind == typeof(RecoveryComplete))
            {
                Recoveries(s, events);
            }
            else if (kind == typeof(AllReplicasRecovered))
            {
                Batches(s, events);
            }
            else if (kind == typeof(ReplicaActivate))
            {
                Activations(s, events);
            }
            else if (kind == typeof(ReplicaRecoveryComplete))
            {
                ReplicaRecoveries(s, events);
            }
            else if (kind == typeof(ActivateCommitted))
            {
                events.Add(new ActivateCommitted());
            }
            else if (kind == typeof(DeleteStart))
            {
                events.Add(new DeleteStart());
            }
            else
            {
                events.Add(new DeleteComplete());
            }
        }
    }

    private static PgEvent[] Built(Action<PgSnapshot, List<PgEvent>> build, PgSnapshot s)
    {
        var events = new List<PgEvent>();
        build(s, events);
        return [.. events];
    }

    // What AdvanceMaps reads of a snapshot.
    private readonly record struct MapKey(uint Epoch, int Whoami, int PoolSize, int PoolMinSize, ValueList<int> Acting);

    // What PeerInfos reads of a snapshot.
    private readonly record struct ReportKey(int Whoami, uint LastPeeringReset, uint ReportedLes);

    /// <summary>The alphabet of <paramref name="s"/> as a new list.</summary>
    public List<PgEvent> EventsFor(PgSnapshot s)
    {
        var events = new List<PgEvent>();
        AddEvents(s, events);
        return events;
    }

    // OtherOsd(): every OSD but whoami (the generator's fallback to whoami after 20 equal draws is left out).
    private int[] Others(PgSnapshot s) => _others[s.Whoami];

    private static uint StaleEpoch(PgSnapshot s) => s.LastPeeringReset > 1 ? s.LastPeeringReset - 1 : 0;

    private static uint PreviousEpoch(PgSnapshot s) => s.Epoch > 1 ? s.Epoch - 1 : 1;

    /// <summary>
    /// §6.1, new epoch = epoch + 1, up = acting, pool size unchanged: (1) the current acting set with
    /// each min size <c>1..pool size</c>; with the current min size: (2) every other acting list led by
    /// whoami (a new primary interval); (3) for each other OSD x, [x, whoami] (a new replica interval)
    /// and [x] (a new stray interval); (4) [whoami] and [whoami, x] for each other x, each with each
    /// other OSD y not in the list as prior; (5) [whoami] with the invalid prior [whoami, whoami].
    /// Lists the current acting set equals are left out of (2) to (5) (same interval: (1) covers them).
    /// </summary>
    private void AdvanceMaps(PgSnapshot s, List<PgEvent> events)
    {
        var epoch = s.Epoch + 1;
        AdvanceMap Map(ValueList<int> osds, int minSize, ValueList<int> prior) =>
            new(epoch, new ActingSet(osds, epoch), new ActingSet(osds, epoch), s.PoolSize, minSize, prior);

        for (var minSize = 1; minSize <= s.PoolSize; minSize++)
        {
            events.Add(Map(s.Acting.Osds, minSize, default));
        }

        var w = s.Whoami;
        var maxSize = Math.Min(World.Osds, s.PoolSize);
        var others = Others(s);
        var lists = new List<(ValueList<int> Osds, ValueList<int> Prior)>();
        foreach (var osds in _primaryLists[Math.Clamp(s.PoolSize, 1, 3)][w])
        {
            lists.Add((osds, default));
        }

        foreach (var x in others)
        {
            if (maxSize >= 2)
            {
                lists.Add(([x, w], default));
            }

            lists.Add(([x], default));
        }

        foreach (var y in others)
        {
            lists.Add(([w], [y]));
        }

        if (maxSize >= 2)
        {
            foreach (var x in others)
            {
                foreach (var y in others)
                {
                    if (y != x)
                    {
                        lists.Add(([w, x], [y]));
                    }
                }
            }
        }

        lists.Add(([w], [w, w]));
        foreach (var (osds, prior) in lists)
        {
            if (osds != s.Acting.Osds)
            {
                events.Add(Map(osds, s.PoolMinSize, prior));
            }
        }
    }

    /// <summary>
    /// §6.2: from each other OSD, each image of the world (sequence = its total length, LES as
    /// <see cref="ReportedLes"/>, LIS 0), query epoch = LPR; and one stale report (query epoch LPR-1).
    /// </summary>
    private void PeerInfos(PgSnapshot s, List<PgEvent> events)
    {
        foreach (var osd in Others(s))
        {
            foreach (var image in World.Images)
            {
                events.Add(new PeerInfoReceived(osd, Report(osd, image, ReportedLes(s)), s.LastPeeringReset));
            }
        }

        var first = Others(s)[0];
        events.Add(new PeerInfoReceived(first, Report(first, default, ReportedLes(s)), StaleEpoch(s)));
    }

    // The generator draws a report's LES from [max(1, epoch-5), epoch]; the reducer never reads a
    // peer's LES, so one value stands for all: the interval's start (LPR) where the range allows, which
    // keeps a report the same across same-interval map bumps.
    private static uint ReportedLes(PgSnapshot s) => Math.Max(s.LastPeeringReset, s.Epoch > 5 ? s.Epoch - 5 : 1);

    private static PeerInfo Report(int osd, ObjectImage image, uint epoch) =>
        new(osd, ExplorationWorld.SeqOf(image), image.L0(), image, default, epoch, 0);

    /// <summary>§6.5: each recovery target, then each other OSD, epoch LPR; and one stale completion.</summary>
    private void Recoveries(PgSnapshot s, List<PgEvent> events)
    {
        var peers = s.RecoveryTargets.AsSpan().ToArray().Concat(Others(s)).Distinct().ToArray();
        foreach (var peer in peers)
        {
            events.Add(new RecoveryComplete(peer, s.LastPeeringReset));
        }

        events.Add(new RecoveryComplete(peers[0], StaleEpoch(s)));
    }

    /// <summary>
    /// §6.6: the targets not yet recovered (ascending), epoch LPR; the mutated list (its last element
    /// dropped, or each other OSD alone when it is empty); and the unmutated list with the stale epoch.
    /// </summary>
    private void Batches(PgSnapshot s, List<PgEvent> events)
    {
        var pending = new List<int>();
        foreach (var t in s.RecoveryTargets)
        {
            if (!s.Recovered.Contains(t))
            {
                pending.Add(t);
            }
        }

        events.Add(new AllReplicasRecovered(s.LastPeeringReset, ValueList.Create<int>(pending.ToArray())));
        if (pending.Count > 0)
        {
            events.Add(new AllReplicasRecovered(s.LastPeeringReset, ValueList.Create<int>(pending.ToArray().AsSpan(0, pending.Count - 1))));
        }
        else
        {
            foreach (var osd in Others(s))
            {
                events.Add(new AllReplicasRecovered(s.LastPeeringReset, [osd]));
            }
        }

        events.Add(new AllReplicasRecovered(StaleEpoch(s), ValueList.Create<int>(pending.ToArray())));
    }

    /// <summary>
    /// §6.7: from the acting primary (each other OSD when there is none), activation epoch = the current
    /// or the previous epoch. lean-core echoes the receiver's authority; full also lets each non-empty
    /// image of the world stand in for a missing authority.
    /// </summary>
    private void Activations(PgSnapshot s, List<PgEvent> events)
    {
        var senders = s.Acting.Primary >= 0 ? [s.Acting.Primary] : Others(s);
        var added = new HashSet<PgEvent>();
        foreach (var from in senders)
        {
            foreach (var epoch in new[] { s.Epoch, PreviousEpoch(s) })
            {
                if (World.Profile == Profile.LeanCore)
                {
                    var info = new PeerInfo(from, s.AuthSeq, s.AuthImage.L0(), s.AuthImage, s.AuthBlobMeta, epoch, epoch);
                    Add(events, added, new ReplicaActivate(from, info, s.AuthSources, s.AuthBlobMeta, s.AuthSeq, epoch));
                    continue;
                }

                foreach (var random in World.Images.Where(i => !i.IsEmpty))
                {
                    var seq = s.AuthSeq > 0 ? s.AuthSeq : ExplorationWorld.SeqOf(random);
                    var image = s.AuthImage.IsEmpty ? random : s.AuthImage;
                    var info = new PeerInfo(from, seq, random.L0(), image, s.AuthBlobMeta, epoch, 0);
                    Add(events, added, new ReplicaActivate(from, info, s.AuthSources, s.AuthBlobMeta, seq, epoch));
                }
            }
        }
    }

    /// <summary>
    /// §6.8: recovered image = the authority's (or, when it is empty, each image of the world, the
    /// default being empty), sequence = the default (auth_seq, or the image's total length when that
    /// is 0) or each sequence of the world, activation epoch = the current or the previous epoch.
    /// </summary>
    private void ReplicaRecoveries(PgSnapshot s, List<PgEvent> events)
    {
        // With a non-empty authority the recovered image is the authority's and new_committed_length
        // is never read (REDUCER.md §7.10 row 3): the random lengths would only repeat the default.
        IEnumerable<ObjectImage> images = s.AuthImage.IsEmpty ? World.Images : [s.AuthImage];
        var added = new HashSet<PgEvent>();
        foreach (var epoch in new[] { s.Epoch, PreviousEpoch(s) })
        {
            foreach (var image in images)
            {
                var fallback = s.AuthSeq > 0 ? s.AuthSeq : ExplorationWorld.SeqOf(image);
                foreach (var seq in World.Seqs.Prepend(fallback))
                {
                    Add(events, added, new ReplicaRecoveryComplete(seq, image.L0(), image, epoch));
                }
            }
        }
    }

    private static void Add(List<PgEvent> events, HashSet<PgEvent> added, PgEvent e)
    {
        if (added.Add(e))
        {
            events.Add(e);
        }
    }
}
