namespace Peering.StateMachines;

/// <summary>
/// Overrides the JSON key of a constructor parameter (or its property). The default key is the
/// parameter name in snake_case (<c>CommittedSeq</c> becomes <c>committed_seq</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public sealed class WireNameAttribute : Attribute
{
    /// <param name="name">The JSON key.</param>
    public WireNameAttribute(string name) => Name = name;

    /// <summary>The JSON key.</summary>
    public string Name { get; }
}

/// <summary>
/// Excludes a constructor parameter (which must have a default value) from the wire format: it is
/// never written, and readers pass its default.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class WireIgnoreAttribute : Attribute { }
