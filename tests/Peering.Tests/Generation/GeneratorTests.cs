using System.Text;
using Peering.Generation;
using Peering.Machine;
using Peering.Model;

namespace Peering.Tests.Generation;

/// <summary>The generator against GENERATOR.md: event counts (§3), the Initialize (§4), profiles (§5), coverage (§7), seeds (§2).</summary>
public class GeneratorTests
{
    private static List<GeneratedStep> Steps(Profile profile, ulong seed, long events)
    {
        var trace = PeeringTools.SteppedTrace.Generated(PeeringEvents.Instance, profile.Name(), seed, events);
        var steps = new List<GeneratedStep>();
        while (trace.MoveNext())
        {
            steps.Add(new GeneratedStep(trace.Step, trace.Event, trace.From, trace.To, trace.Before, trace.After));
        }

        // GENERATOR.md §3: the Initialize, then U{min(50, E)..E} events.
        Assert.InRange(steps.Count, Math.Min(50, Math.Max(events, 0)) + 1, Math.Max(events, 0) + 1);
        return steps;
    }

    private sealed record GeneratedStep(long Step, PgEvent Event, PgState From, PgState To, PgSnapshot Before, PgSnapshot After);

    private static byte[] Jsonl(Profile profile, ulong seed, long events)
    {
        using var output = new MemoryStream();
        PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, (profile).Name(), seed, events);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(30, 31)]
    [InlineData(49, 50)]
    [InlineData(-5, 1)]
    public void Below_50_exactly_E_events_follow_the_Initialize(long events, int stepLines)
    {
        foreach (var profile in new[] { Profile.LeanCore, Profile.Full })
        {
            for (ulong seed = 1; seed <= 20; seed++)
            {
                Assert.Equal(stepLines, Steps(profile, seed, events).Count);
            }
        }
    }

    [Fact]
    public void From_50_up_the_event_count_is_uniform_between_50_and_E()
    {
        // E = 60: N in [50, 60], 11 values; 400 seeds miss one with probability below 11·(10/11)^400 < 1e-15.
        var counts = Enumerable.Range(1, 400).Select(seed => Count(PeeringTools.SteppedTrace.Generated(PeeringEvents.Instance, "full", (ulong)seed, 60))).ToList();
        Assert.All(counts, c => Assert.InRange(c, 51, 61));
        Assert.Equal(Enumerable.Range(51, 11).Select(i => (long)i), counts.Distinct().Order());
    }

    [Fact]
    public void Step_0_is_the_Initialize_of_section_4_and_starts_primary_peering()
    {
        for (ulong seed = 0; seed < 300; seed++)
        {
            var step = Steps(Profile.LeanCore, seed, 0).Single();
            var init = Assert.IsType<Initialize>(step.Event);
            Assert.Equal(1UL, init.Pgid);
            Assert.Equal(10u, init.Epoch);
            Assert.Equal(init.Acting, init.Up);
            Assert.Equal(10u, init.Acting.Epoch);
            Assert.InRange(init.PoolSize, 2, 3);
            Assert.InRange(init.PoolMinSize, 1, init.PoolSize);
            Assert.Equal(init.PoolSize, init.Acting.Size);
            Assert.Equal(init.Acting.Size, init.Acting.Osds.Distinct().Count());
            Assert.All(init.Acting.Osds, x => Assert.InRange(x, 0, 4));
            Assert.Equal(init.Acting.Primary, init.Whoami);
            Assert.InRange(init.LocalInfo.CommittedSeq, 0UL, 200UL);
            Assert.Equal(init.LocalInfo.CommittedSeq, init.LocalInfo.CommittedLength);
            Assert.Equal(10u, init.LocalInfo.LastEpochStarted);
            Assert.Equal(10u, init.LocalInfo.LastIntervalStarted);
            Assert.True(init.PriorOsds.IsEmpty);
            Assert.Equal(PgState.Initial, step.From);
            Assert.Equal(PgState.GetPeerInfo, step.To);
        }
    }

    [Fact]
    public void Lean_core_never_deletes_and_full_does()
    {
        var lean = Enumerable.Range(1, 60).SelectMany(s => Steps(Profile.LeanCore, (ulong)s, 300)).ToList();
        var full = Enumerable.Range(1, 60).SelectMany(s => Steps(Profile.Full, (ulong)s, 300)).ToList();
        Assert.DoesNotContain(lean, s => s.Event is DeleteStart or DeleteComplete);
        Assert.DoesNotContain(lean, s => s.After.State == PgState.Deleting);
        Assert.Contains(full, s => s.Event is DeleteStart);
        Assert.Contains(full, s => s.Event is DeleteComplete);
    }

    [Fact]
    public void Each_profile_uses_the_event_kinds_of_its_table_in_each_state()
    {
        // GENERATOR.md §5: the kinds each state may draw (Initial/Reset: AdvanceMap only).
        var lean = new Dictionary<PgState, string[]>
        {
            [PgState.GetPeerInfo] = ["PeerInfoReceived", "PeerQueryTimeout", "AdvanceMap"],
            [PgState.WaitUpThru] = ["UpThruUpdated", "PeerInfoReceived", "AdvanceMap"],
            [PgState.Recovering] = ["AdvanceMap", "RecoveryComplete", "AllReplicasRecovered", "ActivateCommitted"],
            [PgState.Clean] = ["AdvanceMap", "ActivateCommitted"],
            [PgState.Stray] = ["AdvanceMap", "ReplicaActivate"],
            [PgState.ReplicaActive] = ["AdvanceMap", "ReplicaRecoveryComplete", "ReplicaActivate"],
            [PgState.Down] = ["PeerInfoReceived", "PeerQueryTimeout", "AdvanceMap"],
        };
        var seen = new Dictionary<PgState, HashSet<string>>();
        foreach (var step in Enumerable.Range(1, 80).SelectMany(s => Steps(Profile.LeanCore, (ulong)s, 400)).Where(s => s.Step > 0))
        {
            var name = PeeringMachine.Definition.Events[PeeringMachine.EventIndex(step.Event)];
            Assert.Contains(name, lean[step.Before.State]);
            (seen.TryGetValue(step.Before.State, out var set) ? set : seen[step.Before.State] = []).Add(name);
        }

        // Every listed kind shows up in the states visited often enough.
        foreach (var state in new[] { PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Recovering, PgState.Clean, PgState.Stray, PgState.ReplicaActive })
        {
            Assert.Equal(lean[state].Order(), seen[state].Order());
        }
    }

    [Fact]
    public void Generated_values_stay_within_the_coverage_properties_of_section_7()
    {
        foreach (var profile in new[] { Profile.LeanCore, Profile.Full })
        {
            for (ulong seed = 1; seed <= 40; seed++)
            {
                var steps = Steps(profile, seed, 300);
                var poolSize = ((Initialize)steps[0].Event).PoolSize;
                foreach (var step in steps.Skip(1))
                {
                    switch (step.Event)
                    {
                        case AdvanceMap m:
                            Assert.Equal(step.Before.Epoch + 1, m.NewEpoch);
                            Assert.Equal(m.NewActing, m.NewUp);
                            Assert.Equal(poolSize, m.NewPoolSize);
                            Assert.All(m.NewActing.Osds, x => Assert.InRange(x, 0, 4));
                            Assert.InRange(m.PriorOsds.Count, 0, 2);
                            break;
                        case PeerInfoReceived p:
                            Assert.True(p.Info.Image.Count <= 1 && p.Info.BlobMeta.IsEmpty);
                            Assert.All(p.Info.Image, e => Assert.Equal(0UL, e.Obj));
                            Assert.InRange(p.Info.CommittedSeq, 0UL, 300UL);
                            break;
                        default:
                            Assert.Equal(step.Before.Epoch, step.After.Epoch);
                            break;
                    }

                    Assert.True(step.After.AuthImage.Count <= 1 && step.After.AuthBlobMeta.IsEmpty);
                }
            }
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_trace_and_other_seeds_others()
    {
        Assert.Equal(Jsonl(Profile.Full, 7, 200), Jsonl(Profile.Full, 7, 200));
        Assert.NotEqual(Jsonl(Profile.Full, 7, 200), Jsonl(Profile.Full, 8, 200));
        Assert.NotEqual(Jsonl(Profile.Full, 7, 200), Jsonl(Profile.LeanCore, 7, 200));
    }

    [Theory]
    [InlineData(7UL)]
    [InlineData(0x9E3779B9UL)]
    public void A_full_64_bit_seed_differs_from_its_32_bit_truncation(ulong low)
    {
        // The reference seeds its engine with seed mod 2^32 (GENERATOR.md §2); here the high half counts too.
        var high = (1UL << 32) + low;
        Assert.NotEqual(Jsonl(Profile.Full, low, 200), Jsonl(Profile.Full, high, 200));
        var rngLow = new Rng(low);
        var rngHigh = new Rng(high);
        Assert.NotEqual(Enumerable.Range(0, 8).Select(_ => rngLow.NextUInt64()), Enumerable.Range(0, 8).Select(_ => rngHigh.NextUInt64()));
    }

    [Fact]
    public void The_summary_line_echoes_the_full_seed_and_counts_the_step_lines()
    {
        var lines = Encoding.UTF8.GetString(Jsonl(Profile.LeanCore, ulong.MaxValue, 12)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(14, lines.Length);
        Assert.Equal("{\"kind\":\"summary\",\"seed\":18446744073709551615,\"events\":13}", lines[^1]);
    }

    [Fact]
    public void Every_generated_trace_replays_cleanly()
    {
        var inputs = new List<TraceInput>();
        foreach (var profile in new[] { Profile.LeanCore, Profile.Full })
        {
            for (ulong seed = 100; seed < 130; seed++)
            {
                inputs.Add(TraceInput.Memory($"{profile}-{seed}", Jsonl(profile, seed, 400)));
            }
        }

        var report = new PeeringTools.Replayer().Run(inputs);
        Assert.Null(report.Divergence);
        Assert.Equal(60, report.Traces);
    }

    [Fact]
    public void Rng_draws_are_uniform_over_closed_ranges_and_derived_seeds_differ()
    {
        var rng = new Rng(1);
        var seen = new int[6];
        for (var i = 0; i < 6000; i++)
        {
            seen[rng.Uniform(2, 7) - 2]++;
        }

        // Each of 6 values: mean 1000, sd ~29; 5 sd either way.
        Assert.All(seen, n => Assert.InRange(n, 855, 1145));
        Assert.Equal(5, new Rng(3).Uniform(5, 5));
        var derived = Enumerable.Range(0, 1000).Select(i => Rng.Derive(42, (ulong)i)).ToHashSet();
        Assert.Equal(1000, derived.Count);
        Assert.NotEqual(Rng.Derive(42, 0), Rng.Derive(43, 0));
    }

    private static long Count(PeeringTools.SteppedTrace trace)
    {
        long steps = 0;
        while (trace.MoveNext())
        {
            steps++;
        }

        return steps;
    }
}
