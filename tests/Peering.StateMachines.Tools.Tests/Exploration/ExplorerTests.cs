using System.Text;

namespace Peering.StateMachines.Tools.Tests;

/// <summary>The generic exploration engine, on a hand-countable grid and on the door with its planted bug.</summary>
public sealed class ExplorerTests
{
    private static ExplorationResult<DoorSnapshot, DoorEvent> ExploreDoor(int depth, int jobs = 1, int batch = 2048, long maxStates = 1_000_000) =>
        DoorTools.Exploration.Run(DoorExploration.World, new ExplorationOptions { MaxDepth = depth, Jobs = jobs, BatchSize = batch, MaxStates = maxStates });

    [Fact]
    public void Grid_levels_are_the_diagonals_and_the_space_is_exhausted()
    {
        // Depth d holds the points with x + y = d on the 4 x 4 grid: 1, 2, 3, 4, 3, 2, 1; depth 7 adds nothing.
        // Every point up to depth 6 is expanded with both events: 16 points, 32 steps.
        var r = Explorer.Run(new GridModel(3), new ExplorationOptions { MaxDepth = 20, Jobs = 1 });

        Assert.Equal(ExplorationStatus.Completed, r.Status);
        Assert.Equal([1L, 2, 3, 4, 3, 2, 1, 0], r.LevelSizes);
        Assert.Equal(16, r.DistinctStates);
        Assert.Equal(32, r.Transitions);
        Assert.Equal(6, r.DepthReached);
        Assert.True(r.Exhausted);
        Assert.Equal(16, r.Coverage.PairCount(0, 0));
        Assert.Equal(16, r.Coverage.PairCount(0, 1));
    }

    [Fact]
    public void Grid_depth_bound_stops_the_search()
    {
        // Depths 0..3 are found; the points of depths 0..2 (6) are expanded.
        var r = Explorer.Run(new GridModel(3), new ExplorationOptions { MaxDepth = 3, Jobs = 2 });

        Assert.Equal([1L, 2, 3, 4], r.LevelSizes);
        Assert.Equal(12, r.Transitions);
        Assert.False(r.Exhausted);
    }

    [Theory]
    [InlineData(1, 2048)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void Grid_counterexample_is_the_first_in_breadth_first_order(int jobs, int batch)
    {
        // (2, 1) and (1, 2) both fail at depth 3. Breadth-first in event order (Right before Up) meets
        // (2, 0) before (1, 1) at depth 2, so (2, 1) = Right, Right, Up is found first.
        var r = Explorer.Run(
            new GridModel(3, new GridPoint(1, 2), new GridPoint(2, 1)),
            new ExplorationOptions { MaxDepth = 10, Jobs = jobs, BatchSize = batch });

        Assert.Equal(ExplorationStatus.Violation, r.Status);
        var v = Assert.IsType<Counterexample<GridPoint, GridMove>>(r.Violation);
        Assert.Equal(3, v.Depth);
        Assert.Equal(["allowed"], v.Invariants);
        Assert.Equal(new GridPoint(2, 1), v.Snapshot);
        Assert.Equal([GridModel.Right, GridModel.Right, GridModel.Up], v.Steps.Select(s => s.Event));
        Assert.Equal(new GridPoint(0, 0), v.Steps[0].Before);
    }

    [Fact]
    public void Grid_shards_split_at_the_first_frontier_large_enough_and_cover_it_together()
    {
        // With one snapshot per shard as the split minimum, 2 shards split at depth 1 ({(1,0), (0,1)}):
        // shard 0 explores from (1, 0), the points with x >= 1; shard 1 from (0, 1), those with y >= 1.
        // Depth d of shard 0 holds the points with x + y = d and x >= 1 on the 4 x 4 grid.
        ExplorationResult<GridPoint, GridMove> Shard(int k) =>
            Explorer.Run(new GridModel(3), new ExplorationOptions { MaxDepth = 20, Jobs = 1, Shard = new ExplorationShard(k, 2), ShardSplitMinimum = 1 });

        var (zero, one) = (Shard(0), Shard(1));

        Assert.Equal([1L, 2, 2, 3, 3, 2, 1, 0], zero.LevelSizes);
        Assert.Equal([1L, 2, 2, 3, 3, 2, 1, 0], one.LevelSizes);
        Assert.Equal(1, zero.SharedThroughDepth);
        Assert.Equal(new ExplorationShard(1, 2), one.Shard);

        // Together: every point (16, the one-process count) with those where x >= 1 and y >= 1 (9) in both.
        Assert.Equal(16 + 9, zero.DistinctStates + one.DistinctStates - 3);
        Assert.True(zero.Exhausted && one.Exhausted);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, -1)]
    public void Grid_shard_counterexample_is_the_shortest_from_its_part(int shard, int depth)
    {
        // (3, 0) is only reachable with x >= 1: shard 0 finds it at depth 3, shard 1 never reaches it.
        var r = Explorer.Run(
            new GridModel(3, new GridPoint(3, 0)),
            new ExplorationOptions { MaxDepth = 20, Jobs = 1, Shard = new ExplorationShard(shard, 2), ShardSplitMinimum = 1 });

        Assert.Equal(depth, r.Violation?.Depth ?? -1);
        Assert.Equal(depth < 0 ? ExplorationStatus.Completed : ExplorationStatus.Violation, r.Status);
    }

