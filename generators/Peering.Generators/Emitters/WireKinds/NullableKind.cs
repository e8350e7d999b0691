using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// <c>T?</c> of a value type: in JSON its key is omitted when null (a null value where no key can be omitted,
/// as an array element); canonically a presence byte, then the value.
/// </summary>
internal sealed class NullableKind : WireKindEmitter
{
    public static readonly NullableKind Instance = new();

    public override string Id(TypeRef type, EmitContext context) => "Nullable" + context.Id(type.Element!);

    public override void WriteJsonProperty(EmitTarget target, string writeKey, string expr, TypeRef type, string local)
    {
        var w = target.Writer;
        w.Open($"if ({expr} is {{ }} {local})");
        target.WriteJsonProperty(writeKey, local, type.Element!, local + "_");
        w.Close();
        w.Line();
    }

    public override void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local)
    {
        var w = target.Writer;
        w.Open($"if ({expr} is {{ }} {local})");
        target.WriteJsonValue(local, type.Element!, local + "_");
        w.Close();
        w.Block("""
            else
            {
                w.Null();
            }
            """);
    }

    public override string ReadJson(TypeRef type, EmitContext context) => $"Read_{Id(type, context)}(ref r)";

    public override void EmitJsonHelpers(EmitTarget target, TypeRef type)
    {
        var id = Id(type, target.Context);
        if (target.FirstUse(id))
        {
            target.Writer.Block($$"""
                private static {{type.TypeName}} Read_{{id}}(ref {{Utf8JsonReader}} r) => r.TokenType == {{JsonTokenType}}.Null ? null : {{target.Context.ReadJson(type.Element!)}};

                """);
        }

        target.EmitJsonHelpers(type.Element!);
    }

    public override void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local)
    {
        var w = target.Writer;
        w.Open($"if ({expr} is {{ }} {local})");
        w.Line("w.WriteBoolean(true);");
        target.WriteCanonical(local, type.Element!, local + "_");
        w.Close();
        w.Block("""
            else
            {
                w.WriteBoolean(false);
            }
            """);
    }

    public override void EmitCanonicalHelpers(EmitTarget target, TypeRef type) => target.EmitCanonicalHelpers(type.Element!);
}
