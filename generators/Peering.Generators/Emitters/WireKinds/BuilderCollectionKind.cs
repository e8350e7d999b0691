using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// A type with <c>[CollectionBuilder]</c>: read through its builder method, which may reject the elements (a
/// sorted set given duplicates); counted by its <c>Count</c> or <c>Length</c> if it has one.
/// </summary>
internal sealed class BuilderCollectionKind : SequenceKind
{
    public static readonly BuilderCollectionKind Instance = new();

    public override string Id(TypeRef type, EmitContext context) => context.NamedId(type);

    protected override string? Count(TypeRef type) => type.CountMember;

    protected override bool KeepsStart => true;

    protected override void EmitFinish(SourceWriter w, TypeRef type)
    {
        // A generic collection's helper name (SortedArrayOfInt32And...) says nothing to a user: the path says where.
        var what = type.TypeName.IndexOf('<') >= 0 ? "array" : type.SimpleName;
        w.Block($$"""
            try
            {
                return {{type.BuilderType}}.{{type.BuilderMethod}}{{type.BuilderTypeArguments}}(items.AsSpan());
            }
            catch ({{ArgumentException}} ex)
            {
                throw new {{WireFormatException}}("invalid {{what}}: " + ex.Message, start);
            }
            finally
            {
                items.Free();
            }
            """);
    }
}
