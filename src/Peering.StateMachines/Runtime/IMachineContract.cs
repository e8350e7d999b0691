using System.Text.Json;

namespace Peering.StateMachines;

/// <summary>
/// A declared machine as the trace tools see it: its types, its declarations as data, its pure and
/// in-place steps, its checks and invariants, and its wire format. The generator implements it for
/// every machine that has a <see cref="SnapshotFactoryAttribute"/>, a constructor taking the
/// snapshot and a parameterless one, as the nested struct <c>{Machine}.Contract</c>.
/// </summary>
/// <remarks>
/// Every member is static: generic tools take the contract as a struct type argument, so the JIT
/// specializes them per machine and calls the generated members directly, with no virtual or
/// interface call on the hot path (the pattern of the runtime's generic math).
/// </remarks>
/// <typeparam name="TMachine">The machine class (the mutable, in-place side).</typeparam>
/// <typeparam name="TState">The generated state enum.</typeparam>
/// <typeparam name="TEvent">The event base type.</typeparam>
/// <typeparam name="TEffect">The effect base type.</typeparam>
/// <typeparam name="TSnapshot">The snapshot type.</typeparam>
/// <typeparam name="TChecks">The generated checks record struct.</typeparam>
public interface IMachineContract<TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>The declared machine (states, events, effects, decisions, permitted moves, invariants, checks).</summary>
    static abstract MachineDefinition Definition { get; }

    /// <summary>The fresh machine's snapshot: where every trace starts.</summary>
    static abstract TSnapshot Initial { get; }

    /// <summary>The index of <paramref name="state"/> in <see cref="MachineDefinition.States"/>.</summary>
    static abstract int StateIndex(TState state);

    /// <summary>The state at <paramref name="index"/> of <see cref="MachineDefinition.States"/>.</summary>
    static abstract TState StateAt(int index);

    /// <summary>The wire name of <paramref name="state"/>.</summary>
    static abstract string StateName(TState state);

    /// <summary>The state whose wire name is <paramref name="utf8Name"/>.</summary>
    static abstract bool TryParseState(ReadOnlySpan<byte> utf8Name, out TState state);

    /// <summary>The declaration index of <paramref name="e"/>'s type.</summary>
    static abstract int EventIndex(TEvent e);

    /// <summary>The declaration index of <paramref name="effect"/>'s type.</summary>
    static abstract int EffectIndex(TEffect effect);

    /// <summary>The move <paramref name="effect"/> records, when its type is a <see cref="TransitionLogAttribute"/> effect.</summary>
    static abstract bool TryGetMove(TEffect effect, out SingleMove move);

    /// <summary>A machine restored from <paramref name="snapshot"/> (the constructor taking the snapshot).</summary>
    static abstract TMachine Restore(TSnapshot snapshot);

    /// <summary>One step of <paramref name="machine"/> in place (the generated <c>Step(e)</c>).</summary>
    static abstract void Step(TMachine machine, TEvent e);

    /// <summary>The machine's current state.</summary>
    static abstract TState StateOf(TMachine machine);

    /// <summary>The effects of the machine's last step, in emission order (valid until its next step).</summary>
    static abstract ReadOnlySpan<TEffect> EffectsOf(TMachine machine);

    /// <summary>The single moves of the machine's last step, in order (valid until its next step).</summary>
    static abstract ReadOnlySpan<SingleMove> MovesOf(TMachine machine);

    /// <summary>The machine's snapshot (the <see cref="SnapshotFactoryAttribute"/> method).</summary>
    static abstract TSnapshot SnapshotOf(TMachine machine);

    /// <summary>The pure step: <paramref name="before"/> is not changed.</summary>
    static abstract StepResult<TState, TEffect, TSnapshot> Step(TSnapshot before, TEvent e);

    /// <summary>
    /// The pure step without its effects: the snapshot after, the states before and after, and the single
    /// moves (valid until the next pure step on this thread). <paramref name="before"/> is not changed.
    /// </summary>
    static abstract TSnapshot Step(TSnapshot before, TEvent e, out TState from, out TState to, out ReadOnlySpan<SingleMove> moves);

    /// <summary>Every <see cref="CheckAttribute"/> evaluated on <paramref name="snapshot"/>.</summary>
    static abstract TChecks EvaluateChecks(TSnapshot snapshot);

    /// <summary>The value of check <paramref name="index"/> (of <see cref="MachineDefinition.Checks"/>) in <paramref name="checks"/>.</summary>
    static abstract bool CheckValue(in TChecks checks, int index);

    /// <summary>Bit i set when invariant i (of <see cref="MachineDefinition.Invariants"/>) is false on <paramref name="snapshot"/>.</summary>
    static abstract ulong InvariantViolations(TSnapshot snapshot);

    /// <summary>Writes an event (its <c>type</c> tag first).</summary>
    static abstract void WriteEvent(CompactJsonWriter writer, TEvent value);

    /// <summary>Writes an effect (its <c>type</c> tag first).</summary>
    static abstract void WriteEffect(CompactJsonWriter writer, TEffect value);

    /// <summary>Writes a snapshot.</summary>
    static abstract void WriteSnapshot(CompactJsonWriter writer, TSnapshot value);

    /// <summary>Writes a checks object.</summary>
    static abstract void WriteChecks(CompactJsonWriter writer, TChecks value);

    /// <summary>Reads an event; the reader is on its first token and is left on its last.</summary>
    static abstract TEvent ReadEvent(ref Utf8JsonReader reader);

    /// <summary>Reads an effect; the reader is on its first token and is left on its last.</summary>
    static abstract TEffect ReadEffect(ref Utf8JsonReader reader);

    /// <summary>Reads a snapshot; the reader is on its first token and is left on its last.</summary>
    static abstract TSnapshot ReadSnapshot(ref Utf8JsonReader reader);

    /// <summary>Reads a checks object; the reader is on its first token and is left on its last.</summary>
    static abstract TChecks ReadChecks(ref Utf8JsonReader reader);

    /// <summary>Parses one event document; errors are <see cref="WireFormatException"/>s with the JSON path.</summary>
    static abstract TEvent ParseEvent(ReadOnlySpan<byte> json);

    /// <summary>Writes a step line from snapshots and checks already encoded (copied as they are).</summary>
    static abstract void WriteTraceStep(
        CompactJsonWriter writer, long step, TState from, TState to, TEvent e,
        ReadOnlySpan<byte> beforeJson, ReadOnlySpan<byte> beforeChecksJson,
        ReadOnlySpan<byte> afterJson, ReadOnlySpan<byte> afterChecksJson, ReadOnlySpan<TEffect> effects);

    /// <summary>Writes the summary line closing a trace.</summary>
    static abstract void WriteTraceSummary(CompactJsonWriter writer, ulong seed, long events);

    /// <summary>Parses one trace line in full: a <see cref="TraceStep{TState, TEvent, TSnapshot, TChecks, TEffect}"/> or a <see cref="TraceSummary"/>.</summary>
    static abstract TraceLine ParseTraceLine(ReadOnlySpan<byte> line);

    /// <summary>A line's kind, step number, states and event, without reading its snapshots; false when anything is unexpected (the full parse then says what).</summary>
    static abstract bool TryReadTraceHeader(ReadOnlySpan<byte> line, out TraceHeader<TState, TEvent> header);

    /// <summary>
    /// Reads a step line in exactly the compact form the writers produce (keys in schema order, no
    /// whitespace), whose <c>before</c> is byte for byte <paramref name="beforeJson"/>, the encoding of
    /// <paramref name="before"/>; false with <paramref name="problem"/> for anything else.
    /// </summary>
    static abstract bool TryReadCompactStep(
        ReadOnlySpan<byte> line, ReadOnlySpan<byte> beforeJson, TSnapshot before,
        out CompactStep<TState, TEvent, TEffect, TSnapshot, TChecks> step, out string problem);

    /// <summary>The canonical encoding of a snapshot (equal values, equal bytes).</summary>
    static abstract void WriteCanonical(CanonicalWriter writer, TSnapshot value);

    /// <summary>The canonical encoding of an event.</summary>
    static abstract void WriteCanonical(CanonicalWriter writer, TEvent value);
}

/// <summary>
/// The types of one machine, as a value: the generated <c>{Machine}.Types</c>. It carries no data; a
/// generic tool's factory takes it so that C# infers every type argument from one expression
/// (<c>ToolHost.Create(Door.Types, ...)</c>).
/// </summary>
public readonly struct MachineTypes<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
    where TContract : struct, IMachineContract<TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>;
