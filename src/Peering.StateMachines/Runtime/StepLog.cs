namespace Peering.StateMachines;

/// <summary>
/// The bookkeeping of one machine's steps, kept by generated code: the effects and single moves of
/// the current (or last) step, the event being handled, and the run-to-completion rule. A step runs
/// from <see cref="Begin"/> to <see cref="End"/>; a second <see cref="Begin"/> before the first
/// ends is a re-entrant dispatch and throws <see cref="ReentrantDispatchException"/>. Every move
/// made during a step is checked by the machine's <see cref="TransitionGuard"/> before it happens.
/// </summary>
/// <remarks>
/// A mutable struct held in a (non-readonly) field of the machine, so that a machine is one
/// allocation; its buffers are allocated when the first effect or move needs them.
/// </remarks>
/// <typeparam name="TEffect">The machine's effect base type.</typeparam>
public struct StepLog<TEffect>
{
    private readonly TransitionGuard _guard;
    private TEffect[] _effects;
    private int _effectCount;
    private SingleMove[] _moves;
    private int _moveCount;
    private int _event;
    private bool _moved;
    private bool _started;

    /// <summary>A log whose moves are checked against <paramref name="guard"/>.</summary>
    public StepLog(TransitionGuard guard)
    {
        _guard = guard;
        _effects = [];
        _moves = [];
        _event = -1;
    }

    /// <summary>Whether a step is running.</summary>
    public readonly bool Running => _event >= 0;

    /// <summary>The effects emitted in the current (or last) step, in order; valid until the next step begins.</summary>
    public readonly ReadOnlySpan<TEffect> Effects => new(_effects, 0, _effectCount);

    /// <summary>The single moves of the current (or last) step, in order; valid until the next step begins.</summary>
    public readonly ReadOnlySpan<SingleMove> Moves => new(_moves, 0, _moveCount);

    /// <summary>Starts a step on the event with declaration index <paramref name="eventIndex"/>: clears the last step's effects and moves.</summary>
    /// <exception cref="ReentrantDispatchException">A step is already running on this machine.</exception>
    public void Begin(int eventIndex)
    {
        // Atomic, so that two threads stepping one machine at once are caught as well: one of them throws.
        var running = Interlocked.CompareExchange(ref _event, eventIndex, -1);
        if (running >= 0)
        {
            throw new ReentrantDispatchException(_guard.Definition, running, eventIndex);
        }

        Clear();
        _moved = false;
        _started = true;
    }

    /// <summary>Ends the running step.</summary>
    public void End() => Volatile.Write(ref _event, -1);

    /// <summary>A step that does nothing (an event the machine refuses): no effects, no moves.</summary>
    /// <exception cref="ReentrantDispatchException">A step is already running on this machine.</exception>
    public void Skip(int eventIndex)
    {
        Begin(eventIndex);
        End();
    }

    /// <summary>
    /// Forgets every step, keeping the buffers: the log is as new, so that the machine's next
    /// assignments of its state are its construction again (a machine restored in place, <see cref="RestoreAttribute"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A step is running on this machine.</exception>
    public void Rewind()
    {
        if (Volatile.Read(ref _event) >= 0)
        {
            throw new InvalidOperationException("a machine cannot be restored while it is handling an event");
        }

        Clear();
        _moved = false;
        _started = false;
    }

    /// <summary>Records an effect of the running step.</summary>
    public void Add(TEffect effect)
    {
        if (_effectCount == _effects.Length)
        {
            Array.Resize(ref _effects, Math.Max(8, _effects.Length * 2));
        }

        _effects[_effectCount++] = effect;
    }

    /// <summary>
    /// Checks and records the move from state <paramref name="from"/> to <paramref name="to"/>
    /// (indices; <paramref name="from"/> differs from <paramref name="to"/>). Before the machine's first
    /// step a move is its construction and is not checked; after it, a move outside a step, or one the
    /// declarations do not permit for the step's event and progress, throws.
    /// </summary>
    /// <exception cref="UndeclaredTransitionException">The declarations do not permit the move here.</exception>
    public void Move(int from, int to)
    {
        if (_event < 0)
        {
            if (_started)
            {
                throw new UndeclaredTransitionException(_guard.Definition, from, to, -1, moved: false, outsideStep: true);
            }

            return;
        }

        if (!_guard.Permits(from, to, _event, _moved))
        {
            throw new UndeclaredTransitionException(_guard.Definition, from, to, _event, _moved, outsideStep: false);
        }

        if (_moveCount == _moves.Length)
        {
            Array.Resize(ref _moves, Math.Max(4, _moves.Length * 2));
        }

        _moves[_moveCount++] = new SingleMove(from, to);
        _moved = true;
    }

