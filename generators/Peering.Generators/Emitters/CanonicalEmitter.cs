using Peering.Generators.Emitters.WireKinds;
using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Canonical.g.cs</c>: <c>WriteCanonical</c> for the snapshot and the events, a compact binary
/// encoding in which equal values have equal bytes and different values different bytes: members in
/// declared order; integers as (zig-zag) varints; enums by value; strings and arrays length-prefixed;
/// nullables and collections without a count with presence flags; union cases by declaration index.
/// What a member of each wire kind writes comes from its <see cref="WireKindEmitter"/>.
/// </summary>
internal static class CanonicalEmitter
{
    public static string Emit(EmitContext context)
    {
        var m = context.Model;
        var target = new EmitTarget(context);
        var w = target.Writer;
        w.Block("""
            // The encoding: members in declared order; bool as one byte; int and long as zig-zag varints,
            // uint and ulong as varints; enums as their value; strings as UTF-8 length and bytes; a nullable
            // as a presence byte then its value; arrays as their length then their elements; a collection
            // without Count as (1, element)... then 0; an event or effect as its declaration index then its members.
            """);
        MachineEmitter.BeginNamespace(w, m);
        w.Open($"{m.Accessibility} static partial class {m.JsonName}");
        w.Block($$"""
            /// <summary>Writes the canonical encoding of a snapshot: equal snapshots give equal bytes.</summary>
            public static void WriteCanonical({{CanonicalWriter}} w, {{m.SnapshotType}} value) => Canonical_{{context.SnapshotId}}(w, value);

            /// <summary>Writes the canonical encoding of an event: equal events give equal bytes.</summary>
            public static void WriteCanonical({{CanonicalWriter}} w, {{m.EventBase}} value) => Canonical_Event(w, value);

            """);
        EmitUnion(target, "Event", m.EventBase, m.Events);
        EmitUnion(target, "Effect", m.EffectBase, m.Effects);
        foreach (var record in m.Records)
        {
            w.Open($"private static void Canonical_{context.RecordId(record)}({CanonicalWriter} w, {record.TypeName} value)");
            for (var i = 0; i < record.Members.Count; i++)
            {
                var member = record.Members[i];
                target.WriteCanonical("value." + EmitContext.Escape(member.PropertyName), member.Type, "v" + i);
            }

            w.Close();
            w.Line();
        }

        foreach (var record in m.Records)
        {
            foreach (var member in record.Members)
            {
                target.EmitCanonicalHelpers(member.Type);
            }
        }

        w.TrimTrailingBlankLines();
        w.Close();
        return SourceWriter.Header() + $"using static {Runtime}.JsonWire;\n\n" + w;
    }

    private static void EmitUnion(EmitTarget target, string what, string baseType, EquatableArray<CaseModel> cases)
        => UnionKind.EmitCaseSwitch(target.Writer, $"private static void Canonical_{what}({CanonicalWriter} w, {baseType} value)", what, cases, (i, c) => $$"""
            w.WriteUInt64({{i}});
            Canonical_{{target.Context.CaseId(c)}}(w, v);
            return;
            """);
}
