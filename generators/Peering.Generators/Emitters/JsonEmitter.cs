using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Peering.Generators.Emitters.WireKinds;
using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Json.g.cs</c>: the <c>MJson</c> class. Writers write into the caller's <c>CompactJsonWriter</c>:
/// keys, tags and names as precomputed UTF-8 runs (<see cref="EmitContext.Run"/>), values formatted; readers go through a <c>Utf8JsonReader</c>, try the
/// declared key order first and report every problem as a <c>WireFormatException</c> at the byte
/// position of the offending token; <c>Parse*</c> entry points add the JSON path. What a member of each
/// wire kind writes and reads comes from its <see cref="WireKindEmitter"/>.
/// </summary>
internal sealed class JsonEmitter
{
    private readonly EmitContext _c;
    private readonly MachineModel _m;
    private readonly EmitTarget _t;

    private JsonEmitter(EmitContext context)
    {
        _c = context;
        _m = context.Model;
        _t = new EmitTarget(context);
    }

    private SourceWriter W => _t.Writer;

    private string TraceStepType => $"{Runtime}.TraceStep<{_m.StateEnumTypeName}, {_m.EventBase}, {_m.SnapshotType}, {_m.ChecksTypeName}, {_m.EffectBase}>";

    public static string Emit(EmitContext context)
    {
        var emitter = new JsonEmitter(context);
        emitter.EmitBody();
        return emitter.Assemble();
    }

    /// <summary>The class: the runs encoded at run time (in the order the body asked for them), the other fields, then the body.</summary>
    private string Assemble()
    {
        var w = new SourceWriter();
        MachineEmitter.BeginNamespace(w, _m);
        w.Block($$"""
            /// <summary>
            /// The JSON wire format of <see cref="{{_m.Name}}"/>: compact, keys in declared order, into the
            /// caller's <see cref="{{CompactJsonWriter}}"/>; strict readers (docs/toolkit.md §2).
            /// </summary>
            """);
        w.Open($"{_m.Accessibility} static partial class {_m.JsonName}");
        foreach (var field in _c.RunFields.Concat(_t.Fields))
        {
            w.Line(field);
        }

        w.Line();
        w.Block(W.ToString());
        w.TrimTrailingBlankLines();
        w.Close();

        // The shared reading helpers (Start, KeyReader, ReadUInt32, ...) live in the runtime library.
        return SourceWriter.Header() + $"using static {Runtime}.JsonWire;\n\n" + w;
    }

    private void EmitBody()
    {
        EmitPublicWriters();
        EmitPublicReaders();
        EmitParsers();
        EmitTrace();
        EmitCompactSnapshotReader();

        foreach (var record in _c.Records)
        {
            EmitRecordWriter(record);
            EmitRecordReader(record);
        }

        var effect = _m.EffectBase;
        var effects = new TypeRef(WireKind.Array, effect + "[]", new TypeRef(WireKind.EffectUnion, effect, SimpleName: "Effect"), SimpleName: "ArrayOfEffect");
        foreach (var type in _c.Records.SelectMany(r => r.Members).Select(m => m.Type).Append(effects))
        {
            _t.EmitJsonHelpers(type);
        }

        EnumKind.EmitStateJsonHelpers(_t);
        EmitUnionTagMatcher("Event", _m.Events, "event type");
        EmitUnionTagMatcher("Effect", _m.Effects, "effect type");
    }

    // ---------------------------------------------------------------- public API

    private void EmitPublicWriters()
    {
        EmitUnionWriter("Event", _m.EventBase, _m.Events);
        EmitUnionWriter("Effect", _m.EffectBase, _m.Effects);
        W.Block($$"""
            /// <summary>Writes the snapshot <paramref name="value"/> as a JSON object, keys in declared order.</summary>
            public static void WriteSnapshot({{CompactJsonWriter}} w, {{_m.SnapshotType}} value) => Write_{{_c.SnapshotId}}(w, value);

            /// <summary>Writes the checks object: one boolean per [Check], keys in declaration order.</summary>
            public static void WriteChecks({{CompactJsonWriter}} w, {{_m.ChecksTypeName}} value) => Write_{{_c.RecordId(_c.Checks)}}(w, value);

            """);
    }

