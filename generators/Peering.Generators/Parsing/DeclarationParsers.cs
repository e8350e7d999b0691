using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Peering.Generators.Diagnostics;
using Peering.Generators.Model;

namespace Peering.Generators.Parsing;

/// <summary>Reads <c>[Event]</c>/<c>[Effect]</c> types, <c>[Invariant]</c>/<c>[Check]</c> methods and stray <c>[State]</c> classes.</summary>
internal static class DeclarationParsers
{
    public static CaseDecl ParseCase(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var location = LocationInfo.From(((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation());
        return new CaseDecl(
            type.FullName(),
            context.Attributes[0].FirstStringArgument() ?? type.Name,
            BaseTypes(type).ToEquatableArray(),
            WireTypeParser.ParseRoot(type, location, cancellationToken),
            type.Has("TransitionLogAttribute"),
            location);
    }

    /// <summary>A concrete class or struct that is not an <c>[Event]</c> (a candidate for PSM012), or null.</summary>
    public static SubtypeDecl? ParseSubtype(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol type
            || type.IsAbstract || type.IsStatic || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.Has("EventAttribute"))
        {
            return null;
        }

        return new SubtypeDecl(type.FullName(), BaseTypes(type).ToEquatableArray(), LocationInfo.From(((TypeDeclarationSyntax)context.Node).Identifier.GetLocation()));
    }

    /// <summary>Every base class (up to, not including, object and ValueType) and interface of <paramref name="type"/>.</summary>
    public static List<string> BaseTypes(INamedTypeSymbol type)
    {
        var bases = new List<string>();
        for (var t = type.BaseType; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
        {
            bases.Add(t.FullName());
        }

        foreach (var iface in type.AllInterfaces)
        {
            bases.Add(iface.FullName());
        }

        return bases;
    }

    public static PredicateDecl ParsePredicate(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var location = context.TargetNode is MethodDeclarationSyntax syntax
            ? LocationInfo.From(syntax.Identifier.GetLocation())
            : LocationInfo.From(method.Locations.FirstOrDefault());
        var name = context.Attributes[0].FirstStringArgument() ?? method.Name;
        var kind = context.Attributes[0].AttributeClass?.Name == "InvariantAttribute" ? "[Invariant]" : "[Check]";
        DiagnosticInfo? problem = null;
        if (!method.IsStatic || method.ReturnType.SpecialType != SpecialType.System_Boolean || method.Parameters.Length is not (1 or 2)
            || method.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In)) || method.IsGenericMethod)
        {
            problem = DiagnosticInfo.Create(DiagnosticDescriptors.BadPredicate.Id, location, method.Name, "an " + kind + " method must be 'static bool M(TSnapshot snapshot)' or, with a [CheckContext], 'static bool M(TSnapshot snapshot, TContext context)'");
        }
        else if (!method.IsAccessibleFromAssembly())
        {
            problem = DiagnosticInfo.Create(DiagnosticDescriptors.BadPredicate.Id, location, method.Name, "an " + kind + " method must be accessible from its assembly (internal or public)");
        }

        var snapshot = method.Parameters.Length >= 1 ? method.Parameters[0].Type.FullName() : "";
        var contextType = method.Parameters.Length == 2 ? method.Parameters[1].Type.FullName() : "";
        return new PredicateDecl(name, method.Name, method.ContainingType.FullName() + "." + method.Name, snapshot, contextType, location, problem);
    }

    public static ContextDecl ParseContext(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var location = context.TargetNode is MethodDeclarationSyntax syntax
            ? LocationInfo.From(syntax.Identifier.GetLocation())
            : LocationInfo.From(method.Locations.FirstOrDefault());
        DiagnosticInfo? problem = null;
        if (!method.IsStatic || method.ReturnsVoid || method.Parameters.Length != 1 || method.Parameters[0].RefKind is not (RefKind.None or RefKind.In) || method.IsGenericMethod)
        {
            problem = DiagnosticInfo.Create(DiagnosticDescriptors.BadPredicate.Id, location, method.Name, "a [CheckContext] method must be 'static TContext M(TSnapshot snapshot)'");
        }
        else if (!method.IsAccessibleFromAssembly())
        {
            problem = DiagnosticInfo.Create(DiagnosticDescriptors.BadPredicate.Id, location, method.Name, "a [CheckContext] method must be accessible from its assembly (internal or public)");
        }

        var snapshot = method.Parameters.Length == 1 ? method.Parameters[0].Type.FullName() : "";
        return new ContextDecl(method.Name, method.ContainingType.FullName() + "." + method.Name, snapshot, method.ReturnType.FullName(), location, problem);
    }

    /// <summary>A <c>[State]</c> class that is not nested in a <c>[StateMachine]</c> class, or null.</summary>
    public static DiagnosticInfo? ParseStrayState(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (type.ContainingType is { } machine && machine.Has("StateMachineAttribute"))
        {
            return null;
        }

        var location = LocationInfo.From(((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation());
        return DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial.Id, location, type.Name, "a [State] class must be nested in its [StateMachine] class");
    }
}
