using Peering.Machine;
using Peering.StateMachines;

namespace Peering.Tests.Machine;

/// <summary>
/// The declarations against REDUCER.md §13, the step-level transition table: every (from, to) the
/// table lists for an event must be reachable through the declared single moves (the first from the
/// state's handler for that event, later ones from the state-level permitted sets). The table is
/// transcribed here by hand; "any" rows are expanded to every state.
/// </summary>
public class DeclarationTests
{
    private static readonly MachineDefinition D = PeeringMachine.Definition;

    private static readonly string[] All =
        ["Initial", "Reset", "GetPeerInfo", "WaitUpThru", "Active", "Recovering", "Clean", "Stray", "ReplicaActive", "Down", "Incomplete", "Deleting"];

    private static readonly string[] ChooseActingFromGetPeerInfo = ["GetPeerInfo", "Down", "WaitUpThru", "Recovering", "Clean"];

    public static TheoryData<string, string, string[]> Table()
    {
        var rows = new TheoryData<string, string, string[]>();
        foreach (var s in All)
        {
            rows.Add("Initialize", s, ["GetPeerInfo", "WaitUpThru", "Down", "Clean", "Stray"]);
            rows.Add("DeleteStart", s, ["Deleting"]);
        }

        foreach (var s in new[] { "Initial", "Reset", "Deleting" })
        {
            rows.Add("AdvanceMap", s, [s, "GetPeerInfo", "WaitUpThru", "Down", "Clean", "Stray"]);
        }

        rows.Add("AdvanceMap", "Stray", ["Stray", "GetPeerInfo", "WaitUpThru", "Down", "Clean"]);
        rows.Add("AdvanceMap", "ReplicaActive", ["ReplicaActive", "GetPeerInfo", "WaitUpThru", "Down", "Clean", "Stray", "Recovering"]);
        rows.Add("AdvanceMap", "GetPeerInfo", ["GetPeerInfo", "WaitUpThru", "Down", "Recovering", "Clean", "Stray"]);
        rows.Add("AdvanceMap", "WaitUpThru", ["WaitUpThru", "Down", "Recovering", "Clean", "GetPeerInfo", "Stray"]);
        rows.Add("AdvanceMap", "Active", ["Active", "Down", "WaitUpThru", "Recovering", "Clean", "GetPeerInfo", "Stray"]);
        rows.Add("AdvanceMap", "Recovering", ["Recovering", "Down", "WaitUpThru", "Clean", "GetPeerInfo", "Stray"]);
        rows.Add("AdvanceMap", "Clean", ["Clean", "Down", "WaitUpThru", "Recovering", "GetPeerInfo", "Stray"]);
        rows.Add("AdvanceMap", "Down", ["Down", "WaitUpThru", "Recovering", "Clean", "GetPeerInfo", "Stray"]);
        rows.Add("AdvanceMap", "Incomplete", ["Incomplete", "Down", "WaitUpThru", "Recovering", "Clean", "GetPeerInfo", "Stray"]);
        rows.Add("PeerInfoReceived", "GetPeerInfo", ChooseActingFromGetPeerInfo);
        rows.Add("PeerInfoReceived", "WaitUpThru", ["WaitUpThru", "Down", "Recovering", "Clean"]);
        rows.Add("PeerInfoReceived", "Down", ["Down", "WaitUpThru", "Recovering", "Clean"]);
        rows.Add("PeerInfoReceived", "Incomplete", ["Incomplete", "Down", "WaitUpThru", "Recovering", "Clean"]);
        rows.Add("PeerQueryTimeout", "GetPeerInfo", ChooseActingFromGetPeerInfo);
        rows.Add("UpThruUpdated", "WaitUpThru", ["WaitUpThru", "Down", "Recovering", "Clean"]);
        rows.Add("RecoveryComplete", "Recovering", ["Recovering", "Clean"]);
        rows.Add("AllReplicasRecovered", "Recovering", ["Recovering", "Clean"]);
        rows.Add("AllReplicasRecovered", "Active", ["Active", "Clean"]);
        rows.Add("ReplicaActivate", "Stray", ["Stray", "ReplicaActive"]);
        rows.Add("ReplicaActivate", "ReplicaActive", ["ReplicaActive"]);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_step_the_spec_table_lists_is_permitted_by_the_declarations(string e, string from, string[] to)
    {
        var reachable = Reachable(D.EventIndex(e), D.StateIndex(from));
        var missing = to.Where(t => !reachable.Contains(D.StateIndex(t))).ToList();
        Assert.True(missing.Count == 0, $"{e} from {from}: not reachable through declared moves: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Events_the_table_says_leave_the_state_unchanged_are_ignored_or_move_nowhere()
    {
        // "other states: unchanged" rows, and ActivateCommitted, ReplicaRecoveryComplete, DeleteComplete everywhere.
        var unchanged = new Dictionary<string, string[]>
        {
            ["PeerInfoReceived"] = ["Initial", "Reset", "Active", "Recovering", "Clean", "Stray", "ReplicaActive", "Deleting"],
            ["PeerQueryTimeout"] = All.Except(["GetPeerInfo"]).ToArray(),
            ["UpThruUpdated"] = All.Except(["WaitUpThru"]).ToArray(),
            ["ActivateCommitted"] = All,
            ["RecoveryComplete"] = All.Except(["Recovering"]).ToArray(),
            ["AllReplicasRecovered"] = All.Except(["Recovering", "Active"]).ToArray(),
            ["ReplicaActivate"] = All.Except(["Stray", "ReplicaActive"]).ToArray(),
            ["ReplicaRecoveryComplete"] = All,
            ["DeleteComplete"] = All,
        };
        foreach (var (e, states) in unchanged)
        {
            foreach (var s in states)
            {
                var handled = D.Handled.Where(h => h.Event == D.EventIndex(e) && h.State == D.StateIndex(s)).ToList();
                Assert.True(handled.All(h => h.Targets.IsEmpty), $"{e} in {s} declares moves");
            }
        }
    }

    [Fact]
    public void Every_state_decides_every_event_once()
    {
        for (var s = 0; s < D.States.Length; s++)
        {
            for (var e = 0; e < D.Events.Length; e++)
            {
                var decisions = D.Handled.Count(h => h.State == s && h.Event == e) + D.Ignored.Count(i => i.State == s && i.Event == e);
                Assert.True(decisions == 1, $"{D.States[s]} x {D.Events[e]}: {decisions} decisions");
            }
        }

        Assert.Equal(12, D.States.Length);
        Assert.Equal(12, D.Events.Length);
        Assert.Equal(15, D.Effects.Length);
    }

    /// <summary>States a step for event <paramref name="e"/> from <paramref name="from"/> can end in, by declared moves.</summary>
    private static HashSet<int> Reachable(int e, int from)
    {
        // States entered by a move; a step may pass through its own from-state again (Active -> Down -> Active).
        var entered = new HashSet<int>();
        var frontier = new Queue<int>();
        foreach (var t in D.Handled.Where(h => h.State == from && h.Event == e).SelectMany(h => h.Targets))
        {
            if (entered.Add(t))
            {
                frontier.Enqueue(t);
            }
        }

        while (frontier.Count > 0)
        {
            var s = frontier.Dequeue();
            foreach (var t in D.Transitions.Where(t => t.From == s).Select(t => t.To))
            {
                if (entered.Add(t))
                {
                    frontier.Enqueue(t);
                }
            }
        }

        entered.Add(from);
        return entered;
    }
}
