using Peering.StateMachines;

namespace Peering.TestMachines;

/// <summary>
/// A door: the toolkit's second user (the first is the peering reducer). Closed, opened, locked,
/// and slamming (a transient state a slam passes through: the door swings shut and, in the same
/// step, latches or bounces back open).
/// </summary>
/// <remarks>
/// <para>
/// PLANTED BUG (deliberate, for the explorer tests): the third kick on a locked door breaks it open
/// but leaves the bolt thrown, so the invariant <c>bolt_only_when_closed</c> fails. The shortest
/// event sequence from the fresh door that reaches it is <c>Lock, Kick, Kick, Kick</c> (depth 4):
/// the bolt can only be thrown on the closed door (Lock moves it to Locked), and the only way out
/// of Locked with the bolt thrown is the third kick. See <see cref="DoorExploration"/>.
/// </para>
/// </remarks>
[StateMachine(typeof(DoorEvent), typeof(DoorEffect), typeof(DoorSnapshot))]
public sealed partial class Door
{
    /// <summary>How many kicks break the locked door open.</summary>
    public const int KicksToBreak = 3;

    /// <summary>Shut, bolt drawn.</summary>
    [State]
    [Handles(typeof(Open), typeof(Opened))]
    [Handles(typeof(LockDoor), typeof(Locked))]
    [Handles(typeof(Kick), typeof(Opened))]
    [Handles(typeof(KnockEvent))]
    [Ignores(typeof(Close), typeof(Unlock))]
    public sealed partial class Closed;

    /// <summary>Open (wire name <c>Open</c>).</summary>
    [State("Open")]
    [Handles(typeof(Close), typeof(Closed), typeof(Slamming))]
    [Handles(typeof(Kick), typeof(Slamming))]
    [Ignores(typeof(Open), typeof(LockDoor), typeof(Unlock), typeof(KnockEvent))]
    public sealed partial class Opened;

    /// <summary>Shut, bolt thrown.</summary>
    [State]
    [Handles(typeof(Unlock), typeof(Closed))]
    [Handles(typeof(Kick), typeof(Opened))]
    [Handles(typeof(KnockEvent))]
    [Ignores(typeof(Open), typeof(Close), typeof(LockDoor))]
    public sealed partial class Locked;

    /// <summary>Swinging shut after a slam; left within the same step.</summary>
    [State]
    [Ignores(typeof(Open), typeof(Close), typeof(LockDoor), typeof(Unlock), typeof(Kick), typeof(KnockEvent))]
    [Continues(typeof(Closed), typeof(Opened))]
    public sealed partial class Slamming;

    private bool _bolted;
    private string _key = "";
    private uint _turns;
    private int _kicks;
    private long _opens;
    private Frame _frame;
    private KeySet _keysTried;
    private long? _lastForce;

    /// <summary>A fresh door: closed, bolt drawn, an undented frame of <paramref name="material"/>.</summary>
    public Door(Material material = Material.Oak)
    {
        _frame = new Frame(material, 0);
        _keysTried = KeySet.Empty;
    }

    /// <summary>A door restored from a snapshot.</summary>
    public Door(DoorSnapshot snapshot)
    {
        State = snapshot.State;
        _bolted = snapshot.Bolted;
        _key = snapshot.Key;
        _turns = snapshot.Turns;
        _kicks = snapshot.Kicks;
        _opens = snapshot.Opens;
        _frame = snapshot.Frame;
        _keysTried = snapshot.KeysTried;
        _lastForce = snapshot.LastForce;
    }

    /// <summary>The door as traces record it.</summary>
    [SnapshotFactory]
    public DoorSnapshot TakeSnapshot() => new(State, _bolted, _key, _turns, _kicks, _opens, _frame, _keysTried, _lastForce);

    [Transition]
    private void Move(DoorState to)
    {
        if (to == State)
        {
            return;
        }

        Emit(new Moved(State, to));
        State = to;
    }

