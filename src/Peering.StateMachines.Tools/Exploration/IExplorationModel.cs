namespace Peering.StateMachines.Tools;

/// <summary>
/// What the explorer needs to know about a machine. For a machine built with the toolkit,
/// <c>MachineTools&lt;...&gt;.Exploration.Model(world)</c> makes it from the generated contract and the
/// machine's <see cref="IExplorationWorld{TSnapshot, TEvent}"/>; implement it directly only for a
/// machine that is not declared with the toolkit. Every member must be a pure function of its
/// arguments (the explorer calls them from several threads at once and relies on getting the same
/// answer every time).
/// </summary>
/// <typeparam name="TSnapshot">The machine's snapshot type (an immutable value).</typeparam>
/// <typeparam name="TEvent">The machine's event base type.</typeparam>
public interface IExplorationModel<TSnapshot, TEvent>
{
    /// <summary>The declared machine (the generated <c>Definition</c>): coverage is measured against it.</summary>
    MachineDefinition Definition { get; }

    /// <summary>The snapshot every trace starts from (the fresh machine).</summary>
    TSnapshot Origin { get; }

    /// <summary>
    /// The events that set up the initial configurations: each is applied to <see cref="Origin"/> and
    /// its result is an initial configuration at depth 0 (the step counts in coverage and opens every
    /// counterexample trace). Empty: <see cref="Origin"/> itself is the one initial configuration.
    /// </summary>
    IReadOnlyList<TEvent> InitialEvents { get; }

    /// <summary>
    /// Appends to <paramref name="events"/> the finite event alphabet of <paramref name="snapshot"/>, in
    /// a fixed order (the order decides which of two equally short counterexamples is reported).
    /// </summary>
    void AddEvents(TSnapshot snapshot, List<TEvent> events);

    /// <summary>The pure step: <paramref name="before"/> is not changed.</summary>
    StepOutcome<TSnapshot> Step(TSnapshot before, TEvent e);

    /// <summary>The declaration index of <paramref name="e"/>'s type (the generated <c>EventIndex</c>).</summary>
    int EventIndex(TEvent e);

    /// <summary>The canonical encoding of <paramref name="snapshot"/> (the generated <c>WriteCanonical</c>).</summary>
    void WriteCanonical(CanonicalWriter writer, TSnapshot snapshot);

    /// <summary>The failed invariants of <paramref name="snapshot"/>: bit i for <c>Definition.Invariants[i]</c> (the generated <c>EvaluateInvariants(...).ViolationMask</c>).</summary>
    ulong InvariantViolations(TSnapshot snapshot);

    /// <summary>Writes <paramref name="steps"/> (from <see cref="Origin"/>) as a replayable trace.</summary>
    void WriteTrace(Stream output, IReadOnlyList<PathStep<TSnapshot, TEvent>> steps);
}

/// <summary>
/// What one step did: the snapshot after it, the state before and after (enum values) and every
/// single move it made in order (empty when it did not move; more than one when it passed through
/// transient states). A ref struct: the moves may be the stepping machine's own buffer, read before the next step.
/// </summary>
public readonly ref struct StepOutcome<TSnapshot>(TSnapshot after, int from, int to, ReadOnlySpan<SingleMove> moves)
{
    /// <summary>The snapshot after the step.</summary>
    public TSnapshot After { get; } = after;

    /// <summary>The state before the step (its enum value).</summary>
    public int From { get; } = from;

    /// <summary>The state after the step (its enum value).</summary>
    public int To { get; } = to;

    /// <summary>The single moves of the step, in order.</summary>
    public ReadOnlySpan<SingleMove> Moves { get; } = moves;
}

/// <summary>A step of a counterexample path.</summary>
public sealed record PathStep<TSnapshot, TEvent>(TSnapshot Before, TEvent Event, TSnapshot After, int From, int To);
