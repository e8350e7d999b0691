using System;
using System.Collections.Generic;
using System.Linq;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Json.g.cs</c>: the <c>MJson</c> class. Writers go through the caller's <c>Utf8JsonWriter</c>
/// with keys pre-encoded in static fields; readers go through a <c>Utf8JsonReader</c>, try the
/// declared key order first and report every problem as a <c>WireFormatException</c> at the byte
/// position of the offending token; <c>Parse*</c> entry points add the JSON path.
/// </summary>
internal sealed class JsonEmitter
{
    private const string JW = "global::System.Text.Json.Utf8JsonWriter";
    private const string JR = "global::System.Text.Json.Utf8JsonReader";
    private const string JT = "global::System.Text.Json.JsonTokenType";
    private const string JET = "global::System.Text.Json.JsonEncodedText";
    private const string WFE = "global::Peering.StateMachines.WireFormatException";
    private const string Span = "global::System.ReadOnlySpan<byte>";

    private readonly EmitContext _c;
    private readonly MachineModel _m;
    private readonly SourceWriter _w = new();
    private readonly List<string> _fields = new();
    private readonly HashSet<string> _helpers = new();

    private JsonEmitter(EmitContext context)
    {
        _c = context;
        _m = context.Model;
    }

    private string S => _m.StateEnumTypeName;

    private string E => _m.EventBase;

    private string F => _m.EffectBase;

    private string N => _m.SnapshotType;

    private string C => _m.ChecksTypeName;

    private string TraceStepType => "global::Peering.StateMachines.TraceStep<" + S + ", " + E + ", " + N + ", " + C + ", " + F + ">";

    private TypeRef EffectArray => new(WireKind.Array, F + "[]", new TypeRef(WireKind.EffectUnion, F, SimpleName: "Effect"), SimpleName: "ArrayOfEffect");

    public static string Emit(EmitContext context)
    {
        var emitter = new JsonEmitter(context);
        emitter.EmitBody();
        return emitter.Assemble();
    }

    private string Assemble()
    {
        var w = new SourceWriter();
        MachineEmitter.BeginNamespace(w, _m);
        w.Line("/// <summary>");
        w.Line("/// The JSON wire format of <see cref=\"" + _m.Name + "\"/>: compact, keys in declared order, through the");
        w.Line("/// caller's <see cref=\"" + JW + "\"/>; strict readers (docs/toolkit.md §2).");
        w.Line("/// </summary>");
        w.Open(_m.Accessibility + " static partial class " + _m.JsonName);
        foreach (var pair in _c.KeyFields)
        {
            w.Line("private static readonly " + JET + " " + pair.Value + " = " + JET + ".Encode(" + EmitContext.Literal(pair.Key) + ");");
        }

        w.Line();
        foreach (var field in _fields)
        {
            w.Line(field);
        }

        w.Line();
        foreach (var line in _w.ToString().Split('\n'))
        {
            if (line.Length == 0)
            {
                w.Line();
            }
            else
            {
                w.Line(line);
            }
        }

        w.TrimTrailingBlankLines();
        w.Close();
        // The shared reading helpers (Start, KeyReader, ReadUInt32, ...) live in the runtime library.
        return SourceWriter.Header() + "using static global::Peering.StateMachines.JsonWire;\n\n" + w;
    }

    private string Key(string key) => _c.KeyField(key);

    private void Field(string declaration) => _fields.Add(declaration);

    private void EmitBody()
    {
        // Encoded tags and state names.
        foreach (var (cases, prefix) in new[] { (_m.Events, "EventTag_"), (_m.Effects, "EffectTag_") })
        {
            foreach (var c in cases)
            {
                Field("private static readonly " + JET + " " + prefix + CaseId(c) + " = " + JET + ".Encode(" + EmitContext.Literal(c.Tag) + ");");
            }
        }

        foreach (var state in _m.States)
        {
            Field("private static readonly " + JET + " State_" + state.Name + " = " + JET + ".Encode(" + EmitContext.Literal(state.WireName) + ");");
        }

        Field("private static readonly " + JET + " Kind_step = " + JET + ".Encode(\"step\");");
        Field("private static readonly " + JET + " Kind_summary = " + JET + ".Encode(\"summary\");");
        Key("type");

        EmitPublicWriters();
        EmitPublicReaders();
        EmitParsers();
        EmitTrace();

        foreach (var record in _c.Records)
        {
            EmitRecordWriter(record);
            EmitRecordReader(record);
        }

        var helperTypes = new List<TypeRef>();
        foreach (var record in _c.Records)
        {
            foreach (var member in record.Members)
            {
                helperTypes.Add(member.Type);
            }
        }

        helperTypes.Add(EffectArray);
        foreach (var type in helperTypes)
        {
            EmitHelpers(type);
        }

        EmitStateHelpers();
        EmitUnionTagMatcher("Event", _m.Events, "event type");
        EmitUnionTagMatcher("Effect", _m.Effects, "effect type");
    }

