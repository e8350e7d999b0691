using System.Collections.Generic;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Canonical.g.cs</c>: <c>WriteCanonical</c> for the snapshot and the events, a compact binary
/// encoding in which equal values have equal bytes and different values different bytes: members in
/// declared order; integers as (zig-zag) varints; enums by value; strings and arrays length-prefixed;
/// nullables and collections without a count with presence flags; union cases by declaration index.
/// </summary>
internal sealed class CanonicalEmitter
{
    private const string CW = "global::Peering.StateMachines.CanonicalWriter";

    private readonly EmitContext _c;
    private readonly MachineModel _m;
    private readonly SourceWriter _w = new();
    private readonly HashSet<string> _helpers = new();

    private CanonicalEmitter(EmitContext context)
    {
        _c = context;
        _m = context.Model;
    }

    public static string Emit(EmitContext context)
    {
        var emitter = new CanonicalEmitter(context);
        return emitter.EmitFile();
    }

    private string EmitFile()
    {
        _w.Line("// The encoding: members in declared order; bool as one byte; int and long as zig-zag varints,");
        _w.Line("// uint and ulong as varints; enums as their value; strings as UTF-8 length and bytes; a nullable");
        _w.Line("// as a presence byte then its value; arrays as their length then their elements; a collection");
        _w.Line("// without Count as (1, element)... then 0; an event or effect as its declaration index then its members.");
        MachineEmitter.BeginNamespace(_w, _m);
        _w.Open(_m.Accessibility + " static partial class " + _m.JsonName);
        _w.Line("/// <summary>Writes the canonical encoding of a snapshot: equal snapshots give equal bytes.</summary>");
        var snapshotId = _c.RecordsByType.TryGetValue(_m.SnapshotType, out var snapshot) ? RecordId(snapshot) : "Unknown";
        _w.Line("public static void WriteCanonical(" + CW + " w, " + _m.SnapshotType + " value) => Canonical_" + snapshotId + "(w, value);");
        _w.Line();
        _w.Line("/// <summary>Writes the canonical encoding of an event: equal events give equal bytes.</summary>");
        _w.Line("public static void WriteCanonical(" + CW + " w, " + _m.EventBase + " value) => Canonical_Event(w, value);");
        _w.Line();
        EmitUnion("Event", _m.EventBase, _m.Events);
        EmitUnion("Effect", _m.EffectBase, _m.Effects);
        foreach (var record in _c.Model.Records)
        {
            EmitRecord(record);
        }

        foreach (var record in _c.Model.Records)
        {
            foreach (var member in record.Members)
            {
                EmitHelpers(member.Type);
            }
        }

        _w.TrimTrailingBlankLines();
        _w.Close();
        return SourceWriter.Header() + "using static global::Peering.StateMachines.JsonWire;\n\n" + _w;
    }

    private string RecordId(RecordSpec r) => _c.Id(new TypeRef(WireKind.Record, r.TypeName, SimpleName: r.SimpleName));

    private void EmitUnion(string what, string baseType, EquatableArray<CaseModel> cases)
    {
        _w.Open("private static void Canonical_" + what + "(" + CW + " w, " + baseType + " value)");
        _w.Open("switch (value)");
        foreach (var i in CaseOrder.DerivedFirst(cases))
        {
            var id = _c.Id(new TypeRef(WireKind.Record, cases[i].TypeName, SimpleName: _c.RecordsByType.TryGetValue(cases[i].TypeName, out var r) ? r.SimpleName : cases[i].TypeName));
            _w.Line("case " + cases[i].TypeName + " v:");
            _w.Indent();
            _w.Line("w.WriteUInt64(" + i + ");");
            _w.Line("Canonical_" + id + "(w, v);");
            _w.Line("return;");
            _w.Unindent();
        }

        _w.Line("default:");
        _w.Indent().Line("throw UnknownCase(value, " + EmitContext.Literal(what.ToLowerInvariant()) + ");").Unindent();
        _w.Close();
        _w.Close();
        _w.Line();
    }

    private void EmitRecord(RecordSpec record)
    {
        _w.Open("private static void Canonical_" + RecordId(record) + "(" + CW + " w, " + record.TypeName + " value)");
        for (var i = 0; i < record.Members.Count; i++)
        {
            var member = record.Members[i];
            Value("value." + EmitContext.Escape(member.PropertyName), member.Type, "v" + i);
        }

        _w.Close();
        _w.Line();
    }

    private void Value(string expr, TypeRef type, string local)
    {
        switch (type.Kind)
        {
            case WireKind.Boolean:
                _w.Line("w.WriteBoolean(" + expr + ");");
                break;
            case WireKind.Int32:
            case WireKind.Int64:
                _w.Line("w.WriteInt64(" + expr + ");");
                break;
            case WireKind.UInt32:
            case WireKind.UInt64:
                _w.Line("w.WriteUInt64(" + expr + ");");
                break;
            case WireKind.String:
                _w.Line("w.WriteString(" + expr + ");");
                break;
            case WireKind.StateEnum:
            case WireKind.Enum:
                _w.Line("w.WriteInt64((long)" + expr + ");");
                break;
            case WireKind.Nullable:
                _w.Open("if (" + expr + " is { } " + local + ")");
                _w.Line("w.WriteBoolean(true);");
                Value(local, type.Element!, local + "_");
                _w.Close();
                _w.Open("else");
                _w.Line("w.WriteBoolean(false);");
                _w.Close();
                break;
            case WireKind.EventUnion:
                _w.Line("Canonical_Event(w, " + expr + ");");
                break;
            case WireKind.EffectUnion:
                _w.Line("Canonical_Effect(w, " + expr + ");");
                break;
            default:
                _w.Line("Canonical_" + _c.Id(type) + "(w, " + expr + ");");
                break;
        }
    }

    private void EmitHelpers(TypeRef type)
    {
        switch (type.Kind)
        {
            case WireKind.Nullable:
                EmitHelpers(type.Element!);
                break;
            case WireKind.Array:
            case WireKind.ImmutableArray:
            case WireKind.Collection:
                var id = _c.Id(type);
                if (_helpers.Add(id))
                {
                    _w.Open("private static void Canonical_" + id + "(" + CW + " w, " + type.TypeName + " value)");
                    var count = type.Kind == WireKind.Collection ? type.CountMember : "Length";
                    if (count is not null)
                    {
                        _w.Line("w.WriteUInt64((ulong)value." + count + ");");
                        _w.Open("foreach (var item in value)");
                        Value("item", type.Element!, "present");
                        _w.Close();
                    }
                    else
                    {
                        _w.Open("foreach (var item in value)");
                        _w.Line("w.WriteBoolean(true);");
                        Value("item", type.Element!, "present");
                        _w.Close();
                        _w.Line();
                        _w.Line("w.WriteBoolean(false);");
                    }

                    _w.Close();
                    _w.Line();
                }

                EmitHelpers(type.Element!);
                break;
        }
    }
}
