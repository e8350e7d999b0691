namespace Peering.StateMachines.Tools;

/// <summary>
/// How often the exploration exercised each part of the declared machine, at two levels: single
/// moves (every transition the machine made inside a step) and whole steps (the state before to the
/// state after), plus the (state, event) pairs tried. States and events are indices of the
/// <see cref="MachineDefinition"/>.
/// </summary>
public sealed class ExplorationCoverage
{
    private readonly long[] _pairs;
    private readonly long[] _moves;
    private readonly long[] _steps;

    /// <summary>Empty counts for <paramref name="definition"/>.</summary>
    public ExplorationCoverage(MachineDefinition definition)
    {
        Definition = definition;
        StateCount = definition.States.Length;
        EventCount = definition.Events.Length;
        _pairs = new long[StateCount * EventCount];
        _moves = new long[StateCount * StateCount];
        _steps = new long[StateCount * StateCount];
    }

    /// <summary>The machine measured against.</summary>
    public MachineDefinition Definition { get; }

    /// <summary>Number of states.</summary>
    public int StateCount { get; }

    /// <summary>Number of events.</summary>
    public int EventCount { get; }

    /// <summary>Steps tried from <paramref name="state"/> with an event of index <paramref name="ev"/>.</summary>
    public long PairCount(int state, int ev) => _pairs[(state * EventCount) + ev];

    /// <summary>Single moves <paramref name="from"/> to <paramref name="to"/> made.</summary>
    public long MoveCount(int from, int to) => _moves[(from * StateCount) + to];

    /// <summary>Steps that started in <paramref name="from"/> and ended in <paramref name="to"/> (equal when the step did not move or came back).</summary>
    public long StepCount(int from, int to) => _steps[(from * StateCount) + to];

    /// <summary>Handled (state, event) pairs that were tried, in declaration order.</summary>
    public IReadOnlyList<HandledPair> ReachedHandled => Definition.Handled.Where(p => PairCount(p.State, p.Event) > 0).ToArray();

    /// <summary>Handled (state, event) pairs never tried.</summary>
    public IReadOnlyList<HandledPair> UnreachedHandled => Definition.Handled.Where(p => PairCount(p.State, p.Event) == 0).ToArray();

    /// <summary>Ignored (state, event) pairs that were tried.</summary>
    public IReadOnlyList<IgnoredPair> ReachedIgnored => Definition.Ignored.Where(p => PairCount(p.State, p.Event) > 0).ToArray();

    /// <summary>Ignored (state, event) pairs never tried.</summary>
    public IReadOnlyList<IgnoredPair> UnreachedIgnored => Definition.Ignored.Where(p => PairCount(p.State, p.Event) == 0).ToArray();

    /// <summary>
    /// The distinct permitted single moves (from, to) of the declarations, whatever their cause, ordered
    /// by (from, to). A declared target equal to its source is left out: a transition to the current
    /// state is not a move.
    /// </summary>
    public IReadOnlyList<SingleMove> DeclaredMoves =>
        Definition.Transitions.Where(t => t.From != t.To).Select(t => new SingleMove(t.From, t.To)).Distinct()
            .OrderBy(m => m.From).ThenBy(m => m.To).ToArray();

    /// <summary>Declared single moves made at least once.</summary>
    public IReadOnlyList<SingleMove> ReachedMoves => DeclaredMoves.Where(m => MoveCount(m.From, m.To) > 0).ToArray();

    /// <summary>Declared single moves never made.</summary>
    public IReadOnlyList<SingleMove> UnreachedMoves => DeclaredMoves.Where(m => MoveCount(m.From, m.To) == 0).ToArray();

    /// <summary>Single moves made that no declaration permits (the analyzer should make this impossible).</summary>
    public IReadOnlyList<SingleMove> UndeclaredMoves => AllPairs(_moves).Where(m => !Definition.Permits(m.From, m.To)).ToArray();

    /// <summary>The step-level (from_state, to_state) pairs seen, ordered by (from, to), self pairs included.</summary>
    public IReadOnlyList<SingleMove> StepPairs => AllPairs(_steps).ToArray();

    /// <summary>Adds a step.</summary>
    public void Record(int from, int ev, int to, ReadOnlySpan<SingleMove> moves)
    {
        _pairs[(from * EventCount) + ev]++;
        _steps[(from * StateCount) + to]++;
        foreach (var m in moves)
        {
            _moves[(m.From * StateCount) + m.To]++;
        }
    }

    // Counts read back from a report (ExploreMerge); an overflow throws.
    internal void AddPair(int state, int ev, long count) => _pairs[(state * EventCount) + ev] = checked(_pairs[(state * EventCount) + ev] + count);

    internal void AddMove(int from, int to, long count) => _moves[(from * StateCount) + to] = checked(_moves[(from * StateCount) + to] + count);

    internal void AddStep(int from, int to, long count) => _steps[(from * StateCount) + to] = checked(_steps[(from * StateCount) + to] + count);

    /// <summary>Adds every count of <paramref name="other"/> (same definition); an overflow throws <see cref="OverflowException"/>.</summary>
    public void Add(ExplorationCoverage other)
    {
        Accumulate(_pairs, other._pairs);
        Accumulate(_moves, other._moves);
        Accumulate(_steps, other._steps);
    }

    private static void Accumulate(long[] into, long[] from)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = checked(into[i] + from[i]);
        }
    }

    private IEnumerable<SingleMove> AllPairs(long[] counts)
    {
        for (var from = 0; from < StateCount; from++)
        {
            for (var to = 0; to < StateCount; to++)
            {
                if (counts[(from * StateCount) + to] > 0)
                {
                    yield return new SingleMove(from, to);
                }
            }
        }
    }
}
