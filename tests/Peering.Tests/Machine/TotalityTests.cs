using Peering.TestSupport;
using System.Globalization;
using CsCheck;
using Peering.Machine;
using Peering.Model;
using Xunit.Abstractions;

namespace Peering.Tests.Machine;

/// <summary>
/// Issue 6 item 3: the reducer is total. For any event with any field values (extreme and negative
/// integers, empty and duplicate OSD lists, self-references, unknown peers, long lists) in any
/// reachable state and in hand-made snapshots, <see cref="PeeringMachine.Step"/> returns, never
/// changes its input snapshot, and agrees with the fast path <see cref="PeeringMachine.Apply"/>.
/// The normal run steps about 40,000 events from the fresh machine and 50,000 on 20,000 hand-made
/// snapshots; <c>PEERING_TOTALITY_EVENTS=1000000</c> scales both to over a million events each
/// (docs/benchmarks.md, "Reader fuzzing").
/// </summary>
public sealed class TotalityTests(ITestOutputHelper output)
{
    private static long Setting(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    // ---- generators: mostly small values that collide (so peers are known, acting members respond),
    // ---- sometimes the extremes of each type.

    private static readonly Gen<int> GenOsd = Gen.Frequency(
        (12, Gen.Int[-1, 5]),
        (1, Gen.OneOf(int.MinValue, int.MaxValue, -2, 1000)),
        (1, Gen.Int));

    private static readonly Gen<uint> GenEpoch = Gen.Frequency(
        (10, Gen.UInt[0, 14]),
        (1, Gen.OneOf(0u, 1u, uint.MaxValue, uint.MaxValue - 1)),
        (1, Gen.UInt));

    private static readonly Gen<ulong> GenU64 = Gen.Frequency(
        (10, Gen.ULong[0, 150]),
        (1, Gen.OneOf(0ul, ulong.MaxValue, ulong.MaxValue - 1, (ulong)long.MaxValue + 1)),
        (1, Gen.ULong));

    private static readonly Gen<int> GenPoolValue = Gen.Frequency(
        (10, Gen.Int[-1, 4]),
        (1, Gen.OneOf(int.MinValue, int.MaxValue)),
        (1, Gen.Int));

    private static readonly Gen<ValueList<int>> GenOsdList = Gen.Frequency(
        (20, GenOsd.Array[0, 6].Select(a => ValueList.Create<int>(a))),
        (1, GenOsd.Array[100, 400].Select(a => ValueList.Create<int>(a))));

    private static readonly Gen<ulong> GenObj = Gen.Frequency((8, Gen.ULong[0, 4]), (1, Gen.OneOf(ulong.MaxValue, 1ul << 40)));

    private static Gen<SortedArray<T, ulong, ObjectKey<T>>> GenMap<T>(Gen<T> entry)
        where T : struct, IObjectEntry, IEquatable<T> =>
        entry.Array[0, 5].Select(entries =>
        {
            var sorted = entries.GroupBy(e => e.Obj).Select(g => g.First()).OrderBy(e => e.Obj).ToArray();
            return ObjectMap.Create<T>(sorted);
        });

    private static readonly Gen<ObjectImage> GenImage = GenMap(Gen.Select(GenObj, GenU64, (o, l) => new ImageEntry(o, l)));

    private static readonly Gen<AuthorityImage> GenSources = GenMap(Gen.Select(GenObj, GenOsd, GenU64, (o, s, l) => new AuthorityEntry(o, s, l)));

    private static readonly Gen<BlobMetaImage> GenBlobMeta = GenMap(Gen.Select(GenObj, Gen.Bool, GenU64, Gen.Bool,
        (o, sealed_, len, has) => new BlobMetaEntry(o, sealed_, has ? len : null)));

    private static readonly Gen<PeerInfo> GenPeerInfo = Gen.Select(GenOsd, GenU64, GenU64, GenImage, GenBlobMeta, GenEpoch, GenEpoch,
        (osd, seq, len, img, meta, les, lis) => new PeerInfo(osd, seq, len, img, meta, les, lis));

    private static readonly Gen<PgInfo> GenPgInfo = Gen.Select(GenU64, GenU64, GenU64, GenImage, GenBlobMeta, GenEpoch, GenEpoch, GenEpoch)
        .Select(Gen.UInt, (x, u) => new PgInfo(x.Item1, x.Item2, x.Item3, x.Item4, x.Item5, x.Item6, x.Item7, x.Item8, u, u / 2, u / 3, u / 5));

    private static readonly Gen<ActingSet> GenActing = Gen.Select(GenOsdList, GenEpoch, (osds, epoch) => new ActingSet(osds, epoch));

    private static readonly Gen<PgEvent> GenEvent = Gen.OneOf<PgEvent>(
        Gen.Select(GenU64, GenOsd, GenEpoch, GenActing, GenActing, GenPoolValue, GenPoolValue, GenPgInfo)
            .Select(GenOsdList, (x, prior) => new Initialize(x.Item1, x.Item2, x.Item3, x.Item4, x.Item5, x.Item6, x.Item7, x.Item8, prior)),
        Gen.Select(GenEpoch, GenActing, GenActing, GenPoolValue, GenPoolValue, GenOsdList, (e, a, u, ps, pm, prior) => new AdvanceMap(e, a, u, ps, pm, prior)),
        Gen.Select(GenOsd, GenPeerInfo, GenEpoch, (from, info, q) => new PeerInfoReceived(from, info, q)),
        GenOsd.Select(p => new PeerQueryTimeout(p)),
        GenEpoch.Select(e => new UpThruUpdated(e)),
        Gen.Const(new ActivateCommitted()),
        Gen.Select(GenOsd, GenEpoch, (p, e) => new RecoveryComplete(p, e)),
        Gen.Select(GenEpoch, GenOsdList, (e, peers) => new AllReplicasRecovered(e, peers)),
        Gen.Select(GenOsd, GenPeerInfo, GenSources, GenBlobMeta, GenU64, GenEpoch, (f, i, s, b, q, e) => new ReplicaActivate(f, i, s, b, q, e)),
        Gen.Select(GenU64, GenU64, GenImage, GenEpoch, (s, l, i, e) => new ReplicaRecoveryComplete(s, l, i, e)),
        Gen.Const(new DeleteStart()),
        Gen.Const(new DeleteComplete()));

    private static OsdSet Set(int[] ids) => OsdSet.Of(ids);

    /// <summary>A hand-made snapshot: every field drawn independently (any of the 12 states, sets sorted, maps keyed).</summary>
    private static readonly Gen<PgSnapshot> GenSnapshot = Gen.Select(
            Gen.Int[0, 11], GenU64, GenOsd, GenEpoch, GenActing, GenActing, GenPoolValue, GenPoolValue)
        .Select(Gen.Select(GenPgInfo, GenU64, GenImage, GenSources, GenBlobMeta, GenPeerInfo.Array[0, 5]),
            Gen.Select(GenOsd.Array[0, 5], GenOsd.Array[0, 5], GenOsd.Array[0, 5], GenOsd.Array[0, 5], GenOsd.Array[0, 3]),
            Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, GenEpoch, GenU64, GenOsd),
            (a, b, c, d) =>
            {
                var peers = b.Item6.GroupBy(p => p.Osd).Select(g => g.First()).OrderBy(p => p.Osd).ToArray();
                var local = b.Item1;
                var plans = ValueList.Create<PeerRecoveryPlan>([.. c.Item5.Select(t => new PeerRecoveryPlan(t, b.Item2 / 2, b.Item2, Images.Gaps(local.Image, b.Item4)))]);
                return new PgSnapshot(
                    (PgState)a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8,
                    local, b.Item2, b.Item3, b.Item4, b.Item5, PeerMap.Create(peers),
                    Set(c.Item1), Set(c.Item2), Set(c.Item3), default, plans, Images.Gaps(local.Image, b.Item4), Set(c.Item4), Set(c.Item5),
                    d.Item1, d.Item2, d.Item3, d.Item4, AuthLength: d.Item5, AuthOsd: d.Item6);
            });

