using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Peering.Generators.Diagnostics;
using Peering.Generators.Model;

namespace Peering.Generators.Parsing;

/// <summary>Reads a <c>[StateMachine]</c> class: its states, handlers, procedures, transition method, snapshot.</summary>
internal static class MachineParser
{
    public static MachineDecl Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var attribute = context.Attributes[0];
        var diagnostics = new List<DiagnosticInfo>();
        var location = LocationInfo.From(((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation());

        if (!context.TargetNode.IsPartial())
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial.Id, location, type.Name, "a [StateMachine] class must be declared partial"));
        }

        if (type.ContainingType is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial.Id, location, type.Name, "a [StateMachine] class must be a top-level class in a namespace"));
        }
        else if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial.Id, location, type.Name, "a [StateMachine] class must not be generic"));
        }

        var args = attribute.ConstructorArguments;
        var eventSymbol = args.Length > 0 ? args[0].Value as ITypeSymbol : null;
        var eventBase = eventSymbol?.FullName() ?? "";
        var effectBase = args.Length > 1 && args[1].Value is ITypeSymbol f ? f.FullName() : "";
        var snapshotSymbol = args.Length > 2 ? args[2].Value as ITypeSymbol : null;
        var stateEnumName = type.Name + "State";
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "StateTypeName" && named.Value.Value is string s && s.Length > 0)
            {
                stateEnumName = s;
            }
        }

        var states = new List<StateDecl>();
        var handlers = new List<HandlerDecl>();
        var procedures = new List<ProcedureDecl>();
        var transitions = new List<IMethodSymbol>();
        string? snapshotFactory = null;

        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (member)
            {
                case INamedTypeSymbol nested when nested.Find("StateAttribute") is { } stateAttribute:
                    states.Add(ParseState(nested, stateAttribute, diagnostics, cancellationToken));
                    break;
                case IMethodSymbol method:
                    ParseMethod(method, type, stateEnumName, snapshotSymbol, handlers, procedures, transitions, ref snapshotFactory, diagnostics, cancellationToken);
                    break;
            }
        }

        if (transitions.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadTransitionMethod.Id, location, type.Name, "it has no [Transition] method"));
        }

        for (var i = 0; i < transitions.Count; i++)
        {
            var method = transitions[i];
            var methodLocation = LocationInfo.From(method.Locations.FirstOrDefault());
            if (i > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadTransitionMethod.Id, methodLocation, type.Name, "it has more than one [Transition] method ('" + transitions[0].Name + "' and '" + method.Name + "')"));
            }

            if (!method.Parameters.Any(p => p.Type.Name == stateEnumName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadTransitionMethod.Id, methodLocation, type.Name, "the [Transition] method '" + method.Name + "' has no parameter of the state type '" + stateEnumName + "'"));
            }
        }

        var snapshot = snapshotSymbol is null ? null : WireTypeParser.ParseRoot(snapshotSymbol, location, cancellationToken);
        var step = StepParser.Parse(type, snapshotSymbol, eventSymbol, diagnostics);

        return new MachineDecl(
            type.NamespaceName(),
            type.Name,
            type.FullName(),
            type.DeclaredAccessibility == Accessibility.Public,
            stateEnumName,
            eventBase,
            effectBase,
            snapshotSymbol?.FullName() ?? "",
            states.ToEquatableArray(),
            handlers.ToEquatableArray(),
            procedures.ToEquatableArray(),
            snapshotFactory,
            snapshot,
            step,
            location,
            diagnostics.ToEquatableArray());
    }

    private static StateDecl ParseState(INamedTypeSymbol state, AttributeData stateAttribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = LocationInfo.From(state.Locations.FirstOrDefault());
        if (!state.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken).IsPartial()))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial.Id, location, state.Name, "a [State] class must be declared partial"));
        }

        var handles = new List<HandlesDecl>();
        var ignores = new List<TypeUse>();
        var continues = new List<TypeUse>();
        foreach (var attribute in state.GetAttributes())
        {
            if (attribute.Is("HandlesAttribute") && attribute.ConstructorArguments.Length == 2)
            {
                var uses = TypeUses(attribute, cancellationToken);
                if (uses.Count > 0)
                {
                    handles.Add(new HandlesDecl(uses[0], uses.Skip(1).ToEquatableArray(), LocationInfo.From(attribute.ApplicationSyntaxReference, cancellationToken)));
                }
            }
            else if (attribute.Is("IgnoresAttribute"))
            {
                ignores.AddRange(TypeUses(attribute, cancellationToken));
            }
            else if (attribute.Is("ContinuesAttribute"))
            {
                continues.AddRange(TypeUses(attribute, cancellationToken));
            }
        }

        return new StateDecl(
            state.Name,
            state.FullName(),
            stateAttribute.FirstStringArgument() ?? state.Name,
            handles.ToEquatableArray(),
            ignores.ToEquatableArray(),
            continues.ToEquatableArray(),
            location);
    }

    private static void ParseMethod(
        IMethodSymbol method,
        INamedTypeSymbol machine,
        string stateEnumName,
        ITypeSymbol? snapshot,
        List<HandlerDecl> handlers,
        List<ProcedureDecl> procedures,
        List<IMethodSymbol> transitions,
        ref string? snapshotFactory,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var location = LocationInfo.From(method.Locations.FirstOrDefault());
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.Is("HandlerAttribute"))
            {
                if (method.IsStatic || method.Parameters.Length != 1 || method.Parameters[0].RefKind != RefKind.None || method.IsGenericMethod)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadHandler.Id, location, method.Name, "a handler must be an instance method with exactly one parameter, the event"));
                    handlers.Add(new HandlerDecl(method.Name, null, location));
                }
                else
                {
                    handlers.Add(new HandlerDecl(method.Name, method.Parameters[0].Type.FullName(), location));
                }
            }
            else if (attribute.Is("ProcedureAttribute"))
            {
                procedures.Add(new ProcedureDecl(method.Name, TypeUses(attribute, cancellationToken).ToEquatableArray(), location));
            }
            else if (attribute.Is("TransitionAttribute"))
            {
                transitions.Add(method);
            }
            else if (attribute.Is("SnapshotFactoryAttribute"))
            {
                var valid = !method.IsStatic && method.Parameters.Length == 0 && !method.IsGenericMethod
                    && snapshot is not null && SymbolEqualityComparer.Default.Equals(method.ReturnType.OriginalDefinition, snapshot.OriginalDefinition);
                if (!valid)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadPredicate.Id, location, method.Name, "a [SnapshotFactory] must be a parameterless instance method returning '" + (snapshot?.Name ?? "the snapshot") + "'"));
                }
                else if (snapshotFactory is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadPredicate.Id, location, method.Name, "machine '" + machine.Name + "' already has the [SnapshotFactory] '" + snapshotFactory + "'"));
                }
                else
                {
                    snapshotFactory = method.Name;
                }
            }
        }
    }

    /// <summary>
    /// The types named by an attribute's arguments, in order, each located at its own argument when
    /// the arguments are written out (the usual <c>params</c> form), else at the attribute.
    /// </summary>
    private static List<TypeUse> TypeUses(AttributeData attribute, CancellationToken cancellationToken)
    {
        var types = new List<ITypeSymbol?>();
        foreach (var argument in attribute.ConstructorArguments)
        {
            types.AddRange(argument.TypeArguments());
        }

        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var attributeLocation = syntax is null ? null : LocationInfo.From(syntax.GetLocation());
        var arguments = syntax?.ArgumentList?.Arguments;
        var uses = new List<TypeUse>(types.Count);
        for (var i = 0; i < types.Count; i++)
        {
            var location = arguments is { } list && list.Count == types.Count ? LocationInfo.From(list[i].GetLocation()) : attributeLocation;
            var type = types[i];
            uses.Add(new TypeUse(type?.FullName() ?? "", type?.Name ?? "?", location));
        }

        return uses;
    }
}
