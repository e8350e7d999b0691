using Microsoft.CodeAnalysis;

namespace Peering.Analyzers.Model;

/// <summary>The declaration attribute types of Peering.StateMachines, resolved once per compilation.</summary>
internal sealed class KnownTypes
{
    private KnownTypes(
        INamedTypeSymbol stateMachine,
        INamedTypeSymbol? state,
        INamedTypeSymbol? handles,
        INamedTypeSymbol? ignores,
        INamedTypeSymbol? continues,
        INamedTypeSymbol? handler,
        INamedTypeSymbol? procedure,
        INamedTypeSymbol? transition,
        INamedTypeSymbol? restore)
    {
        StateMachine = stateMachine;
        State = state;
        Handles = handles;
        Ignores = ignores;
        Continues = continues;
        Handler = handler;
        Procedure = procedure;
        Transition = transition;
        Restore = restore;
    }

    public INamedTypeSymbol StateMachine { get; }

    public INamedTypeSymbol? State { get; }

    public INamedTypeSymbol? Handles { get; }

    public INamedTypeSymbol? Ignores { get; }

    public INamedTypeSymbol? Continues { get; }

    public INamedTypeSymbol? Handler { get; }

    public INamedTypeSymbol? Procedure { get; }

    public INamedTypeSymbol? Transition { get; }

    public INamedTypeSymbol? Restore { get; }

    /// <summary>Null when the compilation does not reference the attribute library.</summary>
    public static KnownTypes? Create(Compilation compilation)
    {
        var stateMachine = compilation.GetTypeByMetadataName("Peering.StateMachines.StateMachineAttribute");
        if (stateMachine is null)
        {
            return null;
        }

        return new KnownTypes(
            stateMachine,
            compilation.GetTypeByMetadataName("Peering.StateMachines.StateAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.HandlesAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.IgnoresAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.ContinuesAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.HandlerAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.ProcedureAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.TransitionAttribute"),
            compilation.GetTypeByMetadataName("Peering.StateMachines.RestoreAttribute"));
    }

    public static bool Is(INamedTypeSymbol? attributeClass, INamedTypeSymbol? expected) =>
        attributeClass is not null && expected is not null
        && SymbolEqualityComparer.Default.Equals(attributeClass.OriginalDefinition, expected);

    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (var a in symbol.GetAttributes())
        {
            if (Is(a.AttributeClass, attribute))
            {
                return a;
            }
        }

        return null;
    }

    public static bool Has(ISymbol symbol, INamedTypeSymbol? attribute) => Find(symbol, attribute) is not null;

    public bool IsMachine(INamedTypeSymbol? type) => type is not null && Has(type.OriginalDefinition, StateMachine);

    /// <summary>The method identity used everywhere: the original definition, and for a partial method its definition part.</summary>
    public static IMethodSymbol Normalize(IMethodSymbol method)
    {
        var m = method.OriginalDefinition;
        if (m.PartialDefinitionPart is { } definition)
        {
            m = definition;
        }

        return m;
    }
}
