using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Trace.g.cs</c>: the two fast readers of trace lines the tools need next to <c>ParseTraceLine</c>
/// (the one owner of the trace-line format): the header reader (kind, step, states and event, without
/// the snapshots) and the strict reader of exactly the compact form the writers produce.
/// </summary>
internal static class TraceEmitter
{
    public static string Emit(MachineModel m)
    {
        var w = new SourceWriter();
        MachineEmitter.BeginNamespace(w, m);
        w.Block($$"""
            partial class {{m.JsonName}}
            {
                /// <summary>
                /// The kind, step number, states and event of a trace line, read without reading its snapshots;
                /// for a summary line, its seed and count. False when anything is unexpected: the full
                /// <see cref="ParseTraceLine"/> then says precisely what is wrong.
                /// </summary>
                public static bool TryReadTraceHeader({{ByteSpan}} line, out {{Runtime}}.TraceHeader<{{m.StateEnumTypeName}}, {{m.EventBase}}> header)
                {
                    header = default;
                    try
                    {
                        var r = new {{Utf8JsonReader}}(line);
                        if (!r.Read() || r.TokenType != {{JsonTokenType}}.StartObject)
                        {
                            return false;
                        }

                        var isStep = false;
                        long step = -1;
                        {{m.StateEnumTypeName}} from = default;
                        {{m.StateEnumTypeName}} to = default;
                        var states = 0;
                        {{m.EventBase}}? ev = null;
                        while (r.Read() && r.TokenType == {{JsonTokenType}}.PropertyName)
                        {
                            if (r.ValueTextEquals("kind"u8))
                            {
                                r.Read();
                                if (r.ValueTextEquals("summary"u8) && ParseTraceLine(line) is {{TraceSummary}} summary)
                                {
                                    header = new(true, -1, default, default, default!, summary.Seed, summary.Events);
                                    return true;
                                }

                                if (!r.ValueTextEquals("step"u8))
                                {
                                    return false;
                                }

                                isStep = true;
                            }
                            else if (r.ValueTextEquals("step"u8))
                            {
                                if (!r.Read() || r.TokenType != {{JsonTokenType}}.Number || !r.TryGetInt64(out step) || step < 0)
                                {
                                    return false;
                                }
                            }
                            else if (r.ValueTextEquals("from_state"u8))
                            {
                                r.Read();
                                from = Read_State(ref r);
                                states |= 1;
                            }
                            else if (r.ValueTextEquals("to_state"u8))
                            {
                                r.Read();
                                to = Read_State(ref r);
                                states |= 2;
                            }
                            else if (r.ValueTextEquals("event"u8))
                            {
                                r.Read();
                                ev = ReadEvent(ref r);
                            }
                            else
                            {
                                r.Read();
                                r.Skip();
                            }

                            if (isStep && step >= 0 && states == 3 && ev is not null)
                            {
                                header = new(false, step, from, to, ev, 0, 0);
                                return true;
                            }
                        }
                    }
                    catch ({{Exception}} x) when (x is {{JsonException}} or {{WireFormatException}} or {{InvalidOperationException}})
                    {
                        // The full parse says what is wrong.
                    }

                    return false;
                }

                /// <summary>
                /// Reads a step line in exactly the compact form <c>WriteTraceStep</c>
                /// produces (TRACE-SCHEMA.md §2-3: keys in order, no whitespace) whose <c>before</c> is byte for byte
                /// <paramref name="beforeJson"/>, the encoding of <paramref name="before"/>; values go through the
                /// generated readers. An <c>after</c> identical to <paramref name="beforeJson"/> reads as <paramref name="before"/>
                /// (reading is a function of the bytes), and so does each member of it whose bytes are the before's
                /// (<c>TryReadCompactSnapshot</c>): <paramref name="before"/> must be what was read from <paramref name="beforeJson"/>.
                /// False, with <paramref name="problem"/>, for anything else.
                /// </summary>
                public static bool TryReadCompactStep(
                    {{ByteSpan}} line, {{ByteSpan}} beforeJson, {{m.SnapshotType}} before,
                    out {{Runtime}}.CompactStep<{{m.StateEnumTypeName}}, {{m.EventBase}}, {{m.EffectBase}}, {{m.SnapshotType}}, {{m.ChecksTypeName}}> step, out string problem)
                {
                    step = default;
                    var c = new {{Runtime}}.CompactLine(line);
                    try
                    {
                        if (!c.Literal("{\"kind\":\"step\",\"step\":"u8) || !c.Number(out var number)
                            || !c.Literal(",\"from_state\":"u8) || !CompactState(ref c, out var from)
                            || !c.Literal(",\"to_state\":"u8) || !CompactState(ref c, out var to)
                            || !c.Literal(",\"event\":"u8))
                        {
                            problem = c.Problem;
                            return false;
                        }

                        var r = c.Reader();
                        var ev = ReadEvent(ref r);
                        c.Advance(r);
                        if (!c.Literal(",\"before\":"u8) || !c.Literal(beforeJson) || !c.Literal(",\"before_checks\":"u8))
                        {
                            problem = c.Problem;
                            return false;
                        }

                        r = c.Reader();
                        var beforeChecks = ReadChecks(ref r);
                        c.Advance(r);
                        if (!c.Literal(",\"after\":"u8))
                        {
                            problem = c.Problem;
                            return false;
                        }

                        var afterStart = c.Position;
                        {{m.SnapshotType}} after;
                        if ({{MemoryExtensions}}.StartsWith(c.Rest, beforeJson) && {{MemoryExtensions}}.StartsWith(c.Rest[beforeJson.Length..], ",\"after_checks\":"u8))
                        {
                            after = before;
                            c.Skip(beforeJson.Length);
                        }
                        else if (!TryReadCompactSnapshot(ref c, beforeJson, before, out after))
                        {
                            c.Seek(afterStart);
                            r = c.Reader();
                            after = ReadSnapshot(ref r);
                            c.Advance(r);
                        }

                        var afterEnd = c.Position;
                        if (!c.Literal(",\"after_checks\":"u8))
                        {
                            problem = c.Problem;
                            return false;
                        }

                        r = c.Reader();
                        var afterChecks = ReadChecks(ref r);
                        c.Advance(r);
                        if (!c.Literal(",\"effects\":"u8))
                        {
                            problem = c.Problem;
                            return false;
                        }

                        r = c.Reader();
                        var effects = Read_ArrayOfEffect(ref r);
                        c.Advance(r);
                        if (!c.Literal("}"u8) || !c.End())
                        {
                            problem = c.Problem;
                            return false;
                        }

                        step = new(number, from, to, ev, beforeChecks, after, afterChecks, effects, afterStart, afterEnd);
                        problem = "";
                        return true;
                    }
                    catch ({{WireFormatException}} x)
                    {
                        problem = x.Problem;
                    }
                    catch ({{Exception}} x) when (x is {{JsonException}} or {{InvalidOperationException}})
                    {
                        problem = x.Message;
                    }

                    return false;
                }

                private static bool CompactState(ref {{Runtime}}.CompactLine c, out {{m.StateEnumTypeName}} state)
                {
                    state = default;
                    return c.Name(out var name) && ({{m.TypeName}}.TryParseState(name, out state) || c.UnknownName(name));
                }
            }
            """);
        return SourceWriter.Header() + "using static global::Peering.StateMachines.JsonWire;\n\n" + w;
    }
}
