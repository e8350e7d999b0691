namespace Peering.StateMachines;

/// <summary>
/// Marks a nested <c>partial</c> class of a <see cref="StateMachineAttribute"/> class as one of its
/// states. Declaration order is the order of the generated enum. Every event must be either handled
/// (<see cref="HandlesAttribute"/>) or ignored (<see cref="IgnoresAttribute"/>) by every state, by
/// the state itself or by a default declared on the machine class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StateAttribute : Attribute
{
    /// <summary>A state whose wire name is the class name.</summary>
    public StateAttribute() { }

    /// <summary>A state with an explicit wire name (as written in traces).</summary>
    public StateAttribute(string name) => Name = name;

    /// <summary>The wire name, or null for the class name.</summary>
    public string? Name { get; }
}

/// <summary>
/// On a state: the state handles <see cref="Event"/>, and while handling it the machine may move
/// from this state to each of <see cref="To"/> (a move to the current state is always allowed and is
/// not a transition). On the machine class: the default for every state that declares nothing about
/// <see cref="Event"/>; a state's own <c>Handles</c> or <c>Ignores</c> of the event replaces it whole
/// (its targets are not merged).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HandlesAttribute : Attribute
{
    /// <param name="event">The event type (marked <see cref="EventAttribute"/>).</param>
    /// <param name="to">The state classes the handler may move to from this state.</param>
    public HandlesAttribute(Type @event, params Type[] to)
    {
        Event = @event;
        To = to;
    }

    /// <summary>The handled event type.</summary>
    public Type Event { get; }

    /// <summary>Permitted target states.</summary>
    public Type[] To { get; }
}

/// <summary>
/// On a state: these events are deliberately ignored in this state (no handler runs). On the machine
/// class: the default for every state that declares nothing about one of these events.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IgnoresAttribute : Attribute
{
    /// <param name="events">The ignored event types.</param>
    public IgnoresAttribute(params Type[] events) => Events = events;

    /// <summary>The ignored event types.</summary>
    public Type[] Events { get; }
}

/// <summary>
/// On a state that a step may pass through: once the machine has moved into this state, the same
/// step may move on to each of <see cref="To"/>, whatever event started the step.
/// </summary>
/// <remarks>
/// Peering activation is the example: it moves to <c>Active</c> and, in the same step, on to
/// <c>Recovering</c> or <c>Clean</c>. Those second moves are checked against <c>Active</c>'s
/// permitted targets, which include these.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ContinuesAttribute : Attribute
{
    /// <param name="to">The state classes a step may move on to.</param>
    public ContinuesAttribute(params Type[] to) => To = to;

    /// <summary>Permitted onward targets.</summary>
    public Type[] To { get; }
}
