using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;
using static Peering.Tests.Machine.Snapshots;

namespace Peering.Tests.Machine;

/// <summary>
/// AdvanceMap's cases run only where the decision (REDUCER.md §7.2) can choose them: the handler
/// does not restate the decision's state conditions, so this checks, from every state and for
/// every row, that the decision returns each kind only from the states the table allows and that
/// the step's moves are the ones that kind makes.
/// </summary>
public class AdvanceMapDecisionTests
{
    private static readonly ActingSet[] Actings =
    [
        Acting10,                         // same interval
        new(Osds(1, 0, 2), 11),           // new interval, whoami (1) primary
        new(Osds(0, 1), 11),              // new interval, whoami a replica
        new(Osds(0, 2), 11),              // new interval, whoami not a member
    ];

    private static readonly (int Size, int MinSize)[] Pools = [(2, 1), (2, 0), (2, 3)];

    private static readonly PgState[] ActiveStates = [PgState.Active, PgState.Recovering, PgState.Clean, PgState.ReplicaActive];

    public static IEnumerable<(PgSnapshot Before, AdvanceMap Event)> Cases()
    {
        foreach (var state in Enum.GetValues<PgState>())
        {
            foreach (var pending in new[] { false, true })
            {
                foreach (var acting in Actings)
                {
                    foreach (var (size, minSize) in Pools)
                    {
                        yield return (Settled(state) with { PendingActingChange = pending }, new AdvanceMap(11, acting, acting, size, minSize, Osds(0)));
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_kind_comes_from_the_states_the_table_allows_and_makes_its_moves()
    {
        var seen = new HashSet<MapChange>();
        foreach (var (before, e) in Cases())
        {
            var from = before.State;
            var change = new PeeringMachine(before).DecideMapChange(e);
            seen.Add(change);
            var r = PeeringMachine.Step(before, e);
            var moves = r.Effects.OfType<LogTransition>().Select(t => (t.From, t.To)).ToList();
            var what = $"{change} from {from}: moves {string.Join(", ", moves)}";

            switch (change)
            {
                case MapChange.SameMap or MapChange.PoolUpdate:
                    Assert.True(moves.Count == 0, what);
                    break;
                case MapChange.Retry or MapChange.RetryAfterPool:
                    Assert.True(change == MapChange.Retry ? from is PgState.GetPeerInfo or PgState.WaitUpThru : from is PgState.Down or PgState.Incomplete, what);
                    AssertChooseActingMoves(from, moves, what);
                    break;
                case MapChange.MinSizeDown:
                    Assert.True(ActiveStates.Contains(from), what);
                    Assert.True(moves.Count > 0 && moves[0] == (from, PgState.Down), what);
                    AssertChooseActingMoves(PgState.Down, moves.Skip(1).ToList(), what);
                    break;
                case MapChange.NewPrimary:
                    Assert.True(from == PgState.GetPeerInfo ? moves.Count == 0 || moves[0].From == from : moves[0] == (from, PgState.GetPeerInfo), what);
                    break;
                case MapChange.NewReplica or MapChange.NewStray:
                    Assert.True(from == PgState.Stray ? moves.Count == 0 : moves.SequenceEqual([(from, PgState.Stray)]), what);
                    break;
            }
        }

        // Every row was exercised (otherwise the checks above would be vacuous).
        Assert.Equal(Enum.GetValues<MapChange>().Order(), seen.Order());
    }

    /// <summary>ChooseActing (REDUCER.md §5.7, §5.8) from <paramref name="from"/>: Down, WaitUpThru, Incomplete, or Active and on to Recovering or Clean.</summary>
    private static void AssertChooseActingMoves(PgState from, List<(PgState From, PgState To)> moves, string what)
    {
        if (moves.Count == 0)
        {
            return;
        }

        Assert.True(moves[0].From == from && moves[0].To is PgState.Down or PgState.WaitUpThru or PgState.Incomplete or PgState.Active, what);
        if (moves[0].To == PgState.Active)
        {
            Assert.True(moves.Count == 2 && moves[1].To is PgState.Recovering or PgState.Clean, what);
        }
        else
        {
            Assert.True(moves.Count == 1, what);
        }
    }
}
