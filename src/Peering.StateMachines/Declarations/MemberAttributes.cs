namespace Peering.StateMachines;

/// <summary>
/// Marks an instance method of the machine as the handler of the event type of its single
/// parameter. It runs in every state that declares <see cref="HandlesAttribute"/> for that event,
/// or inherits it from the machine's defaults.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class HandlerAttribute : Attribute { }

/// <summary>
/// Marks a shared helper of the machine that may transition (or call helpers that do) and names
/// the states it may run from. Every call is checked to come from one of these states, and every
/// transition inside it is checked against the permitted targets of each of them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ProcedureAttribute : Attribute
{
    /// <param name="runsFrom">The state classes the helper may be called from.</param>
    public ProcedureAttribute(params Type[] runsFrom) => RunsFrom = runsFrom;

    /// <summary>The states the helper may run from.</summary>
    public Type[] RunsFrom { get; }
}

/// <summary>
/// Marks the machine's method that performs a transition. Its first parameter of the generated
/// state enum type is the target; every call must pass a constant. Only this method (and
/// constructors) may assign the machine's <c>State</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TransitionAttribute : Attribute { }

/// <summary>
/// Marks the machine's parameterless instance method that returns its snapshot. With it the
/// generator also emits <c>DispatchChecked</c>, which evaluates every invariant after the step.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SnapshotFactoryAttribute : Attribute { }

/// <summary>Marks a concrete event type (derived from the machine's event base) and gives its wire tag.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class EventAttribute : Attribute
{
    /// <summary>An event whose wire tag is the type name.</summary>
    public EventAttribute() { }

    /// <summary>An event with an explicit wire tag.</summary>
    public EventAttribute(string tag) => Tag = tag;

    /// <summary>The wire tag, or null for the type name.</summary>
    public string? Tag { get; }
}

/// <summary>Marks a concrete effect type (derived from the machine's effect base) and gives its wire tag.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class EffectAttribute : Attribute
{
    /// <summary>An effect whose wire tag is the type name.</summary>
    public EffectAttribute() { }

    /// <summary>An effect with an explicit wire tag.</summary>
    public EffectAttribute(string tag) => Tag = tag;

    /// <summary>The wire tag, or null for the type name.</summary>
    public string? Tag { get; }
}

/// <summary>
/// Marks a <c>static bool M(TSnapshot s)</c> predicate as a safety invariant of the machine whose
/// snapshot type is <c>TSnapshot</c>: it must hold on every snapshot. Reported under <see cref="Name"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class InvariantAttribute : Attribute
{
    /// <param name="name">The name violations are reported under.</param>
    public InvariantAttribute(string name) => Name = name;

    /// <summary>The reported name.</summary>
    public string Name { get; }
}

/// <summary>
/// Marks a <c>static bool M(TSnapshot s)</c> predicate whose value is recorded in the trace's checks
/// object (<c>before_checks</c>, <c>after_checks</c>) under <see cref="Name"/>, in declaration order.
/// A check is an observation, not a requirement: false is not a violation.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class CheckAttribute : Attribute
{
    /// <param name="name">The key written in the checks object.</param>
    public CheckAttribute(string name) => Name = name;

    /// <summary>The key.</summary>
    public string Name { get; }
}

/// <summary>
/// Marks the machine's <c>bool M(TEvent e)</c> instance method that decides, before anything else,
/// whether the machine takes an event at all (for example, drops events that carry a stale epoch).
/// A refused event is dropped: the step changes nothing and emits nothing, and the pure
/// <c>Step(snapshot, e)</c> returns its input snapshot itself. Optional; without it every event is taken.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AcceptsAttribute : Attribute { }

/// <summary>
/// Marks the machine's own in-place step, a <c>void M(TEvent e)</c> instance method that calls
/// <c>Dispatch(e)</c> and may do, around it, what restoring from a snapshot does on the pure path
/// (for example, normalize the machine so that it equals the restore of its own snapshot). The
/// generated <c>Step(e)</c> calls it for every accepted event; the pure <c>Step(snapshot, e)</c> does
/// not, since its restore has just done that work. Optional; without it the step is <c>Dispatch</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ApplyAttribute : Attribute { }

/// <summary>
/// Marks the machine's instance method <c>void M(TSnapshot s)</c> that restores it from a snapshot in
/// place: what the constructor taking the snapshot does (which can then just call it), so it must
/// assign every field a step reads, caches included. With it the generated pure step restores one
/// machine per thread instead of allocating one per step, so what a step returns (its snapshot and
/// effects) must not share mutable state with the machine. Like a constructor, it may assign <c>State</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RestoreAttribute : Attribute { }

/// <summary>
/// Marks an effect type that records one move of the machine: its first two constructor
/// parameters of the state enum type are the source and the target. Trace tools read these
/// effects to know the single moves of a recorded step (a step may pass through several states).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class TransitionLogAttribute : Attribute { }

/// <summary>
/// Marks a <c>static TContext M(TSnapshot s)</c> factory of the per-snapshot context that the
/// machine's checks and invariants share: built once per evaluation and passed to every
/// <see cref="CheckAttribute"/> and <see cref="InvariantAttribute"/> method that takes it as a
/// second parameter (<c>static bool M(TSnapshot s, TContext c)</c>), so that work common to several
/// predicates is done once, without hidden caches. At most one per snapshot type.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class CheckContextAttribute : Attribute { }