    [Handler]
    private void On(Open e)
    {
        _lastForce = e.Force;
        _opens++;
        Move(DoorState.Opened);
    }

    [Handler]
    private void On(Close e)
    {
        if (e.Slam)
        {
            Move(DoorState.Slamming);
            Settle();
        }
        else
        {
            Move(DoorState.Closed);
        }
    }

    [Handler]
    private void On(LockDoor e)
    {
        var turns = e.Turns ?? 1;
        if (turns == 0)
        {
            Emit(new Rejected(e.Key, "zero turns"));
            return;
        }

        _bolted = true;
        _key = e.Key;
        _turns = turns;
        Move(DoorState.Locked);
    }

    [Handler]
    private void On(Unlock e)
    {
        if (e.Key != _key)
        {
            _keysTried = _keysTried.Add(e.Key);
            Emit(new Rejected(e.Key, "wrong key"));
            return;
        }

        _bolted = false;
        _key = "";
        _turns = 0;
        _kicks = 0;
        Move(DoorState.Closed);
    }

    [Handler]
    private void On(Kick e)
    {
        _lastForce = e.Force;
        switch (State)
        {
            case DoorState.Closed:
                // The latch gives: the door flies open.
                _opens++;
                Move(DoorState.Opened);
                break;
            case DoorState.Opened:
                // Kicked shut.
                Move(DoorState.Slamming);
                Settle();
                break;
            case DoorState.Locked:
                _kicks++;
                _frame = _frame with { Dents = _frame.Dents + 1 };
                Emit(new Splintered(_frame.Material, _kicks));
                if (_kicks == KicksToBreak)
                {
                    // PLANTED BUG: the frame breaks and the door flies open, but the bolt stays thrown
                    // (_bolted, _key and _turns should be cleared here). Violates bolt_only_when_closed.
                    _kicks = 0;
                    _opens++;
                    Move(DoorState.Opened);
                }

                break;
        }
    }

    [Handler]
    private void On(KnockEvent e) => Emit(new Echo(e.Rhythm.ToArray()));

    /// <summary>Ends a slam: a thrown bolt cannot enter the frame, so the door bounces back open; otherwise it latches.</summary>
    [Procedure(typeof(Slamming))]
    private void Settle()
    {
        Emit(new Bang(_bolted ? 95UL : 80UL));
        if (_bolted)
        {
            Move(DoorState.Opened);
        }
        else
        {
            Move(DoorState.Closed);
        }
    }
}

/// <summary>The door's invariants (must hold on every snapshot) and checks (recorded in traces).</summary>
public static class DoorRules
{
    /// <summary>The bolt is thrown only while the door is shut and locked. Broken by the planted bug.</summary>
    [Invariant("bolt_only_when_closed")]
    public static bool BoltOnlyWhenClosed(DoorSnapshot s) => !s.Bolted || s.State == DoorState.Locked;

    /// <summary>A thrown bolt has been turned at least once; a drawn one not at all.</summary>
    [Invariant("turns_match_bolt")]
    public static bool TurnsMatchBolt(DoorSnapshot s) => s.Bolted == (s.Turns > 0);

    /// <summary>Kicks are counted only while locked, and never reach the breaking count.</summary>
    [Invariant("kicks_below_limit")]
    public static bool KicksBelowLimit(DoorSnapshot s) => s.Kicks < Door.KicksToBreak && (s.Kicks == 0 || s.State == DoorState.Locked);

    /// <summary>The door is open.</summary>
    [Check("is_open")]
    public static bool IsOpen(DoorSnapshot s) => s.State == DoorState.Opened;

    /// <summary>The door is locked.</summary>
    [Check("is_locked")]
    public static bool IsLocked(DoorSnapshot s) => s.State == DoorState.Locked;

    /// <summary>The frame has at least one dent.</summary>
    [Check("dented")]
    public static bool Dented(DoorSnapshot s) => s.Frame.Dents > 0;
}
