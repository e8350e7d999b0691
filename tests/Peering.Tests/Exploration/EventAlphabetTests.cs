using Peering.Exploration;
using Peering.Generation;
using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Exploration;

/// <summary>The small world and the alphabet against GENERATOR.md §4-6 and docs/exploration.md.</summary>
public sealed class EventAlphabetTests
{
    private static readonly ExplorationWorld Goal = new(Profile.LeanCore, 3, 2, 1);

    [Theory]
    [InlineData(2, 1, 1, 8)] // pool 2: 2 orders x 2 min sizes; 2 local images
    [InlineData(3, 2, 1, 120)] // pool 2: 6 ordered pairs x 2 + pool 3: 6 orders x 3 = 30; 4 images
    [InlineData(3, 1, 2, 90)] // 30 x lengths 0, 1, 2
    [InlineData(5, 1, 1, 440)] // pool 2: 20 x 2 + pool 3: 60 x 3 = 220; 2 images
    public void Initial_configurations_are_every_generated_initialize(int osds, int objects, int maxLength, int count)
    {
        var events = new ExplorationWorld(Profile.LeanCore, osds, objects, maxLength).InitialEvents;

        Assert.Equal(count, events.Count);
        Assert.Equal(count, events.Distinct().Count());
        foreach (var i in events.Cast<Initialize>())
        {
            Assert.Equal(i.Acting.Osds[0], i.Whoami);
            Assert.Equal(i.Acting, i.Up);
            Assert.Equal((1UL, 10U, 10U), (i.Pgid, i.Epoch, i.Acting.Epoch));
            Assert.Equal(i.PoolSize, i.Acting.Size);
            Assert.InRange(i.PoolSize, 2, Math.Min(osds, 3));
            Assert.InRange(i.PoolMinSize, 1, i.PoolSize);
            Assert.Equal((10U, 10U), (i.LocalInfo.LastEpochStarted, i.LocalInfo.LastIntervalStarted));
            Assert.Equal(i.LocalInfo.Image.Sum(e => (long)e.Len), (long)i.LocalInfo.CommittedSeq);
            Assert.True(i.PriorOsds.IsEmpty);
        }
    }

    [Fact]
    public void Images_are_every_length_combination_without_zero_entries()
    {
        var images = Goal.Images;
        Assert.Equal(4, images.Count);
        Assert.Equal(4, images.Distinct().Count());
        Assert.Contains(Img(), images);
        Assert.Contains(Img((0, 1)), images);
        Assert.Contains(Img((1, 1)), images);
        Assert.Contains(Img((0, 1), (1, 1)), images);
    }

    [Fact]
    public void Lean_core_never_deletes_and_full_does()
    {
        foreach (var state in Enum.GetValues<PgState>())
        {
            Assert.DoesNotContain(typeof(DeleteStart), EventAlphabet.Kinds(Profile.LeanCore, state));
        }

        foreach (var state in new[] { PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Recovering, PgState.Clean, PgState.Stray, PgState.ReplicaActive, PgState.Down })
        {
            Assert.Contains(typeof(DeleteStart), EventAlphabet.Kinds(Profile.Full, state));
        }

        Assert.Equal([typeof(DeleteComplete), typeof(AdvanceMap)], EventAlphabet.Kinds(Profile.Full, PgState.Deleting));
    }

    [Fact]
    public void Primary_alphabet_has_the_generator_variants()
    {
        // GetPeerInfo after Initialize{whoami 0, acting [0, 1, 2], pool 3/2, local {0:1}}: LPR 10, epoch 10.
        var s = AfterInit([0, 1, 2], minSize: 2);
        var events = new EventAlphabet(Goal).EventsFor(s);

        Assert.Equal(events.Count, events.Distinct().Count());

        // §6.2: from 1 and 2, each of the 4 images at query epoch 10, plus one stale report (query epoch 9).
        var reports = events.OfType<PeerInfoReceived>().ToList();
        Assert.Equal(2 * 4 + 1, reports.Count);
        Assert.Equal(8, reports.Count(p => p.QueryEpoch == 10 && p.From is 1 or 2 && p.Info.LastIntervalStarted == 0));
        Assert.Single(reports, p => p.QueryEpoch == 9);

        // §6.3: every OSD but whoami.
        Assert.Equal([1, 2], events.OfType<PeerQueryTimeout>().Select(t => t.Peer));

        // §6.1: epoch 11 everywhere, up = acting, pool size 3 kept; the current acting set with min sizes 1..3.
        var maps = events.OfType<AdvanceMap>().ToList();
        Assert.All(maps, m => Assert.Equal((11U, 11U, 11U, 3), (m.NewEpoch, m.NewActing.Epoch, m.NewUp.Epoch, m.NewPoolSize)));
        Assert.All(maps, m => Assert.Equal(m.NewActing, m.NewUp));
        Assert.Equal([1, 2, 3], maps.Where(m => m.NewActing.Osds == s.Acting.Osds).Select(m => m.NewPoolMinSize));

        // New intervals: [0], [0,1], [0,2], [0,2,1] led by whoami; [1,0], [1], [2,0], [2]; priors; the invalid prior [0,0].
        Assert.Contains(maps, m => m.NewActing.Osds == Osds(0, 2, 1) && m.PriorOsds.IsEmpty);
        Assert.Contains(maps, m => m.NewActing.Osds == Osds(1, 0));
        Assert.Contains(maps, m => m.NewActing.Osds == Osds(2));
        Assert.Contains(maps, m => m.NewActing.Osds == Osds(0, 1) && m.PriorOsds == Osds(2));
        Assert.Contains(maps, m => m.NewActing.Osds == Osds(0) && m.PriorOsds == Osds(0, 0));
        Assert.DoesNotContain(maps, m => m.NewActing.Osds == s.Acting.Osds && m.NewPoolMinSize == s.PoolMinSize && !m.PriorOsds.IsEmpty);
    }