    private string CaseId(CaseModel c) => _c.Id(new TypeRef(WireKind.Record, c.TypeName, SimpleName: _c.RecordsByType.TryGetValue(c.TypeName, out var r) ? r.SimpleName : c.TypeName));

    private string RecordId(RecordSpec r) => _c.Id(new TypeRef(WireKind.Record, r.TypeName, SimpleName: r.SimpleName));

    // ---------------------------------------------------------------- public API

    private void EmitPublicWriters()
    {
        EmitUnionWriter("Event", E, _m.Events, "EventTag_");
        EmitUnionWriter("Effect", F, _m.Effects, "EffectTag_");

        var snapshot = _c.RecordsByType.TryGetValue(N, out var s) ? s : null;
        _w.Line("/// <summary>Writes the snapshot <paramref name=\"value\"/> as a JSON object, keys in declared order.</summary>");
        _w.Line("public static void WriteSnapshot(" + JW + " w, " + N + " value) => Write_" + (snapshot is null ? "Unknown" : RecordId(snapshot)) + "(w, value);");
        _w.Line();
        _w.Line("/// <summary>Writes the checks object: one boolean per [Check], keys in declaration order.</summary>");
        _w.Line("public static void WriteChecks(" + JW + " w, " + C + " value) => Write_" + RecordId(_c.Checks) + "(w, value);");
        _w.Line();
    }

    private void EmitUnionWriter(string what, string baseType, EquatableArray<CaseModel> cases, string tagPrefix)
    {
        _w.Line("/// <summary>Writes <paramref name=\"value\"/> as a JSON object whose first key is its <c>\"type\"</c> tag.</summary>");
        _w.Open("public static void Write" + what + "(" + JW + " w, " + baseType + " value)");
        _w.Open("switch (value)");
        foreach (var c in CaseOrder.DerivedFirst(cases).Select(i => cases[i]))
        {
            var id = CaseId(c);
            _w.Line("case " + c.TypeName + " v:");
            _w.Indent();
            _w.Line("w.WriteStartObject();");
            _w.Line("w.WriteString(" + Key("type") + ", " + tagPrefix + id + ");");
            _w.Line("WriteMembers_" + id + "(w, v);");
            _w.Line("w.WriteEndObject();");
            _w.Line("return;");
            _w.Unindent();
        }

        _w.Line("default:");
        _w.Indent().Line("throw UnknownCase(value, " + EmitContext.Literal(what.ToLowerInvariant()) + ");").Unindent();
        _w.Close();
        _w.Close();
        _w.Line();
    }

    private void EmitPublicReaders()
    {
        EmitUnionReader("Event", E, _m.Events);
        EmitUnionReader("Effect", F, _m.Effects);

        var snapshot = _c.RecordsByType.TryGetValue(N, out var s) ? s : null;
        _w.Line("/// <summary>Reads a snapshot object; the reader is on its first token and is left on its last.</summary>");
        _w.Line("public static " + N + " ReadSnapshot(ref " + JR + " r) => Read_" + (snapshot is null ? "Unknown" : RecordId(snapshot)) + "(ref r, TagNone);");
        _w.Line();
        _w.Line("/// <summary>Reads a checks object; the reader is on its first token and is left on its last.</summary>");
        _w.Line("public static " + C + " ReadChecks(ref " + JR + " r) => Read_" + RecordId(_c.Checks) + "(ref r, TagNone);");
        _w.Line();
    }

