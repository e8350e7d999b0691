using System;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// Everything the emitters write for one <see cref="WireKind"/>: the name of its helpers, its JSON write and
/// read, its canonical encoding, and the helper methods it needs. One class per kind; adding a kind means
/// adding a class and a line in <see cref="For"/>.
/// </summary>
/// <remarks>
/// Written code uses the locals of the generated methods: <c>w</c> (the <c>CompactJsonWriter</c> or the
/// <c>CanonicalWriter</c>) and <c>r</c> (the reader).
/// <c>local</c> names a fresh local for a pattern variable (nullables), unique within the method.
/// </remarks>
internal abstract class WireKindEmitter
{
    /// <summary>The one switch over <see cref="WireKind"/>.</summary>
    public static WireKindEmitter For(TypeRef type) => type.Kind switch
    {
        WireKind.Boolean => ScalarKind.Boolean,
        WireKind.Int32 => ScalarKind.Int32,
        WireKind.UInt32 => ScalarKind.UInt32,
        WireKind.Int64 => ScalarKind.Int64,
        WireKind.UInt64 => ScalarKind.UInt64,
        WireKind.String => ScalarKind.String,
        WireKind.StateEnum => EnumKind.State,
        WireKind.Enum => EnumKind.Declared,
        WireKind.Nullable => NullableKind.Instance,
        WireKind.Record => RecordKind.Instance,
        WireKind.Array => ArrayKind.Array,
        WireKind.ImmutableArray => ArrayKind.ImmutableArray,
        WireKind.Collection => BuilderCollectionKind.Instance,
        WireKind.EventUnion => UnionKind.Event,
        WireKind.EffectUnion => UnionKind.Effect,

        // The assembler resolves these or reports the member; a model that still holds one is never emitted.
        _ => throw new InvalidOperationException("A wire type of kind " + type.Kind + " reached an emitter: " + type.TypeName),
    };

    /// <summary>The identifier naming this type's helpers (<c>Write_{Id}</c>, <c>Read_{Id}</c>, <c>Canonical_{Id}</c>).</summary>
    public abstract string Id(TypeRef type, EmitContext context);

    /// <summary>
    /// Writes <paramref name="expr"/> as a property: the statement <paramref name="writeKey"/> (its key run,
    /// with the comma before it), then the value. A kind whose property may be omitted overrides this.
    /// </summary>
    public virtual void WriteJsonProperty(EmitTarget target, string writeKey, string expr, TypeRef type, string local)
    {
        target.Writer.Line(writeKey);
        WriteJsonValue(target, expr, type, local);
    }

    /// <summary>Writes <paramref name="expr"/> as a JSON value.</summary>
    public abstract void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local);

    /// <summary>An expression reading a value of this type; the reader is on its first token.</summary>
    public abstract string ReadJson(TypeRef type, EmitContext context);

    /// <summary>The JSON helpers this type needs (each once), its elements' included.</summary>
    public virtual void EmitJsonHelpers(EmitTarget target, TypeRef type)
    {
    }

    /// <summary>Writes the canonical encoding of <paramref name="expr"/>.</summary>
    public abstract void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local);

    /// <summary>The canonical helpers this type needs (each once), its elements' included.</summary>
    public virtual void EmitCanonicalHelpers(EmitTarget target, TypeRef type)
    {
    }
}

/// <summary>Entry points that pick a type's <see cref="WireKindEmitter"/>.</summary>
internal static class Wire
{
    public static string Id(this EmitContext context, TypeRef type) => WireKindEmitter.For(type).Id(type, context);

    public static void WriteJsonProperty(this EmitTarget target, string writeKey, string expr, TypeRef type, string local)
        => WireKindEmitter.For(type).WriteJsonProperty(target, writeKey, expr, type, local);

    public static void WriteJsonValue(this EmitTarget target, string expr, TypeRef type, string local)
        => WireKindEmitter.For(type).WriteJsonValue(target, expr, type, local);

    public static string ReadJson(this EmitContext context, TypeRef type) => WireKindEmitter.For(type).ReadJson(type, context);

    public static void EmitJsonHelpers(this EmitTarget target, TypeRef type) => WireKindEmitter.For(type).EmitJsonHelpers(target, type);

    public static void WriteCanonical(this EmitTarget target, string expr, TypeRef type, string local)
        => WireKindEmitter.For(type).WriteCanonical(target, expr, type, local);

    public static void EmitCanonicalHelpers(this EmitTarget target, TypeRef type) => WireKindEmitter.For(type).EmitCanonicalHelpers(target, type);
}
