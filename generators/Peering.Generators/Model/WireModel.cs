namespace Peering.Generators.Model;

/// <summary>How a member type is written on the wire.</summary>
internal enum WireKind
{
    Boolean,
    Int32,
    UInt32,
    Int64,
    UInt64,
    String,

    /// <summary><c>Nullable&lt;T&gt;</c> of a value type: the key is omitted when null.</summary>
    Nullable,

    /// <summary>The machine's generated state enum: its wire names.</summary>
    StateEnum,

    /// <summary>Any other enum: its member names.</summary>
    Enum,

    /// <summary>A record (or a class with one public constructor) written through its constructor.</summary>
    Record,

    /// <summary><c>T[]</c>.</summary>
    Array,

    /// <summary><c>ImmutableArray&lt;T&gt;</c>.</summary>
    ImmutableArray,

    /// <summary>A type with <c>[CollectionBuilder]</c>: a JSON array of its enumerated elements.</summary>
    Collection,

    /// <summary>The machine's event base: written with a leading <c>"type"</c> tag.</summary>
    EventUnion,

    /// <summary>The machine's effect base: written with a leading <c>"type"</c> tag.</summary>
    EffectUnion,

    /// <summary>A type the compilation does not know yet (the generated state enum, while parsing); resolved when the machine is assembled.</summary>
    Unresolved,

    /// <summary>An abstract type: only the machine's event or effect base is accepted; resolved when the machine is assembled.</summary>
    Abstract,
}

/// <summary>A member type as the serializers see it.</summary>
/// <param name="Kind">What kind of wire value.</param>
/// <param name="TypeName">The C# type as emitted (<c>int</c>, <c>global::NS.Frame</c>, ...); for <see cref="WireKind.Unresolved"/> the name as written.</param>
/// <param name="Element">The inner type of a nullable or the element type of a collection.</param>
/// <param name="EnumMembers">Member names of an enum, in declaration order.</param>
/// <param name="BuilderType">A collection's builder type.</param>
/// <param name="BuilderMethod">A collection's builder method.</param>
/// <param name="BuilderTypeArguments">Type arguments passed to a generic builder method (<c>&lt;int&gt;</c>), or empty.</param>
/// <param name="CountMember">A collection's <c>Count</c>/<c>Length</c> property, if it has one (used by the canonical encoding).</param>
/// <param name="SimpleName">A short name used to name the generated helpers.</param>
internal sealed record TypeRef(
    WireKind Kind,
    string TypeName,
    TypeRef? Element = null,
    EquatableArray<string> EnumMembers = default,
    string? BuilderType = null,
    string? BuilderMethod = null,
    string BuilderTypeArguments = "",
    string? CountMember = null,
    string SimpleName = "")
{
    public static TypeRef Primitive(WireKind kind, string typeName) => new(kind, typeName, SimpleName: kind.ToString());
}

/// <summary>One constructor parameter of a wire record, with its key and its property.</summary>
internal sealed record MemberSpec(string Key, string PropertyName, string ParameterName, TypeRef Type);

/// <summary>A wire record: written as an object of its members, read through its constructor.</summary>
internal sealed record RecordSpec(string TypeName, string SimpleName, bool IsValueType, EquatableArray<MemberSpec> Members);

/// <summary>A use of a type that can only be resolved knowing the machine (its state enum, its event/effect bases).</summary>
internal sealed record PendingType(string TypeName, string MemberPath, LocationInfo? Location);

/// <summary>A root type with every wire record reachable from it, and what went wrong reading them.</summary>
internal sealed record WireGraph(
    TypeRef Root,
    EquatableArray<RecordSpec> Records,
    EquatableArray<PendingType> Pending,
    EquatableArray<DiagnosticInfo> Diagnostics);