    private void Clear()
    {
        // Drop the references, so that the last step's effects do not outlive it.
        Array.Clear(_effects, 0, _effectCount);
        _effectCount = 0;
        _moveCount = 0;
    }
}

/// <summary>
/// The declared moves of a machine as bit masks, for the run-time check of every move
/// (docs/toolkit.md §5): the first move of a step on event E from the state S it started in must be
/// one of S's <c>Handles(E)</c> targets; after the step has moved into a state T, each further move
/// from T must be in T's state-level set (all its <c>Handles</c> targets and its <c>Continues</c>).
/// This is the rule the transition analyzer checks at compile time.
/// </summary>
public sealed class TransitionGuard
{
    private readonly ulong[] _onEvent;
    private readonly ulong[] _afterMove;
    private readonly int _events;

    /// <summary>The guard of <paramref name="definition"/> (at most 64 states).</summary>
    public TransitionGuard(MachineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.States.Length > 64)
        {
            throw new ArgumentException("a machine has at most 64 states", nameof(definition));
        }

        Definition = definition;
        _events = definition.Events.Length;
        _onEvent = new ulong[definition.States.Length * Math.Max(_events, 1)];
        _afterMove = new ulong[definition.States.Length];
        foreach (var pair in definition.Handled)
        {
            foreach (var target in pair.Targets)
            {
                _onEvent[(pair.State * _events) + pair.Event] |= 1UL << target;
            }
        }

        foreach (var t in definition.Transitions)
        {
            _afterMove[t.From] |= 1UL << t.To;
        }
    }

    /// <summary>The machine the masks are of.</summary>
    public MachineDefinition Definition { get; }

    /// <summary>Whether the move is permitted in a step on <paramref name="eventIndex"/> that has (<paramref name="moved"/>) or has not moved yet.</summary>
    public bool Permits(int from, int to, int eventIndex, bool moved)
    {
        var mask = moved ? _afterMove[from] : _onEvent[(from * _events) + eventIndex];
        return (mask & (1UL << to)) != 0;
    }
}

/// <summary>
/// A move the declarations do not permit was attempted at run time: the transition analyzer
/// (PSM101) missed it or was bypassed (reflection, a suppressed diagnostic, code it does not follow).
/// </summary>
public sealed class UndeclaredTransitionException : InvalidOperationException
{
    internal UndeclaredTransitionException(MachineDefinition definition, int from, int to, int eventIndex, bool moved, bool outsideStep)
        : base(Describe(definition, from, to, eventIndex, moved, outsideStep))
    {
        Machine = definition.Name;
        From = definition.States[from];
        To = definition.States[to];
        Event = eventIndex >= 0 ? definition.Events[eventIndex] : null;
    }

    /// <summary>The machine's name.</summary>
    public string Machine { get; }

    /// <summary>The state the move was from.</summary>
    public string From { get; }

    /// <summary>The state the move was to.</summary>
    public string To { get; }

    /// <summary>The event of the step, or null for a move outside any step.</summary>
    public string? Event { get; }

    private static string Describe(MachineDefinition d, int from, int to, int eventIndex, bool moved, bool outsideStep) => outsideStep
        ? $"{d.Name}: transition from '{d.States[from]}' to '{d.States[to]}' outside a step; after the first step, the machine moves only while it handles an event"
        : $"{d.Name}: transition from '{d.States[from]}' to '{d.States[to]}' on '{d.Events[eventIndex]}' is not declared"
          + (moved ? $" (after the step moved into '{d.States[from]}', its state-level targets apply)" : $" ('{d.States[from]}' handles '{d.Events[eventIndex]}' with other targets)");
}

/// <summary>
/// The machine was asked to handle an event while it was still handling another (from a callback,
/// an observer, the handler itself, an exception filter that runs during unwinding, or another
/// thread). Steps run to completion: the second event is refused and the first step goes on.
/// </summary>
public sealed class ReentrantDispatchException : InvalidOperationException
{
    internal ReentrantDispatchException(MachineDefinition definition, int running, int incoming)
        : base($"{definition.Name}: '{Name(definition, incoming)}' dispatched while the machine is still handling '{Name(definition, running)}'; steps run to completion, so a handler must not dispatch to its own machine")
    {
        Machine = definition.Name;
    }

    /// <summary>The machine's name.</summary>
    public string Machine { get; }

    private static string Name(MachineDefinition d, int e) => e >= 0 && e < d.Events.Length ? d.Events[e] : "?";
}