    private void EmitUnionReader(string what, string baseType, EquatableArray<CaseModel> cases)
    {
        _w.Line("/// <summary>");
        _w.Line("/// Reads an object tagged by its <c>\"type\"</c> key (anywhere in the object; first is fastest). The reader");
        _w.Line("/// is on its first token and is left on its last.");
        _w.Line("/// </summary>");
        _w.Open("public static " + baseType + " Read" + what + "(ref " + JR + " r)");
        EmitTaggedDispatchPrologue("type", "Match" + what + "Tag");
        if (cases.Count == 0)
        {
            _w.Line("_ = tag; // no cases: the matcher has rejected the tag");
        }

        _w.Open("switch (index)");
        for (var i = 0; i < cases.Count; i++)
        {
            _w.Line("case " + i + ": return Read_" + CaseId(cases[i]) + "(ref r, tag);");
        }

        _w.Line("default: throw new global::System.InvalidOperationException();");
        _w.Close();
        _w.Close();
        _w.Line();
    }

    /// <summary>Finds the tag (fast path: the first key) and leaves <c>index</c> and <c>tag</c> set.</summary>
    private void EmitTaggedDispatchPrologue(string tagKey, string matcher)
    {
        _w.Line("ExpectStartObject(ref r);");
        _w.Line("var start = r;");
        _w.Line("Next(ref r);");
        _w.Line("int index;");
        _w.Line("int tag;");
        _w.Open("if (r.TokenType == " + JT + ".PropertyName && r.ValueTextEquals(" + EmitContext.Utf8Literal(tagKey) + "))");
        _w.Line("Next(ref r);");
        _w.Line("index = " + matcher + "(ref r);");
        _w.Line("tag = TagConsumed;");
        _w.Close();
        _w.Open("else");
        _w.Line("// The tag is not the first key: find it on a copy, then read the object from its start.");
        _w.Line("r = start;");
        _w.Line("SeekTag(ref start, " + EmitContext.Utf8Literal(tagKey) + ");");
        _w.Line("index = " + matcher + "(ref start);");
        _w.Line("tag = TagPending;");
        _w.Close();
        _w.Line();
    }

    private void EmitParsers()
    {
        var snapshot = _c.RecordsByType.TryGetValue(N, out var s) ? s : null;
        EmitParser("Event", E, "ReadEvent(ref r)", "an event");
        EmitParser("Effect", F, "ReadEffect(ref r)", "an effect");
        EmitParser("Snapshot", N, "Read_" + (snapshot is null ? "Unknown" : RecordId(snapshot)) + "(ref r, TagNone)", "a snapshot");
    }

    private void EmitParser(string what, string type, string read, string description)
    {
        _w.Line("/// <summary>");
        _w.Line("/// Parses a whole JSON document holding " + description + ". Any problem, malformed JSON included, is a");
        _w.Line("/// <see cref=\"" + WFE + "\"/> with its byte position and JSON path.");
        _w.Line("/// </summary>");
        _w.Open("public static " + type + " Parse" + what + "(" + Span + " json)");
        EmitParseBody(read, "json");
        _w.Close();
        _w.Line();
    }

    private void EmitParseBody(string read, string input)
    {
        // The reader is declared outside the try so that a catch can report the token it stopped on.
        _w.Line("var r = new " + JR + "(" + input + ");");
        _w.Open("try");
        _w.Line("CheckUtf8(" + input + ");");
        _w.Line("Start(ref r);");
        _w.Line("var value = " + read + ";");
        _w.Line("Finish(ref r);");
        _w.Line("return value;");
        _w.Close();
        _w.Open("catch (" + WFE + " ex)");
        _w.Line("throw ex.Located(" + input + ");");
        _w.Close();
        _w.Open("catch (global::System.Text.Json.JsonException ex)");
        _w.Line("throw Malformed(ex, " + input + ");");
        _w.Close();

        // Utf8JsonReader throws InvalidOperationException when it unescapes or compares a string whose
        // \u escapes are not valid UTF-16 (an unpaired surrogate); such a string is malformed input.
        _w.Open("catch (global::System.InvalidOperationException) when (r.TokenType is global::System.Text.Json.JsonTokenType.String or global::System.Text.Json.JsonTokenType.PropertyName)");
        _w.Line("throw new " + WFE + "(\"invalid string: a \\\\u escape is not valid UTF-16 (an unpaired surrogate)\", r.TokenStartIndex).Located(" + input + ");");
        _w.Close();
    }

