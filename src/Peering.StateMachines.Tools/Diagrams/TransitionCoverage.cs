using System.Collections.Immutable;

namespace Peering.StateMachines.Tools;

/// <summary>
/// Which declared single moves a set of steps exercised. A move (from, to) made in a step whose
/// event has index E matches, in this order: the declared transition (from, to) on E (a handler's
/// <see cref="HandlesAttribute"/> target); the continuation (from, to) (<see cref="ContinuesAttribute"/>);
/// otherwise, if some other event's handler declares (from, to), the move is <see cref="StateLevel"/>:
/// permitted through the source state's state-level set, as the transition analyzer allows for a move
/// made after the step has already moved or made in a procedure, but not attributable to one declared
/// transition. A move that matches none of these is <see cref="Undeclared"/>: the steps did
/// something the declarations do not permit.
/// </summary>
public sealed class TransitionCoverage
{
    private readonly Dictionary<DeclaredTransition, long> _counts = new();
    private readonly Dictionary<DeclaredTransition, long> _stateLevel = new();
    private readonly Dictionary<DeclaredTransition, long> _undeclared = new();
    private readonly HashSet<DeclaredTransition> _declared;
    private readonly HashSet<(int From, int To)> _pairs;

    /// <summary>Creates an empty coverage of <paramref name="definition"/>.</summary>
    public TransitionCoverage(MachineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        _declared = [.. definition.Transitions];
        _pairs = [.. definition.Transitions.Select(t => (t.From, t.To))];
    }

    /// <summary>The machine the moves are matched against.</summary>
    public MachineDefinition Definition { get; }

    /// <summary>Steps recorded.</summary>
    public long Steps { get; private set; }

    /// <summary>Single moves recorded (declared or not).</summary>
    public long Moves { get; private set; }

    /// <summary>
    /// Records one step that handled the event with index <paramref name="eventIndex"/> and made
    /// <paramref name="moves"/>: (from, to) pairs of state indexes, in order (a move to the current
    /// state is not a move and is not listed).
    /// </summary>
    public void AddStep(int eventIndex, ReadOnlySpan<(int From, int To)> moves)
    {
        Steps++;
        foreach (var (from, to) in moves)
        {
            Moves++;
            var onEvent = new DeclaredTransition(from, to, eventIndex);
            var continuation = new DeclaredTransition(from, to, -1);
            var (table, key) =
                _declared.Contains(onEvent) ? (_counts, onEvent) :
                _declared.Contains(continuation) ? (_counts, continuation) :
                _pairs.Contains((from, to)) ? (_stateLevel, onEvent) :
                (_undeclared, onEvent);
            table[key] = table.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>How many recorded moves matched the declared <paramref name="transition"/>.</summary>
    public long Count(DeclaredTransition transition) => _counts.GetValueOrDefault(transition);

    /// <summary>
    /// The distinct declared transitions that are moves, in declaration order: a declared target equal
    /// to its source state is left out, since a transition to the current state is not a move.
    /// </summary>
    public ImmutableArray<DeclaredTransition> Declared => [.. Definition.Transitions.Where(t => t.From != t.To).Distinct()];

    /// <summary>How many distinct declared transitions were exercised at least once.</summary>
    public int Exercised => _counts.Count;

    /// <summary>The declared transitions no recorded move matched, in declaration order.</summary>
    public ImmutableArray<DeclaredTransition> Unreached => [.. Declared.Where(t => !_counts.ContainsKey(t))];

    /// <summary>
    /// Moves permitted only through the source state's state-level set (see the class remarks), with
    /// how often each was seen, ordered by (from, to, event). <see cref="DeclaredTransition.Event"/> is the step's event.
    /// </summary>
    public ImmutableArray<(DeclaredTransition Move, long Count)> StateLevel => Ordered(_stateLevel);

    /// <summary>How many <see cref="StateLevel"/> moves went from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public long StateLevelCount(int from, int to) => _stateLevel.Where(p => p.Key.From == from && p.Key.To == to).Sum(p => p.Value);

    /// <summary>
    /// Recorded moves that match no declared transition, with how often each was seen, ordered by
    /// (from, to, event). <see cref="DeclaredTransition.Event"/> is the step's event.
    /// </summary>
    public ImmutableArray<(DeclaredTransition Move, long Count)> Undeclared => Ordered(_undeclared);

    private static ImmutableArray<(DeclaredTransition Move, long Count)> Ordered(Dictionary<DeclaredTransition, long> moves) =>
        [.. moves.OrderBy(p => p.Key.From).ThenBy(p => p.Key.To).ThenBy(p => p.Key.Event).Select(p => (p.Key, p.Value))];

    /// <summary>A readable name of <paramref name="transition"/>: <c>From -> To on Event</c> or <c>From -> To (continues)</c>.</summary>
    public string Describe(DeclaredTransition transition) =>
        Definition.States[transition.From] + " -> " + Definition.States[transition.To] +
        (transition.IsContinuation ? " (continues)" : " on " + Definition.Events[transition.Event]);
}
