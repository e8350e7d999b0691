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
        if (eventSymbol is INamedTypeSymbol eventBaseType)
        {
            CheckEventBase(eventBaseType, type, context.SemanticModel.Compilation, location, diagnostics, cancellationToken);
        }

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
                case INamedTypeSymbol nested:
                    ReportIneffective(nested, ["HandlesAttribute", "IgnoresAttribute", "ContinuesAttribute"], "is not a [State]: its [{0}] has no effect; mark the class [State] or remove the attribute", diagnostics, cancellationToken);
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

            foreach (var problem in TransitionProblems(method, stateEnumName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadTransitionMethod.Id, methodLocation, type.Name, problem));
            }
        }

        // [Handles] and [Ignores] on the machine are defaults for every state; a machine-wide [Continues] is not a thing.
        ReportIneffective(type, ["ContinuesAttribute"], "[{0}] on the machine class has no effect; put it on the state that a step passes through", diagnostics, cancellationToken);
        var (defaultHandles, defaultIgnores) = ParseDecisions(type, cancellationToken);
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
            defaultHandles.ToEquatableArray(),
            defaultIgnores.ToEquatableArray(),
            handlers.ToEquatableArray(),
            procedures.ToEquatableArray(),
            snapshotFactory,
            snapshot,
            step,
            location,
            diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// The transition method's rule, the same as the analyzer's (which finds the target by symbol):
    /// an instance method with exactly one parameter of the generated state enum, passed by value.
    /// The enum does not exist yet while the generator runs, so a parameter of that name that
    /// resolves to some type is not it.
    /// </summary>
    private static IEnumerable<string> TransitionProblems(IMethodSymbol method, string stateEnumName)
    {
        var name = "the [Transition] method '" + method.Name + "'";
        if (method.IsStatic)
        {
            yield return name + " is static; it must be an instance method";
        }

        var named = method.Parameters.Where(p => p.Type.Name == stateEnumName).ToList();
        var generated = named.Where(p => p.Type.TypeKind == TypeKind.Error).ToList();
        foreach (var p in named.Except(generated))
        {
            yield return name + " has the parameter '" + p.Name + "' of type '" + p.Type.ToDisplayString() + "', which is not the generated state type '" + stateEnumName + "'";
        }

        if (named.Count == 0)
        {
            yield return name + " has no parameter of the state type '" + stateEnumName + "'";
        }
        else if (generated.Count > 1)
        {
            yield return name + " has more than one parameter of the state type '" + stateEnumName + "'";
        }
        else if (generated.Count == 1 && generated[0].RefKind != RefKind.None)
        {
            yield return name + " takes its target '" + generated[0].Name + "' by reference; it must be passed by value";
        }
    }

    /// <summary>
    /// PSM012 for types Dispatch accepts without a decision that no source scan sees: a concrete
    /// event base, and concrete subtypes of an event base from a referenced assembly (the
    /// compilation's own subtypes are matched in <see cref="MachineAssembler"/>).
    /// </summary>
    private static void CheckEventBase(INamedTypeSymbol eventBase, INamedTypeSymbol machine, Compilation compilation, LocationInfo? location, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (eventBase.TypeKind is TypeKind.Class or TypeKind.Struct && !eventBase.IsAbstract && eventBase.SpecialType == SpecialType.None)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndispatchableEvent.Id, location, eventBase.Name, machine.Name, "is the event base and not abstract, so Dispatch has no decision for an instance of it"));
        }

        var home = eventBase.ContainingAssembly;
        if (home is null || eventBase.SpecialType != SpecialType.None || SymbolEqualityComparer.Default.Equals(home, compilation.Assembly))
        {
            return; // a source base: referenced assemblies cannot derive from it
        }

        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            var related = SymbolEqualityComparer.Default.Equals(assembly, home)
                || assembly.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => r.Identity.Equals(home.Identity)));
            if (!related)
            {
                continue;
            }

            foreach (var candidate in AllTypes(assembly.GlobalNamespace, cancellationToken))
            {
                if (!candidate.IsAbstract && candidate.TypeKind is TypeKind.Class or TypeKind.Struct && Derives(candidate, eventBase))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndispatchableEvent.Id, location, candidate.ToDisplayString(), machine.Name,
                        "is declared in the referenced assembly '" + assembly.Name + "', so it takes no part in the machine's decisions; declare the machine's events in its own compilation"));
                }
            }
        }
    }

    private static bool Derives(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType.OriginalDefinition))
            {
                return true;
            }
        }

        return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, baseType.OriginalDefinition));
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns, CancellationToken cancellationToken)
    {
        foreach (var member in ns.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is INamespaceSymbol inner)
            {
                foreach (var t in AllTypes(inner, cancellationToken))
                {
                    yield return t;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                foreach (var t in WithNested(type))
                {
                    yield return t;
                }
            }
        }

        static IEnumerable<INamedTypeSymbol> WithNested(INamedTypeSymbol type)
        {
            yield return type;
            foreach (var nested in type.GetTypeMembers())
            {
                foreach (var t in WithNested(nested))
                {
                    yield return t;
                }
            }
        }
    }

    /// <summary>
    /// PSM016 for each of <paramref name="attributeNames"/> on <paramref name="symbol"/>: declarations the
    /// generator would otherwise drop in silence, leaving the user to believe they hold.
    /// </summary>
    private static void ReportIneffective(INamedTypeSymbol symbol, string[] attributeNames, string why, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attributeNames.FirstOrDefault(attribute.Is) is { } name)
            {
                var shortName = name.Substring(0, name.Length - "Attribute".Length);
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.IneffectiveDeclaration.Id,
                    LocationInfo.From(attribute.ApplicationSyntaxReference, cancellationToken),
                    symbol.Name,
                    string.Format(System.Globalization.CultureInfo.InvariantCulture, why, shortName)));
            }
        }
    }

    private static StateDecl ParseState(INamedTypeSymbol state, AttributeData stateAttribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = LocationInfo.From(state.Locations.FirstOrDefault());
        if (!state.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken).IsPartial()))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial.Id, location, state.Name, "a [State] class must be declared partial"));
        }

        var (handles, ignores) = ParseDecisions(state, cancellationToken);
        var continues = new List<TypeUse>();
        foreach (var attribute in state.GetAttributes())
        {
            if (attribute.Is("ContinuesAttribute"))
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

    /// <summary>The <c>[Handles]</c> and <c>[Ignores]</c> of a state or, as its defaults, of the machine: read alike.</summary>
    private static (List<HandlesDecl> Handles, List<TypeUse> Ignores) ParseDecisions(INamedTypeSymbol symbol, CancellationToken cancellationToken)
    {
        var handles = new List<HandlesDecl>();
        var ignores = new List<TypeUse>();
        foreach (var attribute in symbol.GetAttributes())
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
        }

        return (handles, ignores);
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
