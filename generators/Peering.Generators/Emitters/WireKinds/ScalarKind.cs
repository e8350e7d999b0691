using Peering.Generators.Model;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// <c>bool</c>, the integers and <c>string</c>: one <c>CompactJsonWriter</c> call each way, read by the runtime's
/// <c>Read{Kind}</c> (JsonWire), canonical through one <c>CanonicalWriter</c> call.
/// </summary>
internal sealed class ScalarKind : WireKindEmitter
{
    public static readonly ScalarKind Boolean = new(WireKind.Boolean, "Boolean", "WriteBoolean");
    public static readonly ScalarKind Int32 = new(WireKind.Int32, "Number", "WriteInt64");
    public static readonly ScalarKind UInt32 = new(WireKind.UInt32, "Number", "WriteUInt64");
    public static readonly ScalarKind Int64 = new(WireKind.Int64, "Number", "WriteInt64");
    public static readonly ScalarKind UInt64 = new(WireKind.UInt64, "Number", "WriteUInt64");
    public static readonly ScalarKind String = new(WireKind.String, "String", "WriteString");

    private readonly string _name;
    private readonly string _json;
    private readonly string _canonical;

    /// <param name="json">The <c>CompactJsonWriter</c> method.</param>
    /// <param name="canonical">The <c>CanonicalWriter</c> method (signed integers zig-zag, unsigned plain).</param>
    private ScalarKind(WireKind kind, string json, string canonical)
    {
        _name = kind.ToString();
        _json = json;
        _canonical = canonical;
    }

    public override string Id(TypeRef type, EmitContext context) => _name;

    public override void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"w.{_json}({expr});");

    public override string ReadJson(TypeRef type, EmitContext context) => $"Read{_name}(ref r)";

    public override void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"w.{_canonical}({expr});");
}
