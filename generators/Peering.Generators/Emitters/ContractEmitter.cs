using System.Linq;
using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Contract.g.cs</c>: the nested struct <c>M.Contract</c>, the machine's implementation of
/// <c>IMachineContract</c> that generic trace tools are specialized on, and <c>M.Types</c>, the value
/// their factories infer every type argument from. Emitted only for a machine with a snapshot
/// factory, a restoring and a fresh constructor (<see cref="StepModel.Contract"/>).
/// </summary>
internal static class ContractEmitter
{

    public static string Emit(MachineModel m)
    {
        var machine = m.TypeName;
        var state = m.StateEnumTypeName;
        var e = m.EventBase;
        var f = m.EffectBase;
        var n = m.SnapshotType;
        var c = m.ChecksTypeName;
        var json = m.JsonTypeName;
        var types = machine + ", " + state + ", " + e + ", " + f + ", " + n + ", " + c;

        var w = new SourceWriter();
        MachineEmitter.BeginNamespace(w, m);
        w.Open("partial class " + m.Name);
        w.Block($$"""
            /// <summary>
            /// The types of this machine as a value, for the factories of generic trace tools
            /// (<c>ToolHost.Create({{m.Name}}.Types, ...)</c>): C# infers every type argument from it.
            /// </summary>
            public static {{Runtime}}.MachineTypes<Contract, {{types}}> Types => default;

            /// <summary>
            /// This machine's trace-tool contract: its declarations, steps, checks and wire format as the static
            /// members generic tools are specialized on (docs/toolkit.md §2).
            /// </summary>
            public readonly struct Contract : {{Runtime}}.IMachineContract<{{types}}>
            {
                /// <inheritdoc/>
                public static {{Runtime}}.MachineDefinition Definition => {{machine}}.Definition;

                /// <inheritdoc/>
                public static {{n}} Initial { get; } = new {{machine}}().{{m.SnapshotFactory}}();

                /// <inheritdoc/>
                public static int StateIndex({{state}} state) => (int)state;

                /// <inheritdoc/>
                public static {{state}} StateAt(int index) => ({{state}})index;

                /// <inheritdoc/>
                public static string StateName({{state}} state) => {{machine}}.StateName(state);

                /// <inheritdoc/>
                public static bool TryParseState(global::System.ReadOnlySpan<byte> utf8Name, out {{state}} state) => {{machine}}.TryParseState(utf8Name, out state);

                /// <inheritdoc/>
                public static int EventIndex({{e}} e) => {{machine}}.EventIndex(e);

                /// <inheritdoc/>
                public static int EffectIndex({{f}} effect) => {{machine}}.EffectIndex(effect);

            """);
        w.Indent();
        w.Line("/// <inheritdoc/>");
        var logs = m.Effects.Where(x => x.MoveFrom is not null).ToList();
        if (logs.Count == 0)
        {
            w.Open("public static bool TryGetMove(" + f + " effect, out " + Runtime + ".SingleMove move)");
            w.Line("move = default;");
            w.Line("return false;");
            w.Close();
        }
        else
        {
            w.Open("public static bool TryGetMove(" + f + " effect, out " + Runtime + ".SingleMove move)");
            w.Open("switch (effect)");
            foreach (var log in logs)
            {
                w.Line("case " + log.TypeName + " log:");
                w.Indent();
                w.Line("move = new((int)log." + log.MoveFrom + ", (int)log." + log.MoveTo + ");");
                w.Line("return true;");
                w.Unindent();
            }

            w.Line("default:");
            w.Indent();
            w.Line("move = default;");
            w.Line("return false;");
            w.Unindent();
            w.Close();
            w.Close();
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public static bool CheckValue(in " + c + " checks, int index) => index switch");
        w.Line("{");
        w.Indent();
        for (var i = 0; i < m.Checks.Count; i++)
        {
            w.Line(i + " => checks." + m.Checks[i].PropertyName + ",");
        }

        w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(index)),");
        w.Unindent();
        w.Line("};");
        w.Unindent();
        w.Block($$"""

                /// <inheritdoc/>
                public static {{machine}} Restore({{n}} snapshot) => new(snapshot);

                /// <inheritdoc/>
                public static void Step({{machine}} machine, {{e}} e) => machine.Step(e);

                /// <inheritdoc/>
                public static {{state}} StateOf({{machine}} machine) => machine.State;

                /// <inheritdoc/>
                public static global::System.ReadOnlySpan<{{f}}> EffectsOf({{machine}} machine) => machine.Effects;

                /// <inheritdoc/>
                public static global::System.ReadOnlySpan<{{Runtime}}.SingleMove> MovesOf({{machine}} machine) => machine.Moves;

                /// <inheritdoc/>
                public static {{n}} SnapshotOf({{machine}} machine) => machine.{{m.SnapshotFactory}}();

                /// <inheritdoc/>
                public static {{Runtime}}.StepResult<{{state}}, {{f}}, {{n}}> Step({{n}} before, {{e}} e) => {{machine}}.Step(before, e);

                /// <inheritdoc/>
                public static {{c}} EvaluateChecks({{n}} snapshot) => {{machine}}.EvaluateChecks(snapshot);

                /// <inheritdoc/>
                public static ulong InvariantViolations({{n}} snapshot) => {{machine}}.EvaluateInvariants(snapshot).ViolationMask;

                /// <inheritdoc/>
                public static void WriteEvent({{Utf8JsonWriter}} writer, {{e}} value) => {{json}}.WriteEvent(writer, value);

                /// <inheritdoc/>
                public static void WriteEffect({{Utf8JsonWriter}} writer, {{f}} value) => {{json}}.WriteEffect(writer, value);

                /// <inheritdoc/>
                public static void WriteSnapshot({{Utf8JsonWriter}} writer, {{n}} value) => {{json}}.WriteSnapshot(writer, value);

                /// <inheritdoc/>
                public static void WriteChecks({{Utf8JsonWriter}} writer, {{c}} value) => {{json}}.WriteChecks(writer, value);

                /// <inheritdoc/>
                public static {{e}} ReadEvent(ref {{Utf8JsonReader}} reader) => {{json}}.ReadEvent(ref reader);

                /// <inheritdoc/>
                public static {{f}} ReadEffect(ref {{Utf8JsonReader}} reader) => {{json}}.ReadEffect(ref reader);

                /// <inheritdoc/>
                public static {{n}} ReadSnapshot(ref {{Utf8JsonReader}} reader) => {{json}}.ReadSnapshot(ref reader);

                /// <inheritdoc/>
                public static {{c}} ReadChecks(ref {{Utf8JsonReader}} reader) => {{json}}.ReadChecks(ref reader);

                /// <inheritdoc/>
                public static {{e}} ParseEvent(global::System.ReadOnlySpan<byte> json) => {{json}}.ParseEvent(json);

                /// <inheritdoc/>
                public static void WriteTraceStep(
                    {{Utf8JsonWriter}} writer, long step, {{state}} from, {{state}} to, {{e}} e,
                    global::System.ReadOnlySpan<byte> beforeJson, global::System.ReadOnlySpan<byte> beforeChecksJson,
                    global::System.ReadOnlySpan<byte> afterJson, global::System.ReadOnlySpan<byte> afterChecksJson, global::System.ReadOnlySpan<{{f}}> effects)
                    => {{json}}.WriteTraceStep(writer, step, from, to, e, beforeJson, beforeChecksJson, afterJson, afterChecksJson, effects);

                /// <inheritdoc/>
                public static void WriteTraceSummary({{Utf8JsonWriter}} writer, ulong seed, long events) => {{json}}.WriteTraceSummary(writer, seed, events);

                /// <inheritdoc/>
                public static {{Runtime}}.TraceLine ParseTraceLine(global::System.ReadOnlySpan<byte> line) => {{json}}.ParseTraceLine(line);

                /// <inheritdoc/>
                public static bool TryReadTraceHeader(global::System.ReadOnlySpan<byte> line, out {{Runtime}}.TraceHeader<{{state}}, {{e}}> header)
                    => {{json}}.TryReadTraceHeader(line, out header);

                /// <inheritdoc/>
                public static bool TryReadCompactStep(
                    global::System.ReadOnlySpan<byte> line, global::System.ReadOnlySpan<byte> beforeJson, {{n}} before,
                    out {{Runtime}}.CompactStep<{{state}}, {{e}}, {{f}}, {{n}}, {{c}}> step, out string problem)
                    => {{json}}.TryReadCompactStep(line, beforeJson, before, out step, out problem);

                /// <inheritdoc/>
                public static void WriteCanonical({{Runtime}}.CanonicalWriter writer, {{n}} value) => {{json}}.WriteCanonical(writer, value);

                /// <inheritdoc/>
                public static void WriteCanonical({{Runtime}}.CanonicalWriter writer, {{e}} value) => {{json}}.WriteCanonical(writer, value);
            }
            """);
        w.Close();
        return SourceWriter.Header() + w;
    }
}