    // ---------------------------------------------------------------- trace lines

    private void EmitTrace()
    {
        var snapshot = _c.RecordsByType.TryGetValue(N, out var s) ? RecordId(s) : "Unknown";
        var checks = RecordId(_c.Checks);

        _w.Line("/// <summary>");
        _w.Line("/// Writes one step line of a trace (TRACE-SCHEMA.md §3.1): <c>kind</c>, <c>step</c>, <c>from_state</c>,");
        _w.Line("/// <c>to_state</c>, <c>event</c>, <c>before</c>, <c>before_checks</c>, <c>after</c>, <c>after_checks</c>, <c>effects</c>.");
        _w.Line("/// </summary>");
        _w.Open("public static void WriteTraceStep(" + JW + " w, long step, " + S + " from, " + S + " to, " + E + " ev, " + N + " before, " + C + " beforeChecks, " + N + " after, " + C + " afterChecks, global::System.ReadOnlySpan<" + F + "> effects)");
        EmitTraceStepHead();
        _w.Line("w.WritePropertyName(" + Key("before") + ");");
        _w.Line("Write_" + snapshot + "(w, before);");
        _w.Line("w.WritePropertyName(" + Key("before_checks") + ");");
        _w.Line("Write_" + checks + "(w, beforeChecks);");
        EmitTraceStepTail(snapshot, checks);
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>");
        _w.Line("/// Writes one step line from snapshots and checks that are already encoded, so that each snapshot of a");
        _w.Line("/// trace is encoded once (a step's <c>after</c> is the next step's <c>before</c>). They are copied as they");
        _w.Line("/// are, without validation.");
        _w.Line("/// </summary>");
        _w.Open("public static void WriteTraceStep(" + JW + " w, long step, " + S + " from, " + S + " to, " + E + " ev, " + Span + " beforeJson, " + Span + " beforeChecksJson, " + Span + " afterJson, " + Span + " afterChecksJson, global::System.ReadOnlySpan<" + F + "> effects)");
        EmitTraceStepHead();
        _w.Line("w.WritePropertyName(" + Key("before") + ");");
        _w.Line("w.WriteRawValue(beforeJson, skipInputValidation: true);");
        _w.Line("w.WritePropertyName(" + Key("before_checks") + ");");
        _w.Line("w.WriteRawValue(beforeChecksJson, skipInputValidation: true);");
        _w.Line("w.WritePropertyName(" + Key("after") + ");");
        _w.Line("w.WriteRawValue(afterJson, skipInputValidation: true);");
        _w.Line("w.WritePropertyName(" + Key("after_checks") + ");");
        _w.Line("w.WriteRawValue(afterChecksJson, skipInputValidation: true);");
        EmitTraceStepEffects();
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>Writes the summary line closing a trace: <c>{\"kind\":\"summary\",\"seed\":…,\"events\":…}</c>.</summary>");
        _w.Open("public static void WriteTraceSummary(" + JW + " w, ulong seed, long events)");
        _w.Line("w.WriteStartObject();");
        _w.Line("w.WriteString(" + Key("kind") + ", Kind_summary);");
        _w.Line("w.WriteNumber(" + Key("seed") + ", seed);");
        _w.Line("w.WriteNumber(" + Key("events") + ", events);");
        _w.Line("w.WriteEndObject();");
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>");
        _w.Line("/// Parses one trace line: a <see cref=\"global::Peering.StateMachines.TraceStep{TState, TEvent, TSnapshot, TChecks, TEffect}\"/>");
        _w.Line("/// (<c>\"kind\":\"step\"</c>) or a <see cref=\"global::Peering.StateMachines.TraceSummary\"/> (<c>\"kind\":\"summary\"</c>).");
        _w.Line("/// </summary>");
        _w.Open("public static global::Peering.StateMachines.TraceLine ParseTraceLine(" + Span + " line)");
        EmitParseBody("ReadTraceLine(ref r)", "line");
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>Reads one trace line object; the reader is on its first token and is left on its last.</summary>");
        _w.Open("public static global::Peering.StateMachines.TraceLine ReadTraceLine(ref " + JR + " r)");
        EmitTaggedDispatchPrologue("kind", "MatchTraceKind");
        _w.Line("return index == 0 ? Read_TraceStep(ref r, tag) : Read_TraceSummary(ref r, tag);");
        _w.Close();
        _w.Line();

        _w.Open("private static int MatchTraceKind(ref " + JR + " r)");
        _w.Line("ExpectString(ref r);");
        _w.Open("if (TextEquals(ref r, \"step\"u8))");
        _w.Line("return 0;");
        _w.Close();
        _w.Line();
        _w.Open("if (TextEquals(ref r, \"summary\"u8))");
        _w.Line("return 1;");
        _w.Close();
        _w.Line();
        _w.Line("throw UnknownName(ref r, \"line kind\");");
        _w.Close();
        _w.Line();

        EmitObjectReader(
            "Read_TraceStep",
            TraceStepType,
            "TraceStep",
            new List<ReaderMember>
            {
                new("step", "long", "ReadInt64(ref r)", false),
                new("from_state", S, "Read_State(ref r)", false),
                new("to_state", S, "Read_State(ref r)", false),
                new("event", E, "ReadEvent(ref r)", false),
                new("before", N, "Read_" + snapshot + "(ref r, TagNone)", false),
                new("before_checks", C, "Read_" + checks + "(ref r, TagNone)", false),
                new("after", N, "Read_" + snapshot + "(ref r, TagNone)", false),
                new("after_checks", C, "Read_" + checks + "(ref r, TagNone)", false),
                new("effects", F + "[]", "Read_ArrayOfEffect(ref r)", false),
            },
            locals => "new " + TraceStepType + "(" + string.Join(", ", locals) + ")",
            "kind");

        EmitObjectReader(
            "Read_TraceSummary",
            "global::Peering.StateMachines.TraceSummary",
            "TraceSummary",
            new List<ReaderMember>
            {
                new("seed", "ulong", "ReadUInt64(ref r)", false),
                new("events", "long", "ReadInt64(ref r)", false),
            },
            locals => "new global::Peering.StateMachines.TraceSummary(" + string.Join(", ", locals) + ")",
            "kind");
    }

