using Peering.Generation;
using Peering.Machine;
using Peering.TestSupport;

namespace Peering.Tests.Fuzzing;

/// <summary>Campaigns: cycle seeds, sharding, independence from the job count, stopping, cancelling, merging.</summary>
public class CampaignTests
{
    private static readonly FuzzSettings Small = new() { Profile = "lean-core", Cycles = 24, MinEvents = 32, MaxEvents = 400, Seed = 7 };

    // Everything but the timing, which is the only part allowed to differ between runs.
    private static CampaignSummary Result(CampaignSummary s) => s with { Timing = new CampaignTiming(0, 0, 0) };

    [Fact]
    public void Each_cycle_has_its_derived_seed_and_an_event_bound_in_range()
    {
        var settings = Small with { MinEvents = 40, MaxEvents = 45 };
        var specs = Enumerable.Range(0, 200).Select(i => settings.Cycle(i)).ToList();
        Assert.All(specs, s => Assert.Equal(Rng.Derive(7, (ulong)s.Index), s.Seed));
        Assert.All(specs, s => Assert.InRange(s.EventsBound, 40, 45));
        Assert.Equal(6, specs.Select(s => s.EventsBound).Distinct().Count());
        Assert.Equal(specs, Enumerable.Range(0, 200).Select(i => settings.Cycle(i)));
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("3/8", 3, 8)]
    public void Shards_parse(string text, int k, int n)
    {
        Assert.True(Shard.TryParse(text, out var shard));
        Assert.Equal(new Shard(k, n), shard);
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1/0")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/2")]
    [InlineData("1/2/3")]
    public void Bad_shards_do_not_parse(string text) => Assert.False(Shard.TryParse(text, out _));

    [Fact]
    public void The_shards_of_a_campaign_partition_its_cycles()
    {
        for (var cycles = 0; cycles <= 17; cycles++)
        {
            for (var n = 1; n <= 5; n++)
            {
                var all = new List<long>();
                for (var k = 1; k <= n; k++)
                {
                    var settings = Small with { Cycles = cycles, Shard = new Shard(k, n) };
                    var indices = settings.ShardIndices().ToList();
                    Assert.Equal(settings.ShardCycles, indices.Count);
                    Assert.All(indices, i => Assert.Equal(k - 1, i % n));
                    all.AddRange(indices);
                }

                Assert.Equal(Enumerable.Range(0, cycles).Select(i => (long)i), all.Order());
            }
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_job_count()
    {
        var one = Faulty<Overshoot>.Campaign(Small, jobs: 1).Run();
        var three = Faulty<Overshoot>.Campaign(Small, jobs: 3).Run();
        Assert.NotEmpty(one.Failures);
        Assert.Equal(Small.Cycles, one.CyclesRun);
        Assert.Equal(Result(one).ToJson(), Result(three).ToJson());
        Assert.Equal(one.Failures.Select(f => f.Cycle), one.Failures.Select(f => f.Cycle).Order());
    }

    [Fact]
    public void Stop_on_first_failure_stops_at_the_lowest_failing_cycle_whatever_the_job_count()
    {
        var everything = Faulty<Overshoot>.Campaign(Small, jobs: 1).Run();
        var first = everything.Failures[0].Cycle;
        foreach (var jobs in new[] { 1, 2, 4 })
        {
            var stopped = Faulty<Overshoot>.Campaign(Small with { StopOnFirstFailure = true }, jobs: jobs).Run();
            Assert.True(stopped.StoppedAtFirstFailure);
            Assert.Equal(first, Assert.Single(stopped.Failures).Cycle);
            Assert.Equal(first + 1, stopped.CyclesRun);
        }
    }

    [Fact]
    public void Shard_summaries_merge_into_the_unsharded_summary()
    {
        var whole = Faulty<Overshoot>.Campaign(Small, jobs: 2).Run();
        var parts = Enumerable.Range(1, 3)
            .Select(k => CampaignSummary.FromJson(Faulty<Overshoot>.Campaign(Small with { Shard = new Shard(k, 3) }, jobs: 1).Run().ToJson(), "peering"))
            .Reverse()
            .ToList();
        Assert.All(parts, p => Assert.False(p.Complete));
        var merged = CampaignSummary.Merge(parts);
        Assert.True(merged.Complete);
        Assert.Equal(Result(whole with { Shards = [1, 2, 3], ShardCount = 3 }).ToJson(), Result(merged).ToJson());
    }

    [Fact]
    public void Merging_refuses_other_campaigns_and_repeated_shards()
    {
        var a = new PeeringTools.Campaign(Small with { Cycles = 4, Shard = new Shard(1, 2) }, PeeringEvents.Instance, "peering").Run();
        var b = new PeeringTools.Campaign(Small with { Cycles = 4, Shard = new Shard(2, 2) }, PeeringEvents.Instance, "peering").Run();
        var otherSeed = new PeeringTools.Campaign(Small with { Cycles = 4, Seed = 8, Shard = new Shard(2, 2) }, PeeringEvents.Instance, "peering").Run();
        Assert.Equal(a.Steps + b.Steps, CampaignSummary.Merge([a, b]).Steps);
        Assert.Throws<FormatException>(() => CampaignSummary.Merge([a, otherSeed]));
        Assert.Throws<FormatException>(() => CampaignSummary.Merge([a, a]));
        Assert.Throws<FormatException>(() => CampaignSummary.FromJson("{\"format\":\"something else\"}"u8, "peering"));
    }

    [Fact]
    public void Cancelling_stops_the_campaign_with_every_failure_found_so_far_committed()
    {
        using var cancel = new CancellationTokenSource();
        var campaign = Faulty<Overshoot>.Campaign(Small with { Cycles = 10_000 }, jobs: 2);
        var found = new List<FailureRecord>();
        campaign.FailureFound += f =>
        {
            found.Add(f);
            cancel.Cancel();
        };
        var summary = campaign.Run(cancel.Token);
        Assert.True(summary.Interrupted);
        Assert.InRange(summary.CyclesRun, 1, 9_999);
        Assert.NotEmpty(summary.Failures);
        Assert.Equal(summary.Failures, found);
    }

    [Fact]
    public void A_failure_record_carries_the_cycle_seed_and_how_to_reproduce_it()
    {
        var summary = Faulty<Overshoot>.Campaign(Small with { StopOnFirstFailure = true }, jobs: 1).Run();
        var failure = Assert.Single(summary.Failures);
        var spec = Small.Cycle(failure.Cycle);
        Assert.Equal(spec.Seed, failure.Seed);
        Assert.Equal(spec.EventsBound, failure.Events);
        Assert.Equal($"peering generate --profile lean-core --seed {spec.Seed} --events {spec.EventsBound}", failure.Reproduce);
        Assert.True(failure.Reproduced);
        Assert.Null(failure.Trace);
    }
}
