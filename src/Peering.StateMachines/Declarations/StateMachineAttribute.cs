namespace Peering.StateMachines;

/// <summary>
/// Declares a reducer-style state machine on a <c>partial</c> class. Its states are the nested
/// <c>partial</c> classes marked <see cref="StateAttribute"/>; its handlers are instance methods
/// marked <see cref="HandlerAttribute"/>.
/// </summary>
/// <remarks>
/// The generator emits, next to the class: the state enum (named <see cref="StateTypeName"/>), a
/// <c>State</c> property, the exhaustive <c>Dispatch</c> switch over (state, event type), the JSON
/// serializers of every event, effect and snapshot type (<c>{Machine}Json</c>), the invariant hooks
/// and the machine as data (<c>Definition</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StateMachineAttribute : Attribute
{
    /// <param name="eventType">Abstract base type of the events; each concrete event is marked <see cref="EventAttribute"/>.</param>
    /// <param name="effectType">Abstract base type of the effects; each concrete effect is marked <see cref="EffectAttribute"/>.</param>
    /// <param name="snapshotType">The immutable snapshot type: what traces record before and after each step.</param>
    public StateMachineAttribute(Type eventType, Type effectType, Type snapshotType)
    {
        EventType = eventType;
        EffectType = effectType;
        SnapshotType = snapshotType;
    }

    /// <summary>Abstract base type of the events.</summary>
    public Type EventType { get; }

    /// <summary>Abstract base type of the effects.</summary>
    public Type EffectType { get; }

    /// <summary>The snapshot type.</summary>
    public Type SnapshotType { get; }

    /// <summary>Name of the generated state enum, in the machine's namespace. Default: the machine's name followed by <c>State</c>.</summary>
    public string? StateTypeName { get; set; }
}