    private void EmitTraceStepHead()
    {
        _w.Line("w.WriteStartObject();");
        _w.Line("w.WriteString(" + Key("kind") + ", Kind_step);");
        _w.Line("w.WriteNumber(" + Key("step") + ", step);");
        _w.Line("w.WriteString(" + Key("from_state") + ", Text_State(from));");
        _w.Line("w.WriteString(" + Key("to_state") + ", Text_State(to));");
        _w.Line("w.WritePropertyName(" + Key("event") + ");");
        _w.Line("WriteEvent(w, ev);");
    }

    private void EmitTraceStepTail(string snapshot, string checks)
    {
        _w.Line("w.WritePropertyName(" + Key("after") + ");");
        _w.Line("Write_" + snapshot + "(w, after);");
        _w.Line("w.WritePropertyName(" + Key("after_checks") + ");");
        _w.Line("Write_" + checks + "(w, afterChecks);");
        EmitTraceStepEffects();
    }

    private void EmitTraceStepEffects()
    {
        _w.Line("w.WriteStartArray(" + Key("effects") + ");");
        _w.Open("foreach (var effect in effects)");
        _w.Line("WriteEffect(w, effect);");
        _w.Close();
        _w.Line();
        _w.Line("w.WriteEndArray();");
        _w.Line("w.WriteEndObject();");
    }

    // ---------------------------------------------------------------- records

    private void EmitRecordWriter(RecordSpec record)
    {
        var id = RecordId(record);
        _w.Open("private static void Write_" + id + "(" + JW + " w, " + record.TypeName + " value)");
        _w.Line("w.WriteStartObject();");
        _w.Line("WriteMembers_" + id + "(w, value);");
        _w.Line("w.WriteEndObject();");
        _w.Close();
        _w.Line();
        _w.Open("private static void WriteMembers_" + id + "(" + JW + " w, " + record.TypeName + " value)");
        for (var i = 0; i < record.Members.Count; i++)
        {
            var member = record.Members[i];
            WriteProperty(Key(member.Key), "value." + EmitContext.Escape(member.PropertyName), member.Type, "v" + i);
        }

        _w.TrimTrailingBlankLines();
        _w.Close();
        _w.Line();
    }

