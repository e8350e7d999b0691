namespace Peering.StateMachines.Tools;

/// <summary>
/// The trace tools of one declared machine, specialized on its generated contract
/// (<c>{Machine}.Contract</c>): the step encoder, trace reader, replayer, round-trip verifier, fuzz
/// cycles and campaigns, shrinker, statistics, coverage and exploration. Every tool calls the
/// contract's static members, so the JIT compiles each machine's tools with direct calls into its
/// generated code. Name one machine's tools with an alias:
/// <c>using DoorTools = MachineTools&lt;Door.Contract, Door, DoorState, DoorEvent, DoorEffect, DoorSnapshot, DoorChecks&gt;;</c>,
/// or let the command-line host infer them from <c>Door.Types</c>.
/// </summary>
/// <typeparam name="TContract">The generated contract struct.</typeparam>
/// <typeparam name="TMachine">The machine class.</typeparam>
/// <typeparam name="TState">The state enum.</typeparam>
/// <typeparam name="TEvent">The event base type.</typeparam>
/// <typeparam name="TEffect">The effect base type.</typeparam>
/// <typeparam name="TSnapshot">The snapshot type.</typeparam>
/// <typeparam name="TChecks">The checks record struct.</typeparam>
public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
    where TContract : struct, IMachineContract<TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
    where TMachine : class
    where TState : struct
    where TEvent : class
    where TEffect : class
    where TSnapshot : class
    where TChecks : struct
{
    /// <summary>The wire tag of <paramref name="e"/>'s type.</summary>
    public static string EventName(TEvent e) => TContract.Definition.Events[TContract.EventIndex(e)];

    /// <summary>Whether two checks objects are equal (the record struct's own equality: one bool per check).</summary>
    internal static bool SameChecks(TChecks a, TChecks b) => EqualityComparer<TChecks>.Default.Equals(a, b);

    /// <summary>Whether two states are equal.</summary>
    internal static bool SameState(TState a, TState b) => TContract.StateIndex(a) == TContract.StateIndex(b);

    // Values are the same when they are equal, or else when they encode alike: a record's own equality
    // compares an array or ImmutableArray member by reference, the wire by its elements. The encoding is
    // the truth a trace records, and it is consulted only when equality says no.

    /// <summary>Whether two snapshots are the same value.</summary>
    internal static bool SameSnapshot(TSnapshot a, TSnapshot b) =>
        EqualityComparer<TSnapshot>.Default.Equals(a, b) || Canonical(w => TContract.WriteCanonical(w, a)).AsSpan().SequenceEqual(Canonical(w => TContract.WriteCanonical(w, b)));

    /// <summary>Whether two events are the same value.</summary>
    internal static bool SameEvent(TEvent a, TEvent b) =>
        EqualityComparer<TEvent>.Default.Equals(a, b) || Canonical(w => TContract.WriteCanonical(w, a)).AsSpan().SequenceEqual(Canonical(w => TContract.WriteCanonical(w, b)));

    /// <summary>Whether two effects are the same value.</summary>
    internal static bool SameEffect(TEffect a, TEffect b) =>
        EqualityComparer<TEffect>.Default.Equals(a, b) || CompactJsonWriter.Encode(w => TContract.WriteEffect(w, a)).AsSpan().SequenceEqual(CompactJsonWriter.Encode(w => TContract.WriteEffect(w, b)));

    /// <summary>Whether two effect lists are the same, in order.</summary>
    internal static bool SameEffects(ReadOnlySpan<TEffect> a, ReadOnlySpan<TEffect> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!SameEffect(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Canonical(Action<CanonicalWriter> write)
    {
        var writer = new CanonicalWriter();
        write(writer);
        return writer.Written.ToArray();
    }
}