    private void EmitUnionWriter(string what, string baseType, EquatableArray<CaseModel> cases)
    {
        W.Line("/// <summary>Writes <paramref name=\"value\"/> as a JSON object whose first key is its <c>\"type\"</c> tag.</summary>");
        UnionKind.EmitCaseSwitch(W, $"public static void Write{what}({CompactJsonWriter} w, {baseType} value)", what, cases, (_, c) => $$"""
            w.Raw({{_c.Run("{\"type\":", c.Tag, "")}});
            WriteMembers_{{_c.CaseId(c)}}(w, v);
            w.Raw("}"u8);
            return;
            """);
    }

    private void EmitPublicReaders()
    {
        EmitUnionReader("Event", _m.EventBase, _m.Events);
        EmitUnionReader("Effect", _m.EffectBase, _m.Effects);
        W.Block($$"""
            /// <summary>Reads a snapshot object; the reader is on its first token and is left on its last.</summary>
            public static {{_m.SnapshotType}} ReadSnapshot(ref {{Utf8JsonReader}} r) => Read_{{_c.SnapshotId}}(ref r, TagNone);

            /// <summary>Reads a checks object; the reader is on its first token and is left on its last.</summary>
            public static {{_m.ChecksTypeName}} ReadChecks(ref {{Utf8JsonReader}} r) => Read_{{_c.RecordId(_c.Checks)}}(ref r, TagNone);

            """);
    }

    private void EmitUnionReader(string what, string baseType, EquatableArray<CaseModel> cases)
    {
        W.Block($$"""
            /// <summary>
            /// Reads an object tagged by its <c>"type"</c> key (anywhere in the object; first is fastest). The reader
            /// is on its first token and is left on its last.
            /// </summary>
            public static {{baseType}} Read{{what}}(ref {{Utf8JsonReader}} r)
            {
            """);
        W.Indent();
        EmitTaggedDispatchPrologue("type", "Match" + what + "Tag");
        if (cases.Count == 0)
        {
            W.Line("_ = tag; // no cases: the matcher has rejected the tag");
        }

        W.Open("switch (index)");
        for (var i = 0; i < cases.Count; i++)
        {
            W.Line($"case {i}: return Read_{_c.CaseId(cases[i])}(ref r, tag);");
        }

        W.Line($"default: throw new {InvalidOperationException}();");
        W.Close();
        W.Close();
        W.Line();
    }

    /// <summary>Finds the tag (fast path: the first key) and leaves <c>index</c> and <c>tag</c> set.</summary>
    private void EmitTaggedDispatchPrologue(string tagKey, string matcher)
    {
        var key = EmitContext.Utf8Literal(tagKey);
        W.Block($$"""
            ExpectStartObject(ref r);
            var start = r;
            Next(ref r);
            int index;
            int tag;
            if (r.TokenType == {{JsonTokenType}}.PropertyName && r.ValueTextEquals({{key}}))
            {
                Next(ref r);
                index = {{matcher}}(ref r);
                tag = TagConsumed;
            }
            else
            {
                // The tag is not the first key: find it on a copy, then read the object from its start.
                r = start;
                SeekTag(ref start, {{key}});
                index = {{matcher}}(ref start);
                tag = TagPending;
            }

            """);
    }

    private void EmitParsers()
    {
        EmitParser("Event", _m.EventBase, "ReadEvent(ref r)", "an event");
        EmitParser("Effect", _m.EffectBase, "ReadEffect(ref r)", "an effect");
        EmitParser("Snapshot", _m.SnapshotType, $"Read_{_c.SnapshotId}(ref r, TagNone)", "a snapshot");
    }