    private void WriteProperty(string key, string expr, TypeRef type, string local)
    {
        switch (type.Kind)
        {
            case WireKind.Boolean:
                _w.Line("w.WriteBoolean(" + key + ", " + expr + ");");
                break;
            case WireKind.Int32:
            case WireKind.UInt32:
            case WireKind.Int64:
            case WireKind.UInt64:
                _w.Line("w.WriteNumber(" + key + ", " + expr + ");");
                break;
            case WireKind.String:
                _w.Line("w.WriteString(" + key + ", " + expr + ");");
                break;
            case WireKind.StateEnum:
                _w.Line("w.WriteString(" + key + ", Text_State(" + expr + "));");
                break;
            case WireKind.Enum:
                _w.Line("w.WriteString(" + key + ", Text_" + _c.Id(type) + "(" + expr + "));");
                break;
            case WireKind.Nullable:
                _w.Open("if (" + expr + " is { } " + local + ")");
                WriteProperty(key, local, type.Element!, local + "_");
                _w.Close();
                _w.Line();
                break;
            default:
                _w.Line("w.WritePropertyName(" + key + ");");
                WriteValue(expr, type, local);
                break;
        }
    }

    private void WriteValue(string expr, TypeRef type, string local)
    {
        switch (type.Kind)
        {
            case WireKind.Boolean:
                _w.Line("w.WriteBooleanValue(" + expr + ");");
                break;
            case WireKind.Int32:
            case WireKind.UInt32:
            case WireKind.Int64:
            case WireKind.UInt64:
                _w.Line("w.WriteNumberValue(" + expr + ");");
                break;
            case WireKind.String:
                _w.Line("w.WriteStringValue(" + expr + ");");
                break;
            case WireKind.StateEnum:
                _w.Line("w.WriteStringValue(Text_State(" + expr + "));");
                break;
            case WireKind.Enum:
                _w.Line("w.WriteStringValue(Text_" + _c.Id(type) + "(" + expr + "));");
                break;
            case WireKind.Nullable:
                _w.Open("if (" + expr + " is { } " + local + ")");
                WriteValue(local, type.Element!, local + "_");
                _w.Close();
                _w.Open("else");
                _w.Line("w.WriteNullValue();");
                _w.Close();
                break;
            case WireKind.EventUnion:
                _w.Line("WriteEvent(w, " + expr + ");");
                break;
            case WireKind.EffectUnion:
                _w.Line("WriteEffect(w, " + expr + ");");
                break;
            default:
                _w.Line("Write_" + _c.Id(type) + "(w, " + expr + ");");
                break;
        }
    }

    private string ReadExpression(TypeRef type)
    {
        switch (type.Kind)
        {
            case WireKind.Boolean:
            case WireKind.Int32:
            case WireKind.UInt32:
            case WireKind.Int64:
            case WireKind.UInt64:
            case WireKind.String:
                return "Read" + type.Kind + "(ref r)";
            case WireKind.Record:
                return "Read_" + _c.Id(type) + "(ref r, TagNone)";
            case WireKind.EventUnion:
                return "ReadEvent(ref r)";
            case WireKind.EffectUnion:
                return "ReadEffect(ref r)";
            default:
                return "Read_" + _c.Id(type) + "(ref r)";
        }
    }

    private sealed record ReaderMember(string Key, string TypeName, string Read, bool Optional);

    private void EmitRecordReader(RecordSpec record)
    {
        var id = RecordId(record);
        var members = record.Members.Select(m => new ReaderMember(m.Key, m.Type.TypeName, ReadExpression(m.Type), m.Type.Kind == WireKind.Nullable)).ToList();
        EmitObjectReader(
            "Read_" + id,
            record.TypeName,
            id,
            members,
            locals => "new " + record.TypeName + "(" + string.Join(", ", record.Members.Select((m, i) => EmitContext.Escape(m.ParameterName) + ": " + locals[i])) + ")",
            "type");
    }