    // ---- the property

    /// <summary>The snapshot's wire form plus its in-memory fields: equal bytes before and after a step means it was not changed.</summary>
    private static byte[] Image(PgSnapshot s)
    {
        return [.. CompactJsonWriter.Encode(w => PeeringMachineJson.WriteSnapshot(w, s)), .. BitConverter.GetBytes(s.AuthLength), .. BitConverter.GetBytes(s.AuthOsd)];
    }

    /// <summary>
    /// Steps <paramref name="e"/> purely from the machine's snapshot and in place, and checks: Step returns,
    /// leaves its input as it was, and agrees with Apply (states, effects in order, after snapshot);
    /// the checks and invariants evaluate on the result. Returns whether the step changed the snapshot.
    /// </summary>
    private static void StepBothWays(PeeringMachine machine, PgEvent e)
    {
        var before = machine.TakeSnapshot();
        var image = Image(before);
        var result = PeeringMachine.Step(before, e);
        Assert.Equal(image, Image(before));
        Assert.Same(before, result.Before);

        var from = machine.State;
        var effects = machine.Apply(e).ToArray();
        Assert.Equal(result.From, from);
        Assert.Equal(result.To, machine.State);
        Assert.Equal(result.Effects, effects);
        Assert.Equal(result.After, machine.TakeSnapshot());
        Assert.Equal(image, Image(before));

        PeeringMachine.EvaluateChecks(result.After);
        PeeringMachine.EvaluateInvariants(result.After);
    }

