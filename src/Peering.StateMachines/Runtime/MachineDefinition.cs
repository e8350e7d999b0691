using System.Collections.Immutable;

namespace Peering.StateMachines;

/// <summary>
/// A declared machine as data: what the generator read from the attributes. States, events and
/// effects are identified by their index (the state's enum value, the event's declaration index).
/// Tools use it to draw diagrams and to measure coverage.
/// </summary>
public sealed class MachineDefinition
{
    /// <summary>Creates a definition; called by generated code.</summary>
    public MachineDefinition(
        string name,
        ImmutableArray<string> states,
        ImmutableArray<string> events,
        ImmutableArray<string> effects,
        ImmutableArray<HandledPair> handled,
        ImmutableArray<IgnoredPair> ignored,
        ImmutableArray<DeclaredTransition> transitions,
        ImmutableArray<DeclaredProcedure> procedures,
        ImmutableArray<string> invariants,
        ImmutableArray<string> checks,
        ImmutableArray<int> transitionLogs = default)
    {
        Name = name;
        States = states;
        Events = events;
        Effects = effects;
        Handled = handled;
        Ignored = ignored;
        Transitions = transitions;
        Procedures = procedures;
        Invariants = invariants;
        Checks = checks;
        TransitionLogs = transitionLogs.IsDefault ? [] : transitionLogs;
    }

    /// <summary>The machine's type name.</summary>
    public string Name { get; }

    /// <summary>State wire names; the index is the state enum's value.</summary>
    public ImmutableArray<string> States { get; }

    /// <summary>Event wire tags in declaration order.</summary>
    public ImmutableArray<string> Events { get; }

    /// <summary>Effect wire tags in declaration order.</summary>
    public ImmutableArray<string> Effects { get; }

    /// <summary>Every (state, event) pair that runs a handler.</summary>
    public ImmutableArray<HandledPair> Handled { get; }

    /// <summary>Every (state, event) pair that is explicitly ignored.</summary>
    public ImmutableArray<IgnoredPair> Ignored { get; }

    /// <summary>Every permitted single move, with the event that causes it (or a continuation).</summary>
    public ImmutableArray<DeclaredTransition> Transitions { get; }

    /// <summary>Shared helpers and the states they run from.</summary>
    public ImmutableArray<DeclaredProcedure> Procedures { get; }

    /// <summary>Invariant names in declaration order.</summary>
    public ImmutableArray<string> Invariants { get; }

    /// <summary>Check names (the trace's checks object keys) in declaration order.</summary>
    public ImmutableArray<string> Checks { get; }

    /// <summary>The indices of the effects that record a move (<see cref="TransitionLogAttribute"/>), in declaration order.</summary>
    public ImmutableArray<int> TransitionLogs { get; }

    /// <summary>The index of a state wire name, or -1.</summary>
    public int StateIndex(string name) => States.IndexOf(name);

    /// <summary>The index of an event tag, or -1.</summary>
    public int EventIndex(string tag) => Events.IndexOf(tag);

    /// <summary>Whether the single move <paramref name="from"/> to <paramref name="to"/> is declared (for any cause).</summary>
    public bool Permits(int from, int to)
    {
        foreach (var t in Transitions)
        {
            if (t.From == from && t.To == to)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A state that handles an event, with the states its handler may move to from there.</summary>
public readonly record struct HandledPair(int State, int Event, ImmutableArray<int> Targets);

/// <summary>A state that ignores an event.</summary>
public readonly record struct IgnoredPair(int State, int Event);

/// <summary>
/// A permitted single move. <see cref="Event"/> is the index of the event whose handler declares it,
/// or -1 for a continuation (<see cref="ContinuesAttribute"/>).
/// </summary>
public readonly record struct DeclaredTransition(int From, int To, int Event)
{
    /// <summary>True for a move declared by <see cref="ContinuesAttribute"/>.</summary>
    public bool IsContinuation => Event < 0;
}

/// <summary>A shared helper and the states it runs from.</summary>
public readonly record struct DeclaredProcedure(string Name, ImmutableArray<int> RunsFrom);