    /// <summary>
    /// A strict object reader: each key at most once, all required keys present, no unknown key;
    /// <paramref name="tagKey"/> is skipped when the object is read as a tagged case.
    /// </summary>
    private void EmitObjectReader(string name, string returnType, string id, List<ReaderMember> members, Func<string[], string> construct, string tagKey)
    {
        var keysTable = "Keys_" + id;
        Field("private static readonly byte[][] " + keysTable + " = [" + string.Join(", ", members.Select(m => EmitContext.Utf8Literal(m.Key) + ".ToArray()")) + "];");
        var locals = members.Select((_, i) => "a" + i).ToArray();
        ulong required = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (!members[i].Optional)
            {
                required |= 1UL << i;
            }
        }

        var requiredText = "0x" + required.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "UL";
        _w.Open("private static " + returnType + " " + name + "(ref " + JR + " r, int tag)");
        _w.Line("StartObject(ref r, tag);");
        _w.Line("var keys = new KeyReader(" + keysTable + ", " + requiredText + ");");
        for (var i = 0; i < members.Count; i++)
        {
            _w.Line(members[i].TypeName + " " + locals[i] + (members[i].Optional ? " = null;" : " = default!;"));
        }

        if (members.Count == 0)
        {
            _w.Open("while (keys.NextKey(ref r, ref tag, " + EmitContext.Utf8Literal(tagKey) + ") >= 0)");
        }
        else
        {
            _w.Line("int key;");
            _w.Open("while ((key = keys.NextKey(ref r, ref tag, " + EmitContext.Utf8Literal(tagKey) + ")) >= 0)");
            _w.Open("switch (key)");
            for (var i = 0; i < members.Count; i++)
            {
                _w.Line("case " + i + ": " + locals[i] + " = " + members[i].Read + "; break;");
            }

            _w.Close();
        }

