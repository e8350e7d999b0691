using Peering.StateMachines;

namespace Peering.Machine;

// The 12 states (REDUCER.md §1) and, for each, what every event may do there: the single moves a
// handler may make from that state (a move to the current state is no move). They follow the
// handlers of REDUCER.md §7: ChooseActing can move to Down, WaitUpThru, Active or Incomplete
// (the Incomplete rows are dead code in the reference, §12, but the decision table has them);
// ActivateIfPossible moves to Down or Active, and a step that reaches Active moves on to
// Recovering or Clean (Active's [Continues]). The first move of a step, also when a procedure makes
// it, is checked against the Handles of the step's event, so each Handles lists every first move
// the handler and the procedures it calls make from that state. docs/peering-transitions.md
// relates these single moves to the step-level table of REDUCER.md §13.
//
// The decisions on the machine class are defaults: a state that declares nothing about an event
// inherits them, and a state's own Handles of the event replaces the default whole (GetPeerInfo's
// Initialize, Deleting's DeleteStart). Every event but Initialize, AdvanceMap and DeleteStart is
// ignored except where a state handles it.
[Handles(typeof(Initialize), typeof(GetPeerInfo), typeof(Stray))]
[Handles(typeof(DeleteStart), typeof(Deleting))]
[Ignores(typeof(PeerInfoReceived), typeof(PeerQueryTimeout), typeof(UpThruUpdated), typeof(ActivateCommitted),
    typeof(RecoveryComplete), typeof(AllReplicasRecovered), typeof(ReplicaActivate), typeof(ReplicaRecoveryComplete),
    typeof(DeleteComplete))]
public sealed partial class PeeringMachine
{
    /// <summary>Fresh machine, before any Initialize.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray))]
    public sealed partial class Initial;

    /// <summary>Defined but never entered by any handler.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray))]
    public sealed partial class Reset;

    /// <summary>Primary collecting peer reports.</summary>
    /// <remarks>
    /// On Initialize (and a new-interval AdvanceMap), BeginPrimary's move to GetPeerInfo is no move
    /// from here, so ChooseActing's moves are the step's first moves and belong to these targets.
    /// </remarks>
    [State]
    [Handles(typeof(Initialize), typeof(GetPeerInfo), typeof(Stray), typeof(Down), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]
    [Handles(typeof(AdvanceMap), typeof(Stray), typeof(Down), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]
    [Handles(typeof(PeerInfoReceived), typeof(Down), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]
    [Handles(typeof(PeerQueryTimeout), typeof(Down), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]
    public sealed partial class GetPeerInfo;

    /// <summary>Primary waiting for the monitor to confirm up_thru.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(Down), typeof(Active), typeof(Incomplete))]
    [Handles(typeof(PeerInfoReceived), typeof(Down), typeof(Active), typeof(Incomplete))]
    [Handles(typeof(UpThruUpdated), typeof(Down), typeof(Active))]
    public sealed partial class WaitUpThru;

    /// <summary>Primary activated; a step that enters it always leaves it again (REDUCER.md §12).</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(Down))]
    [Handles(typeof(ActivateCommitted))]
    [Handles(typeof(AllReplicasRecovered), typeof(Clean))]
    [Continues(typeof(Recovering), typeof(Clean))]
    public sealed partial class Active;

    /// <summary>Primary active with outstanding recovery work.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(Down))]
    [Handles(typeof(ActivateCommitted))]
    [Handles(typeof(RecoveryComplete), typeof(Clean))]
    [Handles(typeof(AllReplicasRecovered), typeof(Clean))]
    public sealed partial class Recovering;

    /// <summary>Primary active, nothing left to recover.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(Down))]
    [Handles(typeof(ActivateCommitted))]
    public sealed partial class Clean;

    /// <summary>Non-primary, not (yet) activated in this interval.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo))]
    [Handles(typeof(ReplicaActivate), typeof(ReplicaActive))]
    public sealed partial class Stray;

    /// <summary>Non-primary activated by the acting primary.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(Down))]
    [Handles(typeof(ActivateCommitted))]
    [Handles(typeof(ReplicaActivate))]
    [Handles(typeof(ReplicaRecoveryComplete))]
    public sealed partial class ReplicaActive;

    /// <summary>Primary cannot proceed (min_size, prior-interval timeout).</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]
    [Handles(typeof(PeerInfoReceived), typeof(WaitUpThru), typeof(Active), typeof(Incomplete))]
    public sealed partial class Down;

    /// <summary>Primary lacks data; reachable only from a hand-made snapshot (REDUCER.md §12).</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray), typeof(Down), typeof(WaitUpThru), typeof(Active))]
    [Handles(typeof(PeerInfoReceived), typeof(Down), typeof(WaitUpThru), typeof(Active))]
    public sealed partial class Incomplete;

    /// <summary>Deletion requested.</summary>
    [State]
    [Handles(typeof(AdvanceMap), typeof(GetPeerInfo), typeof(Stray))]
    [Handles(typeof(DeleteStart))]
    public sealed partial class Deleting;
}