    private void EmitParser(string what, string type, string read, string description)
    {
        W.Block($$"""
            /// <summary>
            /// Parses a whole JSON document holding {{description}}. Any problem, malformed JSON included, is a
            /// <see cref="{{WireFormatException}}"/> with its byte position and JSON path.
            /// </summary>
            public static {{type}} Parse{{what}}({{ByteSpan}} json)
            {
            """);
        EmitParseBody(read, "json");
    }

    /// <summary>The body of a <c>Parse*</c> method, its closing brace included.</summary>
    private void EmitParseBody(string read, string input)
    {
        // The reader is declared outside the try so that a catch can report the token it stopped on.
        // Utf8JsonReader throws InvalidOperationException when it unescapes or compares a string whose
        // \u escapes are not valid UTF-16 (an unpaired surrogate); such a string is malformed input.
        W.Block($$"""
                var r = new {{Utf8JsonReader}}({{input}});
                try
                {
                    CheckUtf8({{input}});
                    Start(ref r);
                    var value = {{read}};
                    Finish(ref r);
                    return value;
                }
                catch ({{WireFormatException}} ex)
                {
                    throw ex.Located({{input}});
                }
                catch ({{JsonException}} ex)
                {
                    throw Malformed(ex, {{input}});
                }
                catch ({{InvalidOperationException}}) when (r.TokenType is {{JsonTokenType}}.String or {{JsonTokenType}}.PropertyName)
                {
                    throw new {{WireFormatException}}("invalid string: a \\u escape is not valid UTF-16 (an unpaired surrogate)", r.TokenStartIndex).Located({{input}});
                }
            }

            """);
    }

    // ---------------------------------------------------------------- trace lines