        _w.Close();
        _w.Line();
        _w.Line("keys.EnsureComplete(ref r);");
        _w.Line("return " + construct(locals) + ";");
        _w.Close();
        _w.Line();
    }

    // ---------------------------------------------------------------- per-type helpers

    private void EmitHelpers(TypeRef type)
    {
        switch (type.Kind)
        {
            case WireKind.Nullable:
            {
                var id = _c.Id(type);
                if (_helpers.Add(id))
                {
                    _w.Line("private static " + type.TypeName + " Read_" + id + "(ref " + JR + " r) => r.TokenType == " + JT + ".Null ? null : " + ReadExpression(type.Element!) + ";");
                    _w.Line();
                }

                EmitHelpers(type.Element!);
                break;
            }

            case WireKind.Enum:
                EmitEnumHelpers(type);
                break;
            case WireKind.Array:
            case WireKind.ImmutableArray:
            case WireKind.Collection:
                EmitCollectionHelpers(type);
                EmitHelpers(type.Element!);
                break;
        }
    }

    private void EmitEnumHelpers(TypeRef type)
    {
        var id = _c.Id(type);
        if (!_helpers.Add(id))
        {
            return;
        }

        foreach (var member in type.EnumMembers)
        {
            Field("private static readonly " + JET + " Enum_" + id + "_" + member + " = " + JET + ".Encode(" + EmitContext.Literal(member) + ");");
        }

        _w.Line("private static " + JET + " Text_" + id + "(" + type.TypeName + " value) => value switch");
        _w.Line("{");
        _w.Indent();
        foreach (var member in type.EnumMembers)
        {
            _w.Line(type.TypeName + "." + EmitContext.Escape(member) + " => Enum_" + id + "_" + member + ",");
        }

        _w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"Not a declared member of " + type.SimpleName + ".\"),");
        _w.Unindent();
        _w.Line("};");
        _w.Line();
        _w.Open("private static " + type.TypeName + " Read_" + id + "(ref " + JR + " r)");
        _w.Line("ExpectString(ref r);");
        foreach (var member in type.EnumMembers)
        {
            _w.Open("if (r.ValueTextEquals(" + EmitContext.Utf8Literal(member) + "))");
            _w.Line("return " + type.TypeName + "." + EmitContext.Escape(member) + ";");
            _w.Close();
            _w.Line();
        }

        _w.Line("throw UnknownName(ref r, " + EmitContext.Literal(type.SimpleName) + ");");
        _w.Close();
        _w.Line();
    }

    private void EmitCollectionHelpers(TypeRef type)
    {
        var id = _c.Id(type);
        if (!_helpers.Add(id))
        {
            return;
        }

        var element = type.Element!;
        _w.Open("private static void Write_" + id + "(" + JW + " w, " + type.TypeName + " value)");
        _w.Line("w.WriteStartArray();");
        _w.Open("foreach (var item in value)");
        WriteValue("item", element, "present");
        _w.Close();
        _w.Line();
        _w.Line("w.WriteEndArray();");
        _w.Close();
        _w.Line();

        _w.Open("private static " + type.TypeName + " Read_" + id + "(ref " + JR + " r)");
        _w.Line("ExpectStartArray(ref r);");
        if (type.Kind == WireKind.Collection)
        {
            _w.Line("var start = r.TokenStartIndex;");
        }

        _w.Line("var items = new ListBuilder<" + element.TypeName + ">();");
        _w.Open("while (true)");
        _w.Line("Next(ref r);");
        _w.Open("if (r.TokenType == " + JT + ".EndArray)");
        _w.Line("break;");
        _w.Close();
        _w.Line();
        _w.Line("items.Add(" + ReadExpression(element) + ");");
        _w.Close();
        _w.Line();
        switch (type.Kind)
        {
            case WireKind.Array:
                _w.Line("return items.ToArrayAndFree();");
                break;
            case WireKind.ImmutableArray:
                _w.Line("return items.ToImmutableArrayAndFree();");
                break;
            default:
                _w.Open("try");
                _w.Line("return " + type.BuilderType + "." + type.BuilderMethod + type.BuilderTypeArguments + "(items.AsSpan());");
                _w.Close();
                _w.Open("catch (global::System.ArgumentException ex)");
                // A generic collection's helper name (SortedArrayOfInt32And...) says nothing to a user: the path says where.
                _w.Line("throw new " + WFE + "(\"invalid " + (type.TypeName.IndexOf('<') >= 0 ? "array" : type.SimpleName) + ": \" + ex.Message, start);");
                _w.Close();
                _w.Open("finally");
                _w.Line("items.Free();");
                _w.Close();
                break;
        }

        _w.Close();
        _w.Line();
    }

    private void EmitStateHelpers()
    {
        _w.Line("private static " + JET + " Text_State(" + S + " value) => value switch");
        _w.Line("{");
        _w.Indent();
        foreach (var state in _m.States)
        {
            _w.Line(S + "." + state.Name + " => State_" + state.Name + ",");
        }

        _w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"Not a declared state.\"),");
        _w.Unindent();
        _w.Line("};");
        _w.Line();
        _w.Open("private static " + S + " Read_State(ref " + JR + " r)");
        _w.Line("ExpectString(ref r);");
        _w.Line(Span + " name = r.HasValueSequence || r.ValueIsEscaped");
        _w.Indent();
        _w.Line("? global::System.Text.Encoding.UTF8.GetBytes(r.GetString()!)");
        _w.Line(": r.ValueSpan;");
        _w.Unindent();
        _w.Open("if (" + _m.TypeName + ".TryParseState(name, out var state))");
        _w.Line("return state;");
        _w.Close();
        _w.Line();
        _w.Line("throw UnknownName(ref r, \"state\");");
        _w.Close();
        _w.Line();
    }

    private void EmitUnionTagMatcher(string what, EquatableArray<CaseModel> cases, string description)
    {
        _w.Open("private static int Match" + what + "Tag(ref " + JR + " r)");
        _w.Line("ExpectString(ref r);");
        for (var i = 0; i < cases.Count; i++)
        {
            _w.Open("if (TextEquals(ref r, " + EmitContext.Utf8Literal(cases[i].Tag) + "))");
            _w.Line("return " + i + ";");
            _w.Close();
            _w.Line();
        }

        _w.Line("throw UnknownName(ref r, " + EmitContext.Literal(description) + ");");
        _w.Close();
        _w.Line();
    }

}