    [Fact]
    public void A_frontier_never_large_enough_is_explored_in_full_by_every_shard()
    {
        var r = Explorer.Run(new GridModel(3), new ExplorationOptions { MaxDepth = 20, Jobs = 1, Shard = new ExplorationShard(1, 2), ShardSplitMinimum = 100 });

        Assert.Equal([1L, 2, 3, 4, 3, 2, 1, 0], r.LevelSizes);
        Assert.Equal(20, r.SharedThroughDepth);
    }

    [Fact]
    public void Violating_origin_is_reported_at_depth_zero()
    {
        var r = Explorer.Run(new GridModel(3, new GridPoint(0, 0)), new ExplorationOptions { MaxDepth = 4, Jobs = 1 });

        Assert.Equal(ExplorationStatus.Violation, r.Status);
        Assert.Equal(0, r.Violation!.Depth);
        Assert.Empty(r.Violation.Steps);
        Assert.Equal(new GridPoint(0, 0), r.Violation.Snapshot);
    }

    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(2, 1, 8)]
    [InlineData(3, 1, 8)]
    [InlineData(1, 2, 10)]
    [InlineData(2, 2, 10)]
    [InlineData(2, 2048, 12)]
    public void A_stop_counts_the_batches_merged_whatever_the_workers_expanded_ahead(int jobs, int batch, int transitions)
    {
        // Depths 0..2 expand (0,0), (1,0), (0,1): 6 steps. Depth 3's frontier is (2,0), (1,1), (0,2) and
        // (2,0)'s Up reaches the forbidden (2,1): the batches merged up to it count, 2 steps a point
        // (8 with one point a batch, 10 with two, 12 with all three), and a batch expanded while the
        // stopping one merged does not.
        var r = Explorer.Run(new GridModel(3, new GridPoint(2, 1)), new ExplorationOptions { MaxDepth = 10, Jobs = jobs, BatchSize = batch });

        Assert.Equal(ExplorationStatus.Violation, r.Status);
        Assert.Equal(transitions, r.Transitions);
        Assert.Equal(transitions / 2, r.Coverage.PairCount(0, 0));
        Assert.Equal(transitions / 2, r.Coverage.PairCount(0, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_failing_step_in_the_batch_after_a_stop_does_not_change_the_outcome(int jobs)
    {
        // (1, 1) is the batch after the one that finds (2, 1) at depth 3: without the overlap it is never
        // stepped, so its failure is not this run's, whatever the workers expanded ahead.
        var r = Explorer.Run(
            new GridModel(3, new GridPoint(2, 1)) { Throws = new GridPoint(1, 1) },
            new ExplorationOptions { MaxDepth = 10, Jobs = jobs, BatchSize = 1 });

        Assert.Equal(ExplorationStatus.Violation, r.Status);
        Assert.Equal(8, r.Transitions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_failing_step_before_any_stop_fails_the_run(int jobs)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Explorer.Run(
            new GridModel(3) { Throws = new GridPoint(1, 1) },
            new ExplorationOptions { MaxDepth = 10, Jobs = jobs, BatchSize = 1 }));
        Assert.Equal("a step from GridPoint { X = 1, Y = 1 } failed", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void State_bound_stops_with_exactly_that_many_states(int jobs)
    {
        // 1 + 2 + 3 = 6 points fill depths 0..2; the seventh would exceed the bound.
        var r = Explorer.Run(new GridModel(3), new ExplorationOptions { MaxDepth = 20, Jobs = jobs, MaxStates = 6 });

        Assert.Equal(ExplorationStatus.StateLimit, r.Status);
        Assert.Equal(6, r.DistinctStates);
        Assert.Null(r.Violation);
    }

    [Fact]
    public void Door_planted_violation_is_found_at_its_exact_minimal_depth()
    {
        var r = ExploreDoor(depth: 10);

        Assert.Equal(ExplorationStatus.Violation, r.Status);
        var v = r.Violation!;
        Assert.Equal(DoorExploration.PlantedViolationDepth, v.Depth);
        Assert.Equal([DoorExploration.PlantedInvariant], v.Invariants);
        Assert.Equal(DoorExploration.PlantedViolationSequence, v.Steps.Select(s => s.Event));
        Assert.Equal(DoorExploration.Initial, v.Steps[0].Before);
        Assert.False(DoorRules.BoltOnlyWhenClosed(v.Snapshot));
    }

    [Fact]
    public void Door_has_no_violation_one_event_short_of_the_planted_depth()
    {
        var r = ExploreDoor(depth: DoorExploration.PlantedViolationDepth - 1);

        Assert.Equal(ExplorationStatus.Completed, r.Status);
        Assert.Null(r.Violation);
        Assert.Equal(DoorExploration.PlantedViolationDepth - 1, r.DepthReached);
    }

    [Fact]
    public void Door_counterexample_trace_replays_through_the_door()
    {
        var v = ExploreDoor(depth: 10).Violation!;
        using var buffer = new MemoryStream();
        DoorTools.Exploration.WriteTrace(buffer, v.Steps);
        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(DoorExploration.PlantedViolationDepth + 1, lines.Length);
        var before = DoorExploration.Initial;
        for (var i = 0; i < DoorExploration.PlantedViolationDepth; i++)
        {
            var step = Assert.IsType<TraceStep<DoorState, DoorEvent, DoorSnapshot, DoorChecks, DoorEffect>>(DoorJson.ParseTraceLine(Encoding.UTF8.GetBytes(lines[i])));
            Assert.Equal(i, step.Step);
            Assert.Equal(before, step.Before);
            Assert.Equal(Door.EvaluateChecks(before), step.BeforeChecks);
            var (after, from, to, effects) = DoorExploration.Step(step.Before, step.Event);
            Assert.Equal((from, to), (step.FromState, step.ToState));
            Assert.Equal(after, step.After);
            Assert.Equal(Door.EvaluateChecks(after), step.AfterChecks);
            Assert.Equal(effects.Select(DescribeEffect), step.Effects.Select(DescribeEffect));
            before = after;
        }

        Assert.Equal(new TraceSummary(0, DoorExploration.PlantedViolationDepth), DoorJson.ParseTraceLine(Encoding.UTF8.GetBytes(lines[^1])));
        Assert.Equal([DoorExploration.PlantedInvariant], Door.EvaluateInvariants(before).Violations());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(2048)]
    public void Door_results_do_not_depend_on_the_number_of_threads(int batch)
    {
        foreach (var depth in new[] { 3, 10 })
        {
            var one = ExploreDoor(depth, jobs: 1, batch: batch);
            var four = ExploreDoor(depth, jobs: 4, batch: batch);

            Assert.Equal(one.Status, four.Status);
            Assert.Equal(one.DistinctStates, four.DistinctStates);
            Assert.Equal(one.Transitions, four.Transitions);
            Assert.Equal(one.LevelSizes, four.LevelSizes);
            Assert.Equal(one.Coverage.StepPairs, four.Coverage.StepPairs);
            Assert.Equal(one.Violation?.Steps.Select(s => s.Event), four.Violation?.Steps.Select(s => s.Event));
        }
    }

    [Fact]
    public void Door_coverage_below_the_bug_lacks_exactly_the_moves_only_the_bug_opens()
    {
        // Within 3 events: Open/Kick open the closed door, Close and the slam (Opened -> Slamming ->
        // Closed, bolt drawn) shut it, Lock and Unlock throw and draw the bolt. Locked -> Opened needs
        // the third kick (4 events), and Slamming -> Opened a slam with the bolt thrown, which only the
        // broken door has (6 events: Lock, Kick x3, Close slam).
        var c = ExploreDoor(depth: 3).Coverage;
        string Move(SingleMove m) => $"{c.Definition.States[m.From]}->{c.Definition.States[m.To]}";

        Assert.Equal(
            ["Closed->Open", "Closed->Locked", "Open->Closed", "Open->Slamming", "Locked->Closed", "Slamming->Closed"],
            c.ReachedMoves.Select(Move));
        Assert.Equal(["Locked->Open", "Slamming->Open"], c.UnreachedMoves.Select(Move));
        Assert.Empty(c.UndeclaredMoves);

        // Step level: Open -> Closed (Close, slam, kick); Closed/Locked stay put on a knock or the first kicks.
        Assert.Equal(
            ["Closed->Closed", "Closed->Open", "Closed->Locked", "Open->Closed", "Locked->Closed", "Locked->Locked"],
            c.StepPairs.Select(Move));
    }

    private static string DescribeEffect(DoorEffect e) => e switch
    {
        Echo echo => $"Echo[{string.Join(",", echo.Rhythm)}]",
        _ => e.ToString(),
    };
}