    private void EmitTrace()
    {
        var state = _m.StateEnumTypeName;
        var head = $"{CompactJsonWriter} w, long step, {state} from, {state} to, {_m.EventBase} ev";
        var effects = $"global::System.ReadOnlySpan<{_m.EffectBase}> effects";
        var snapshot = _c.SnapshotId;
        var checks = _c.RecordId(_c.Checks);

        W.Block($$"""
            /// <summary>
            /// Writes one step line of a trace (TRACE-SCHEMA.md §3.1): <c>kind</c>, <c>step</c>, <c>from_state</c>,
            /// <c>to_state</c>, <c>event</c>, <c>before</c>, <c>before_checks</c>, <c>after</c>, <c>after_checks</c>, <c>effects</c>.
            /// </summary>
            public static void WriteTraceStep({{head}}, {{_m.SnapshotType}} before, {{_m.ChecksTypeName}} beforeChecks, {{_m.SnapshotType}} after, {{_m.ChecksTypeName}} afterChecks, {{effects}})
            {
            """);
        EmitTraceStepBody(
            $"Write_{snapshot}(w, before);",
            $"Write_{checks}(w, beforeChecks);",
            $"Write_{snapshot}(w, after);",
            $"Write_{checks}(w, afterChecks);");

        W.Block($$"""
            /// <summary>
            /// Writes one step line from snapshots and checks that are already encoded, so that each snapshot of a
            /// trace is encoded once (a step's <c>after</c> is the next step's <c>before</c>). They are copied as they
            /// are, without validation.
            /// </summary>
            public static void WriteTraceStep({{head}}, {{ByteSpan}} beforeJson, {{ByteSpan}} beforeChecksJson, {{ByteSpan}} afterJson, {{ByteSpan}} afterChecksJson, {{effects}})
            {
            """);
        EmitTraceStepBody(
            "w.Raw(beforeJson);",
            "w.Raw(beforeChecksJson);",
            "w.Raw(afterJson);",
            "w.Raw(afterChecksJson);");

        W.Block($$"""
            /// <summary>Writes the summary line closing a trace: <c>{"kind":"summary","seed":…,"events":…}</c>.</summary>
            public static void WriteTraceSummary({{CompactJsonWriter}} w, ulong seed, long events)
            {
                w.Raw("{\"kind\":\"summary\",\"seed\":"u8);
                w.Number(seed);
                w.Raw(",\"events\":"u8);
                w.Number(events);
                w.Raw("}"u8);
            }

            /// <summary>
            /// Parses one trace line: a <see cref="{{Runtime}}.TraceStep{TState, TEvent, TSnapshot, TChecks, TEffect}"/>
            /// (<c>"kind":"step"</c>) or a <see cref="{{TraceSummary}}"/> (<c>"kind":"summary"</c>).
            /// </summary>
            public static {{TraceLine}} ParseTraceLine({{ByteSpan}} line)
            {
            """);
        EmitParseBody("ReadTraceLine(ref r)", "line");

        W.Block($$"""
            /// <summary>Reads one trace line object; the reader is on its first token and is left on its last.</summary>
            public static {{TraceLine}} ReadTraceLine(ref {{Utf8JsonReader}} r)
            {
            """);
        W.Indent();
        EmitTaggedDispatchPrologue("kind", "MatchTraceKind");
        W.Unindent();
        W.Block($$"""
                return index == 0 ? Read_TraceStep(ref r, tag) : Read_TraceSummary(ref r, tag);
            }

            """);
        EmitNameMatcher("MatchTraceKind", new[] { "step", "summary" }, "line kind");

        EmitObjectReader(
            "Read_TraceStep",
            TraceStepType,
            "TraceStep",
            new List<ReaderMember>
            {
                new("step", "long", "ReadInt64(ref r)", false),
                new("from_state", state, "Read_State(ref r)", false),
                new("to_state", state, "Read_State(ref r)", false),
                new("event", _m.EventBase, "ReadEvent(ref r)", false),
                new("before", _m.SnapshotType, $"Read_{snapshot}(ref r, TagNone)", false),
                new("before_checks", _m.ChecksTypeName, $"Read_{checks}(ref r, TagNone)", false),
                new("after", _m.SnapshotType, $"Read_{snapshot}(ref r, TagNone)", false),
                new("after_checks", _m.ChecksTypeName, $"Read_{checks}(ref r, TagNone)", false),
                new("effects", _m.EffectBase + "[]", "Read_ArrayOfEffect(ref r)", false),
            },
            locals => $"new {TraceStepType}({string.Join(", ", locals)})",
            "kind");

        EmitObjectReader(
            "Read_TraceSummary",
            TraceSummary,
            "TraceSummary",
            new List<ReaderMember>
            {
                new("seed", "ulong", "ReadUInt64(ref r)", false),
                new("events", "long", "ReadInt64(ref r)", false),
            },
            locals => $"new {TraceSummary}({string.Join(", ", locals)})",
            "kind");
    }