    private static readonly Gen<PgEvent[]> GenRun = GenEvent.Array[1, 24];

    [Fact]
    public void Random_events_in_reachable_states_step_totally_and_agree_with_apply()
    {
        // Each sample is a run of events from the fresh machine: the reachable states come from the events themselves.
        var runs = Setting("PEERING_TOTALITY_EVENTS", 40_000) / 12;
        long events = 0;
        GenRun.Sample(run =>
            {
                var machine = new PeeringMachine();
                foreach (var e in run)
                {
                    StepBothWays(machine, e);
                }

                Interlocked.Add(ref events, run.Length);
            },
            iter: runs,
            seed: Environment.GetEnvironmentVariable("PEERING_TOTALITY_SEED"),
            print: run => string.Join("\n", run.Select(e => e.ToString())));
        output.WriteLine($"{runs} runs, {events} events");
    }

    [Fact]
    public void Random_events_on_hand_made_snapshots_step_totally_and_agree_with_apply()
    {
        var count = Setting("PEERING_TOTALITY_EVENTS", 40_000) / 2;
        long stepped = 0;
        Gen.Select(GenSnapshot, GenEvent.Array[1, 4]).Sample((s, events) =>
            {
                Interlocked.Add(ref stepped, events.Length);
                // The raw hand-made snapshot: Step returns and leaves it as it was.
                var image = Image(s);
                foreach (var e in events)
                {
                    PeeringMachine.Step(s, e);
                    Assert.Equal(image, Image(s));
                }

                // A machine restored from it, then Step on its snapshot against Apply, event after event.
                var machine = new PeeringMachine(s);
                foreach (var e in events)
                {
                    StepBothWays(machine, e);
                }
            },
            iter: count,
            seed: Environment.GetEnvironmentVariable("PEERING_TOTALITY_SEED"),
            print: x => $"{x.Item1}\n{string.Join("\n", x.Item2.Select(e => e.ToString()))}");
        output.WriteLine($"{count} snapshots, {stepped} events");
    }

