using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;

namespace Peering.Exploration;

/// <summary>
/// The step-level (from_state, to_state) pairs, from != to, of REDUCER.md §13 that are reachable from
/// a generated start (GENERATOR.md §4: whoami the primary of an acting set of pool size >= 2, so there
/// is always something to probe, and Initialize only as step 0). docs/exploration.md gives, for every
/// other pair of §13, why no generated trace makes it.
/// </summary>
public static class SpecStepPairs
{
    private static readonly (PgState From, PgState[] To)[] LeanCore =
    [
        (PgState.Initial, [PgState.GetPeerInfo]),
        (PgState.GetPeerInfo, [PgState.WaitUpThru, PgState.Recovering, PgState.Clean, PgState.Stray, PgState.Down]),
        (PgState.WaitUpThru, [PgState.GetPeerInfo, PgState.Recovering, PgState.Clean, PgState.Stray, PgState.Down]),
        (PgState.Recovering, [PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Clean, PgState.Stray, PgState.Down]),
        (PgState.Clean, [PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Stray, PgState.Down]),
        (PgState.Stray, [PgState.GetPeerInfo, PgState.WaitUpThru, PgState.ReplicaActive, PgState.Down]),
        (PgState.ReplicaActive, [PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Stray, PgState.Down]),
        (PgState.Down, [PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Recovering, PgState.Clean, PgState.Stray]),
    ];

    private static readonly (PgState From, PgState[] To)[] FullOnly =
    [
        (PgState.GetPeerInfo, [PgState.Deleting]),
        (PgState.WaitUpThru, [PgState.Deleting]),
        (PgState.Recovering, [PgState.Deleting]),
        (PgState.Clean, [PgState.Deleting]),
        (PgState.Stray, [PgState.Deleting]),
        (PgState.ReplicaActive, [PgState.Deleting]),
        (PgState.Down, [PgState.Deleting]),
        (PgState.Deleting, [PgState.GetPeerInfo, PgState.WaitUpThru, PgState.Stray, PgState.Down]),
    ];

    /// <summary>The pairs for <paramref name="profile"/>, ordered by (from, to) state index.</summary>
    public static IReadOnlyList<SingleMove> ReachableFromGeneratedStart(Profile profile) =>
        (profile == Profile.LeanCore ? LeanCore : LeanCore.Concat(FullOnly))
            .SelectMany(row => row.To.Select(to => new SingleMove((int)row.From, (int)to)))
            .OrderBy(m => m.From).ThenBy(m => m.To).ToArray();
}