    /// <summary>
    /// <c>TryReadCompactSnapshot</c>, for the strict compact reader of step lines (M.Trace.g.cs): the
    /// <c>after</c> of a line member by member against the <c>before</c>'s bytes. A member whose bytes are the
    /// before's is the before's value, which was read from those same bytes one step earlier (reading is a
    /// function of the bytes); any other member is read. Only a snapshot none of whose members may be omitted
    /// has a fixed member layout; for any other the method declines and the whole after is read.
    /// </summary>
    private void EmitCompactSnapshotReader()
    {
        var snapshot = _c.RecordsByType.TryGetValue(_m.SnapshotType, out var s) ? s : null;
        W.Block($$"""
            /// <summary>
            /// Reads the after snapshot at the cursor, in the compact form, reusing each member of <paramref name="before"/>
            /// whose bytes in <paramref name="beforeJson"/> (its encoding, in the same form) are the after's. False when the
            /// after or the before is not in that form member for member; the caller then puts the cursor back.
            /// </summary>
            private static bool TryReadCompactSnapshot(ref {{Runtime}}.CompactLine c, {{ByteSpan}} beforeJson, {{_m.SnapshotType}} before, out {{_m.SnapshotType}} after)
            {
                after = default!;
            """);
        W.Indent();
        if (snapshot is null || snapshot.Members.Count == 0 || snapshot.Members.Any(m => m.Type.Kind == WireKind.Nullable))
        {
            W.Line("// A member may be omitted (or there is none): no fixed layout to follow.");
            W.Line("return false;");
            W.Close();
            W.Line();
            return;
        }

        W.Block("""
            var b = 0;
            bool same;
            """);
        var locals = new List<string>();
        for (var i = 0; i < snapshot.Members.Count; i++)
        {
            var member = snapshot.Members[i];
            var local = "a" + i;
            locals.Add(local);
            W.Block($$"""

                if (!c.Member({{_c.Run(i == 0 ? "{" : ",", member.Key, ":")}}, beforeJson, ref b, out same))
                {
                    return false;
                }

                {{member.Type.TypeName}} {{local}};
                if (same)
                {
                    {{local}} = before.{{EmitContext.Escape(member.PropertyName)}};
                }
                else
                {
                    var r = c.Reader();
                    {{local}} = {{_c.ReadJson(member.Type)}};
                    c.Advance(r);
                }
                """);
        }

        var construct = $"new {snapshot.TypeName}({string.Join(", ", snapshot.Members.Select((m, i) => EmitContext.Escape(m.ParameterName) + ": " + locals[i]))})";
        W.Block($$"""

            if (b != beforeJson.Length - 1 || beforeJson[b] != (byte)'}' || !c.Literal("}"u8))
            {
                return false;
            }

            after = {{construct}};
            return true;
            """);
        W.Close();
        W.Line();
    }

    /// <summary>
    /// The body of a <c>WriteTraceStep</c>, its closing brace included; the four statements write the values
    /// of <c>before</c>, <c>before_checks</c>, <c>after</c> and <c>after_checks</c>.
    /// </summary>
    private void EmitTraceStepBody(string before, string beforeChecks, string after, string afterChecks)
    {
        W.Block($$"""
                w.Raw("{\"kind\":\"step\",\"step\":"u8);
                w.Number(step);
                w.Raw(",\"from_state\":"u8);
                w.Raw(Text_State(from));
                w.Raw(",\"to_state\":"u8);
                w.Raw(Text_State(to));
                w.Raw(",\"event\":"u8);
                WriteEvent(w, ev);
                w.Raw(",\"before\":"u8);
                {{before}}
                w.Raw(",\"before_checks\":"u8);
                {{beforeChecks}}
                w.Raw(",\"after\":"u8);
                {{after}}
                w.Raw(",\"after_checks\":"u8);
                {{afterChecks}}
                w.Raw(",\"effects\":["u8);
                foreach (var effect in effects)
                {
                    w.Separator();
                    WriteEffect(w, effect);
                }

                w.Raw("]}"u8);
            }

            """);
    }

    // ---------------------------------------------------------------- records

    private void EmitRecordWriter(RecordSpec record)
    {
        var id = _c.RecordId(record);
        W.Block($$"""
            private static void Write_{{id}}({{CompactJsonWriter}} w, {{record.TypeName}} value)
            {
                w.Raw("{"u8);
                WriteMembers_{{id}}(w, value);
                w.Raw("}"u8);
            }

            /// <summary>The members, each after a comma unless the object has nothing before it (a union case's tag comes first).</summary>
            private static void WriteMembers_{{id}}({{CompactJsonWriter}} w, {{record.TypeName}} value)
            {
            """);
        W.Indent();

        // Once a member that is never omitted has been written, every later key's comma is a constant.
        var written = false;
        for (var i = 0; i < record.Members.Count; i++)
        {
            var member = record.Members[i];
            var writeKey = written ? $"w.Raw({_c.Run(",", member.Key, ":")});" : $"w.Member({_c.Run("", member.Key, ":")});";
            _t.WriteJsonProperty(writeKey, "value." + EmitContext.Escape(member.PropertyName), member.Type, "v" + i);
            written |= member.Type.Kind != WireKind.Nullable;
        }

        W.TrimTrailingBlankLines();
        W.Close();
        W.Line();
    }

