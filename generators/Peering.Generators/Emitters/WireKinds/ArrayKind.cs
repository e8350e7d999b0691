using Peering.Generators.Model;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary><c>T[]</c> and <c>ImmutableArray&lt;T&gt;</c>: built straight from the pooled list, counted by <c>Length</c>.</summary>
internal sealed class ArrayKind : SequenceKind
{
    public static readonly ArrayKind Array = new("ArrayOf", "ToArrayAndFree");
    public static readonly ArrayKind ImmutableArray = new("ImmutableArrayOf", "ToImmutableArrayAndFree");

    private readonly string _prefix;
    private readonly string _finish;

    private ArrayKind(string prefix, string finish)
    {
        _prefix = prefix;
        _finish = finish;
    }

    public override string Id(TypeRef type, EmitContext context) => _prefix + context.Id(type.Element!);

    protected override string? Count(TypeRef type) => "Length";

    protected override void EmitFinish(SourceWriter w, TypeRef type) => w.Line($"return items.{_finish}();");
}
