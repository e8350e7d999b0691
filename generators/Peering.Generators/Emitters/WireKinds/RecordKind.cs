using Peering.Generators.Model;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// A wire record: an object of its members in JSON, its members in order canonically. Its helpers
/// (<c>Write_</c>, <c>WriteMembers_</c>, <c>Read_</c>, <c>Canonical_</c>) are emitted once per record by the
/// emitters, which walk the machine's records; a member of record type only calls them.
/// </summary>
internal sealed class RecordKind : WireKindEmitter
{
    public static readonly RecordKind Instance = new();

    public override string Id(TypeRef type, EmitContext context) => context.NamedId(type);

    public override void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"Write_{Id(type, target.Context)}(w, {expr});");

    // TagNone: a member's object is never a tagged case, so its "type" key is an ordinary (unknown) key.
    public override string ReadJson(TypeRef type, EmitContext context) => $"Read_{Id(type, context)}(ref r, TagNone)";

    public override void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"Canonical_{Id(type, target.Context)}(w, {expr});");
}