    [Fact]
    public void Self_references_unknown_peers_and_extremes_on_a_settled_primary()
    {
        // Worked cases on the settled primary (OSD 1 of acting [1,0] at epoch 10, Snapshots.Settled).
        PgEvent[] events =
        [
            new PeerInfoReceived(1, PeerInfo.Unknown(1), 10),               // the primary reporting to itself
            new PeerInfoReceived(7, PeerInfo.Unknown(-5), 0),               // an unknown sender, an info with another id
            new PeerQueryTimeout(1),                                        // timing out itself
            new RecoveryComplete(int.MinValue, uint.MaxValue),
            new AllReplicasRecovered(10, Build.Osds(0, 0, 1, 1, -1)),       // repeats, self and a negative id
            new AdvanceMap(uint.MaxValue, new ActingSet(Build.Osds(1, 1, 1, -1), 0), new ActingSet(default, uint.MaxValue), int.MaxValue, int.MinValue, Build.Osds(int.MaxValue, int.MinValue, 1)),
            new Initialize(ulong.MaxValue, int.MinValue, uint.MaxValue, new ActingSet(Build.Osds(int.MinValue), 0), ActingSet.Empty, -1, int.MaxValue, PgInfo.Empty, default),
            new ReplicaActivate(1, PeerInfo.Unknown(1), default, default, ulong.MaxValue, 10),
            new ReplicaRecoveryComplete(ulong.MaxValue, ulong.MaxValue, default, uint.MaxValue),
        ];
        foreach (var state in Enum.GetValues<PgState>())
        {
            foreach (var e in events)
            {
                StepBothWays(new PeeringMachine(Snapshots.Settled(state)), e);
            }
        }
    }

    [Fact]
    public void A_long_image_does_not_overflow_the_stack_or_take_quadratic_time()
    {
        // 300,000 objects (a 16 MiB trace line holds twice as many): the recovery gaps were built with
        // stackalloc of 32 bytes per authority source, 9.6 MB here, beyond a thread's 8 MB stack (the
        // test host died of a stack overflow), and lookups and source selection scanned linearly.
        var image = ObjectMap.Create<ImageEntry>([.. Enumerable.Range(0, 300_000).Select(o => new ImageEntry((ulong)o, 5))]);
        var acting = new ActingSet(Build.Osds(0, 1), 10);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = PeeringMachine.Step(PgSnapshot.Fresh, new Initialize(1, 0, 10, acting, acting, 2, 1, new PgInfo(1, 5, 0, image, default, 10, 10, 0, 0, 0, 0, 0), default));
        Assert.Equal(PgState.GetPeerInfo, result.To);

        // OSD 1 has not answered: its plan recovers every object from OSD 0.
        var plan = Assert.Single(result.After.PeerRecoveryPlans.AsSpan().ToArray());
        Assert.Equal(1, plan.Target);
        Assert.Equal(300_000, plan.Recoveries.Count);
        Assert.Equal(new ObjRecovery(299_999, 0, 0, 5), plan.Recoveries[^1]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_long_acting_list_with_repeats_steps_in_reasonable_time()
    {
        // 3,001 acting entries (ids 0..1,499, each twice after the primary), 1,499 peers reporting.
        var acting = new ActingSet(ValueList.Create<int>([0, .. Enumerable.Range(0, 3_000).Select(i => i % 1_500)]), 10);
        var local = new PgInfo(1, 5, 0, Build.Img((0, 5)), default, 10, 10, 0, 0, 0, 0, 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var machine = new PeeringMachine();
        StepBothWays(machine, new Initialize(1, 0, 10, acting, acting, 3, 1, local, default));
        for (var osd = 1; osd < 1_499; osd++)
        {
            machine.Apply(new PeerInfoReceived(osd, PeerInfo.Unknown(osd), 10));
        }

        StepBothWays(machine, new PeerInfoReceived(1_499, new PeerInfo(1_499, 3, 0, Build.Img((0, 2)), default, 0, 0), 10));
        StepBothWays(machine, new UpThruUpdated(10));
        StepBothWays(machine, new AllReplicasRecovered(10, acting.Osds));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s, final state {machine.State}");
    }
}