    private sealed record ReaderMember(string Key, string TypeName, string Read, bool Optional);

    private void EmitRecordReader(RecordSpec record)
    {
        var id = _c.RecordId(record);
        var members = record.Members.Select(m => new ReaderMember(m.Key, m.Type.TypeName, _c.ReadJson(m.Type), m.Type.Kind == WireKind.Nullable)).ToList();
        EmitObjectReader(
            "Read_" + id,
            record.TypeName,
            id,
            members,
            locals => $"new {record.TypeName}({string.Join(", ", record.Members.Select((m, i) => EmitContext.Escape(m.ParameterName) + ": " + locals[i]))})",
            "type");
    }

    /// <summary>
    /// A strict object reader: each key at most once, all required keys present, no unknown key;
    /// <paramref name="tagKey"/> is skipped when the object is read as a tagged case.
    /// </summary>
    private void EmitObjectReader(string name, string returnType, string id, List<ReaderMember> members, System.Func<string[], string> construct, string tagKey)
    {
        var keysTable = "Keys_" + id;
        _t.Fields.Add($"private static readonly byte[][] {keysTable} = [{string.Join(", ", members.Select(m => EmitContext.Utf8Literal(m.Key) + ".ToArray()"))}];");
        var locals = members.Select((_, i) => "a" + i).ToArray();
        ulong required = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (!members[i].Optional)
            {
                required |= 1UL << i;
            }
        }

        W.Block($$"""
            private static {{returnType}} {{name}}(ref {{Utf8JsonReader}} r, int tag)
            {
                StartObject(ref r, tag);
                var keys = new KeyReader({{keysTable}}, 0x{{required.ToString("X", CultureInfo.InvariantCulture)}}UL);
            """);
        W.Indent();
        for (var i = 0; i < members.Count; i++)
        {
            W.Line($"{members[i].TypeName} {locals[i]} = {(members[i].Optional ? "null" : "default!")};");
        }

        var tag = EmitContext.Utf8Literal(tagKey);
        if (members.Count == 0)
        {
            W.Open($"while (keys.NextKey(ref r, ref tag, {tag}) >= 0)");
        }
        else
        {
            W.Line("int key;");
            W.Open($"while ((key = keys.NextKey(ref r, ref tag, {tag})) >= 0)");
            W.Open("switch (key)");
            for (var i = 0; i < members.Count; i++)
            {
                W.Line($"case {i}: {locals[i]} = {members[i].Read}; break;");
            }

            W.Close();
        }

        W.Close();
        W.Line();
        W.Unindent();
        W.Block($$"""
                keys.EnsureComplete(ref r);
                return {{construct(locals)}};
            }

            """);
    }

    // ---------------------------------------------------------------- tags

    private void EmitUnionTagMatcher(string what, EquatableArray<CaseModel> cases, string description)
        => EmitNameMatcher($"Match{what}Tag", cases.Select(c => c.Tag), description);

    /// <summary>A method returning the index of the string token among <paramref name="names"/>, or reporting it.</summary>
    private void EmitNameMatcher(string method, IEnumerable<string> names, string description)
    {
        W.Open($"private static int {method}(ref {Utf8JsonReader} r)");
        W.Line("ExpectString(ref r);");
        var i = 0;
        foreach (var name in names)
        {
            W.Block($$"""
                if (TextEquals(ref r, {{EmitContext.Utf8Literal(name)}}))
                {
                    return {{i++}};
                }

                """);
        }

        W.Line($"throw UnknownName(ref r, {EmitContext.Literal(description)});");
        W.Close();
        W.Line();
    }
}
