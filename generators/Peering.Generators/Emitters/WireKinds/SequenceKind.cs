using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// What every sequence shares: a JSON array of its elements, read into a pooled <c>ListBuilder</c>; canonically
/// its count then its elements, or, without a count, a presence flag before each element and a final false.
/// A kind says only how the read ends (<see cref="EmitFinish"/>) and what counts it (<see cref="Count"/>).
/// </summary>
internal abstract class SequenceKind : WireKindEmitter
{
    public override void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"Write_{Id(type, target.Context)}(w, {expr});");

    public override string ReadJson(TypeRef type, EmitContext context) => $"Read_{Id(type, context)}(ref r)";

    public override void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"Canonical_{Id(type, target.Context)}(w, {expr});");

    /// <summary>The member counting the elements, or null when the type has none.</summary>
    protected abstract string? Count(TypeRef type);

    /// <summary>Whether the read keeps the array's start position (for an error of the builder).</summary>
    protected virtual bool KeepsStart => false;

    /// <summary>Writes the end of <c>Read_</c>: turns <c>items</c> into the value and returns it.</summary>
    protected abstract void EmitFinish(SourceWriter w, TypeRef type);

    public override void EmitJsonHelpers(EmitTarget target, TypeRef type)
    {
        var id = Id(type, target.Context);
        var element = type.Element!;
        if (target.FirstUse(id))
        {
            var w = target.Writer;
            w.Block($$"""
                private static void Write_{{id}}({{CompactJsonWriter}} w, {{type.TypeName}} value)
                {
                    w.Raw("["u8);
                    foreach (var item in value)
                    {
                        w.Separator();
                """);
            w.Indent().Indent();
            target.WriteJsonValue("item", element, "present");
            w.Unindent().Unindent();
            w.Block($$"""
                    }

                    w.Raw("]"u8);
                }

                private static {{type.TypeName}} Read_{{id}}(ref {{Utf8JsonReader}} r)
                {
                    ExpectStartArray(ref r);
                """);
            w.Indent();
            if (KeepsStart)
            {
                w.Line("var start = r.TokenStartIndex;");
            }

            w.Block($$"""
                var items = new ListBuilder<{{element.TypeName}}>();
                while (true)
                {
                    Next(ref r);
                    if (r.TokenType == {{JsonTokenType}}.EndArray)
                    {
                        break;
                    }

                    items.Add({{target.Context.ReadJson(element)}});
                }

                """);
            EmitFinish(w, type);
            w.Close();
            w.Line();
        }

        target.EmitJsonHelpers(element);
    }

    public override void EmitCanonicalHelpers(EmitTarget target, TypeRef type)
    {
        var id = Id(type, target.Context);
        var element = type.Element!;
        if (target.FirstUse(id))
        {
            var w = target.Writer;
            w.Open($"private static void Canonical_{id}({CanonicalWriter} w, {type.TypeName} value)");
            if (Count(type) is { } count)
            {
                w.Line($"w.WriteUInt64((ulong)value.{count});");
                w.Open("foreach (var item in value)");
                target.WriteCanonical("item", element, "present");
                w.Close();
            }
            else
            {
                w.Open("foreach (var item in value)");
                w.Line("w.WriteBoolean(true);");
                target.WriteCanonical("item", element, "present");
                w.Close();
                w.Line().Line("w.WriteBoolean(false);");
            }

            w.Close();
            w.Line();
        }

        target.EmitCanonicalHelpers(element);
    }
}
