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
        // The type arguments every generic trace tool takes, in IMachineContract's order.
        var types = string.Join(", ", m.TypeName, m.StateEnumTypeName, m.EventBase, m.EffectBase, m.SnapshotType, m.ChecksTypeName);

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
                public static {{Runtime}}.MachineDefinition Definition => {{m.TypeName}}.Definition;

                /// <inheritdoc/>
                public static {{m.SnapshotType}} Initial { get; } = new {{m.TypeName}}().{{m.SnapshotFactory}}();

                /// <inheritdoc/>
                public static int StateIndex({{m.StateEnumTypeName}} state) => (int)state;

                /// <inheritdoc/>
                public static {{m.StateEnumTypeName}} StateAt(int index) => ({{m.StateEnumTypeName}})index;

                /// <inheritdoc/>
                public static string StateName({{m.StateEnumTypeName}} state) => {{m.TypeName}}.StateName(state);

                /// <inheritdoc/>
                public static bool TryParseState({{ByteSpan}} utf8Name, out {{m.StateEnumTypeName}} state) => {{m.TypeName}}.TryParseState(utf8Name, out state);

                /// <inheritdoc/>
                public static int EventIndex({{m.EventBase}} e) => {{m.TypeName}}.EventIndex(e);

                /// <inheritdoc/>
                public static int EffectIndex({{m.EffectBase}} effect) => {{m.TypeName}}.EffectIndex(effect);

            """);
        w.Indent();
        var logs = m.Effects.Where(x => x.MoveFrom is not null).ToList();
        w.Block($$"""
            /// <inheritdoc/>
            public static bool TryGetMove({{m.EffectBase}} effect, out {{SingleMove}} move)
            {
            """);
        w.Indent();
        if (logs.Count > 0)
        {
            // The effects that log a move ([TransitionLog]) carry it as two state fields.
            w.Line("switch (effect)").Line("{").Indent();
            foreach (var log in logs)
            {
                w.Block($$"""
                    case {{log.TypeName}} log:
                        move = new((int)log.{{log.MoveFrom}}, (int)log.{{log.MoveTo}});
                        return true;
                    """);
            }

            w.Line("default:").Indent();
        }

        w.Block("""
            move = default;
            return false;
            """);
        if (logs.Count > 0)
        {
            w.Unindent().Unindent().Line("}");
        }

        w.Unindent();
        w.Block($$"""
            }

            /// <inheritdoc/>
            public static bool CheckValue(in {{m.ChecksTypeName}} checks, int index) => index switch
            {
            """);
        w.Indent();
        for (var i = 0; i < m.Checks.Count; i++)
        {
            w.Line($"{i} => checks.{m.Checks[i].PropertyName},");
        }

        w.Unindent();
        w.Block($$"""
                _ => throw new {{ArgumentOutOfRangeException}}(nameof(index)),
            };
            """);
        w.Unindent();
        w.Block($$"""

                /// <inheritdoc/>
                public static {{m.TypeName}} Restore({{m.SnapshotType}} snapshot) => new(snapshot);

                /// <inheritdoc/>
                public static void Step({{m.TypeName}} machine, {{m.EventBase}} e) => machine.Step(e);

                /// <inheritdoc/>
                public static {{m.StateEnumTypeName}} StateOf({{m.TypeName}} machine) => machine.State;

                /// <inheritdoc/>
                public static {{ReadOnlySpan}}<{{m.EffectBase}}> EffectsOf({{m.TypeName}} machine) => machine.Effects;

                /// <inheritdoc/>
                public static {{ReadOnlySpan}}<{{Runtime}}.SingleMove> MovesOf({{m.TypeName}} machine) => machine.Moves;

                /// <inheritdoc/>
                public static {{m.SnapshotType}} SnapshotOf({{m.TypeName}} machine) => machine.{{m.SnapshotFactory}}();

                /// <inheritdoc/>
                public static {{Runtime}}.StepResult<{{m.StateEnumTypeName}}, {{m.EffectBase}}, {{m.SnapshotType}}> Step({{m.SnapshotType}} before, {{m.EventBase}} e) => {{m.TypeName}}.Step(before, e);

                /// <inheritdoc/>
                public static {{m.SnapshotType}} Step({{m.SnapshotType}} before, {{m.EventBase}} e, out {{m.StateEnumTypeName}} from, out {{m.StateEnumTypeName}} to, out global::System.ReadOnlySpan<{{Runtime}}.SingleMove> moves)
                    => {{m.TypeName}}.Step(before, e, out from, out to, out moves);

                /// <inheritdoc/>
                public static {{m.ChecksTypeName}} EvaluateChecks({{m.SnapshotType}} snapshot) => {{m.TypeName}}.EvaluateChecks(snapshot);

                /// <inheritdoc/>
                public static ulong InvariantViolations({{m.SnapshotType}} snapshot) => {{m.TypeName}}.EvaluateInvariants(snapshot).ViolationMask;

                /// <inheritdoc/>
                public static void WriteEvent({{CompactJsonWriter}} writer, {{m.EventBase}} value) => {{m.JsonTypeName}}.WriteEvent(writer, value);

                /// <inheritdoc/>
                public static void WriteEffect({{CompactJsonWriter}} writer, {{m.EffectBase}} value) => {{m.JsonTypeName}}.WriteEffect(writer, value);

                /// <inheritdoc/>
                public static void WriteSnapshot({{CompactJsonWriter}} writer, {{m.SnapshotType}} value) => {{m.JsonTypeName}}.WriteSnapshot(writer, value);

                /// <inheritdoc/>
                public static void WriteChecks({{CompactJsonWriter}} writer, {{m.ChecksTypeName}} value) => {{m.JsonTypeName}}.WriteChecks(writer, value);

                /// <inheritdoc/>
                public static {{m.EventBase}} ReadEvent(ref {{Utf8JsonReader}} reader) => {{m.JsonTypeName}}.ReadEvent(ref reader);

                /// <inheritdoc/>
                public static {{m.EffectBase}} ReadEffect(ref {{Utf8JsonReader}} reader) => {{m.JsonTypeName}}.ReadEffect(ref reader);

                /// <inheritdoc/>
                public static {{m.SnapshotType}} ReadSnapshot(ref {{Utf8JsonReader}} reader) => {{m.JsonTypeName}}.ReadSnapshot(ref reader);

                /// <inheritdoc/>
                public static {{m.ChecksTypeName}} ReadChecks(ref {{Utf8JsonReader}} reader) => {{m.JsonTypeName}}.ReadChecks(ref reader);

                /// <inheritdoc/>
                public static {{m.EventBase}} ParseEvent({{ByteSpan}} json) => {{m.JsonTypeName}}.ParseEvent(json);

                /// <inheritdoc/>
                public static void WriteTraceStep(
                    {{CompactJsonWriter}} writer, long step, {{m.StateEnumTypeName}} from, {{m.StateEnumTypeName}} to, {{m.EventBase}} e,
                    {{ByteSpan}} beforeJson, {{ByteSpan}} beforeChecksJson,
                    {{ByteSpan}} afterJson, {{ByteSpan}} afterChecksJson, {{ReadOnlySpan}}<{{m.EffectBase}}> effects)
                    => {{m.JsonTypeName}}.WriteTraceStep(writer, step, from, to, e, beforeJson, beforeChecksJson, afterJson, afterChecksJson, effects);

                /// <inheritdoc/>
                public static void WriteTraceSummary({{CompactJsonWriter}} writer, ulong seed, long events) => {{m.JsonTypeName}}.WriteTraceSummary(writer, seed, events);

                /// <inheritdoc/>
                public static {{Runtime}}.TraceLine ParseTraceLine({{ByteSpan}} line) => {{m.JsonTypeName}}.ParseTraceLine(line);

                /// <inheritdoc/>
                public static bool TryReadTraceHeader({{ByteSpan}} line, out {{Runtime}}.TraceHeader<{{m.StateEnumTypeName}}, {{m.EventBase}}> header)
                    => {{m.JsonTypeName}}.TryReadTraceHeader(line, out header);

                /// <inheritdoc/>
                public static bool TryReadCompactStep(
                    {{ByteSpan}} line, {{ByteSpan}} beforeJson, {{m.SnapshotType}} before,
                    out {{Runtime}}.CompactStep<{{m.StateEnumTypeName}}, {{m.EventBase}}, {{m.EffectBase}}, {{m.SnapshotType}}, {{m.ChecksTypeName}}> step, out string problem)
                    => {{m.JsonTypeName}}.TryReadCompactStep(line, beforeJson, before, out step, out problem);

                /// <inheritdoc/>
                public static void WriteCanonical({{Runtime}}.CanonicalWriter writer, {{m.SnapshotType}} value) => {{m.JsonTypeName}}.WriteCanonical(writer, value);

                /// <inheritdoc/>
                public static void WriteCanonical({{Runtime}}.CanonicalWriter writer, {{m.EventBase}} value) => {{m.JsonTypeName}}.WriteCanonical(writer, value);
            }
            """);
        w.Close();
        return SourceWriter.Header() + w;
    }
}