    [Fact]
    public void Lean_core_activation_echoes_the_receivers_authority()
    {
        // A replica of primary 1 in a new interval (epoch 11): §6.7 lean-core, current and previous epoch.
        var s = PeeringMachine.Step(AfterInit([0, 1], minSize: 1), new AdvanceMap(11, new(Osds(1, 0), 11), new(Osds(1, 0), 11), 2, 1, default)).After;
        Assert.Equal(PgState.Stray, s.State);

        var activations = new EventAlphabet(Goal).EventsFor(s).OfType<ReplicaActivate>().ToList();

        Assert.Equal([11U, 10U], activations.Select(a => a.ActivationEpoch));
        Assert.All(activations, a =>
        {
            Assert.Equal(1, a.From);
            Assert.Equal((s.AuthSeq, s.AuthImage, s.AuthSources), (a.AuthoritativeSeq, a.AuthInfo.Image, a.AuthSources));
            Assert.Equal(s.AuthSeq, a.AuthInfo.CommittedSeq);
        });
    }

    [Fact]
    public void Recovering_alphabet_has_stale_and_mutated_completions()
    {
        // whoami 0, acting [0, 1], local {0:1}; 1 reports nothing: activation makes 1 a recovery target.
        var s = PeeringMachine.Step(AfterInit([0, 1], minSize: 1), new PeerInfoReceived(1, new PeerInfo(1, 0, 0, default, default, 10, 0), 10)).After;
        Assert.Equal(PgState.Recovering, s.State);
        Assert.Equal(OsdSet.Of([1]), s.RecoveryTargets);

        var events = new EventAlphabet(Goal).EventsFor(s);

        // §6.5: the target 1, then the other OSD 2, at LPR 10; one stale at 9.
        Assert.Equal([(1, 10U), (2, 10U), (1, 9U)], events.OfType<RecoveryComplete>().Select(r => (r.Peer, r.Epoch)));

        // §6.6: [1] at 10, the mutated [] at 10, the stale [1] at 9.
        Assert.Equal(
            ["10:1", "10:", "9:1"],
            events.OfType<AllReplicasRecovered>().Select(a => $"{a.Epoch}:{string.Join(",", a.Peers.AsSpan().ToArray())}"));
        Assert.Single(events.OfType<ActivateCommitted>());
    }

    [Theory]
    [InlineData(Profile.LeanCore)]
    [InlineData(Profile.Full)]
    public void A_shared_alphabet_gives_every_snapshot_the_events_built_for_it_alone(Profile profile)
    {
        // The map changes and peer reports are shared between snapshots that agree on what they read; a
        // key that missed a field would hand one snapshot another's events. Walk from every initial
        // configuration so that epochs, intervals, whoami, pool and min sizes vary.
        var world = new ExplorationWorld(profile, 3, 2, 1);
        var shared = new EventAlphabet(world);
        var rng = new Random(7);
        var checkedSnapshots = 0;
        foreach (var initial in world.InitialEvents)
        {
            var s = PeeringMachine.Step(PgSnapshot.Fresh, initial).After;
            for (var depth = 0; depth < 6; depth++)
            {
                var alone = new EventAlphabet(world).EventsFor(s);
                Assert.Equal(alone, shared.EventsFor(s));
                checkedSnapshots++;
                if (alone.Count == 0)
                {
                    break;
                }

                s = PeeringMachine.Step(s, alone[rng.Next(alone.Count)]).After;
            }
        }

        Assert.True(checkedSnapshots > world.InitialEvents.Count * 3);
    }

    // Initialize{pgid 1, whoami acting[0], epoch 10, acting = up, pool = acting size, local {0:1} seq 1, LES = LIS = 10}.
    private static PgSnapshot AfterInit(int[] acting, int minSize)
    {
        var set = new ActingSet(Osds(acting), 10);
        var local = new PgInfo(1, 1, 1, Img((0, 1)), default, 10, 10, 0, 0, 0, 0, 0);
        return PeeringMachine.Step(PgSnapshot.Fresh, new Initialize(1, acting[0], 10, set, set, acting.Length, minSize, local, default)).After;
    }
}
