using System.Collections.Generic;
using System.Linq;
using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// An enum: in JSON the name of its member (the machine's state enum: the state's wire name), through
/// <c>Text_{Id}</c> (its quoted name as UTF-8) and <c>Read_{Id}</c>; canonically its value.
/// </summary>
internal sealed class EnumKind : WireKindEmitter
{
    /// <summary>The machine's state enum; its helpers come from the states (<see cref="EmitStateJsonHelpers"/>).</summary>
    public static readonly EnumKind State = new(isState: true);

    /// <summary>Any other enum; its helpers come from its members.</summary>
    public static readonly EnumKind Declared = new(isState: false);

    private readonly bool _isState;

    private EnumKind(bool isState) => _isState = isState;

    public override string Id(TypeRef type, EmitContext context) => _isState ? "State" : context.NamedId(type);

    public override void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"w.Raw(Text_{Id(type, target.Context)}({expr}));");

    public override string ReadJson(TypeRef type, EmitContext context) => $"Read_{Id(type, context)}(ref r)";

    public override void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"w.WriteInt64((long){expr});");

    public override void EmitJsonHelpers(EmitTarget target, TypeRef type)
    {
        var id = Id(type, target.Context);
        if (_isState || !target.FirstUse(id))
        {
            return;
        }

        var w = target.Writer;
        EmitTextSwitch(w, id, type.TypeName, type.EnumMembers.Select(m => (EmitContext.Escape(m), target.Context.Run("", m, ""))), $"a declared member of {type.SimpleName}");
        w.Block($$"""
            private static {{type.TypeName}} Read_{{id}}(ref {{Utf8JsonReader}} r)
            {
                ExpectString(ref r);
            """);
        w.Indent();
        foreach (var member in type.EnumMembers)
        {
            w.Block($$"""
                if (r.ValueTextEquals({{EmitContext.Utf8Literal(member)}}))
                {
                    return {{type.TypeName}}.{{EmitContext.Escape(member)}};
                }

                """);
        }

        w.Line($"throw UnknownName(ref r, {EmitContext.Literal(type.SimpleName)});");
        w.Close();
        w.Line();
    }

    /// <summary><c>Text_State</c> and <c>Read_State</c>: every trace line names states, so these are always emitted.</summary>
    public static void EmitStateJsonHelpers(EmitTarget target)
    {
        var m = target.Context.Model;
        var w = target.Writer;
        EmitTextSwitch(w, "State", m.StateEnumTypeName, m.States.Select(s => (s.Name, target.Context.Run("", s.WireName, ""))), "a declared state");
        w.Block($$"""
            private static {{m.StateEnumTypeName}} Read_State(ref {{Utf8JsonReader}} r)
            {
                ExpectString(ref r);
                {{ByteSpan}} name = r.HasValueSequence || r.ValueIsEscaped
                    ? global::System.Text.Encoding.UTF8.GetBytes(r.GetString()!)
                    : r.ValueSpan;
                if ({{m.TypeName}}.TryParseState(name, out var state))
                {
                    return state;
                }

                throw UnknownName(ref r, "state");
            }

            """);
    }

    /// <summary><c>Text_{id}</c>: each member's name as a quoted JSON string (<paramref name="arms"/>: member, run).</summary>
    private static void EmitTextSwitch(SourceWriter w, string id, string enumType, IEnumerable<(string Member, string Run)> arms, string notDeclared)
    {
        w.Line($"private static {ByteSpan} Text_{id}({enumType} value) => value switch");
        w.Line("{");
        w.Indent();
        foreach (var (member, run) in arms)
        {
            w.Line($"{enumType}.{member} => {run},");
        }

        w.Line($"_ => throw new {ArgumentOutOfRangeException}(nameof(value), value, \"Not {notDeclared}.\"),");
        w.Unindent();
        w.Line("};");
        w.Line();
    }
}
