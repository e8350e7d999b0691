using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Peering.Generators.Diagnostics;
using Peering.Generators.Model;

namespace Peering.Generators.Parsing;

/// <summary>
/// Reads the wire shape of a type and of every wire record reachable from it (docs/toolkit.md §1,
/// "Wire records"). Types that depend on the machine (the generated state enum, which does not exist
/// yet in the compilation the generator sees, and the abstract event/effect bases) are left pending.
/// </summary>
internal sealed class WireTypeParser
{
    private readonly Dictionary<string, TypeRef> _recordRefs = new();
    private readonly List<RecordSpec?> _records = new();
    private readonly List<PendingType> _pending = new();
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly CancellationToken _cancellationToken;

    private WireTypeParser(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

    public static WireGraph ParseRoot(ITypeSymbol type, LocationInfo? location, CancellationToken cancellationToken)
    {
        var parser = new WireTypeParser(cancellationToken);
        var root = parser.Parse(type, type.Name, location);
        return new WireGraph(
            root,
            parser._records.Where(r => r is not null).Select(r => r!).ToEquatableArray(),
            parser._pending.ToEquatableArray(),
            parser._diagnostics.ToEquatableArray());
    }

    private TypeRef Parse(ITypeSymbol type, string path, LocationInfo? location)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
                return TypeRef.Primitive(WireKind.Boolean, "bool");
            case SpecialType.System_Int32:
                return TypeRef.Primitive(WireKind.Int32, "int");
            case SpecialType.System_UInt32:
                return TypeRef.Primitive(WireKind.UInt32, "uint");
            case SpecialType.System_Int64:
                return TypeRef.Primitive(WireKind.Int64, "long");
            case SpecialType.System_UInt64:
                return TypeRef.Primitive(WireKind.UInt64, "ulong");
            case SpecialType.System_String:
                return TypeRef.Primitive(WireKind.String, "string");
        }

        if (type.TypeKind == TypeKind.Error)
        {
            // The generated state enum is not in the compilation the generator sees.
            _pending.Add(new PendingType(type.Name, path, location));
            var unresolved = new TypeRef(WireKind.Unresolved, type.Name, SimpleName: type.Name);
            return type.NullableAnnotation == NullableAnnotation.Annotated
                ? new TypeRef(WireKind.Nullable, type.Name + "?", unresolved, SimpleName: "Nullable" + type.Name)
                : unresolved;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = Parse(nullable.TypeArguments[0], path, location);
            switch (inner.Kind)
            {
                case WireKind.Boolean:
                case WireKind.Int32:
                case WireKind.UInt32:
                case WireKind.Int64:
                case WireKind.UInt64:
                case WireKind.Enum:
                case WireKind.Unresolved:
                    return new TypeRef(WireKind.Nullable, inner.TypeName + "?", inner, SimpleName: "Nullable" + inner.SimpleName);
                default:
                    return Unsupported(type, path, location, "only Nullable<T> of bool, int, uint, long, ulong and enums is supported");
            }
        }

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                return Unsupported(type, path, location, "only single-dimensional arrays are supported");
            }

            var element = Parse(array.ElementType, path + "[]", location);
            return new TypeRef(WireKind.Array, element.TypeName + "[]", element, SimpleName: "ArrayOf" + element.SimpleName);
        }

        if (type is not INamedTypeSymbol named)
        {
            return Unsupported(type, path, location, "it is not a named type");
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            // One name per value (the first declared): aliases would make the writer ambiguous.
            var seen = new HashSet<object>();
            var members = named.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue && f.ConstantValue is not null && seen.Add(f.ConstantValue))
                .Select(f => f.Name)
                .ToEquatableArray();
            return new TypeRef(WireKind.Enum, named.FullName(), EnumMembers: members, SimpleName: named.Name);
        }

        if (named is { Name: "ImmutableArray", Arity: 1 } && named.ContainingNamespace.ToDisplayString() == "System.Collections.Immutable")
        {
            var element = Parse(named.TypeArguments[0], path + "[]", location);
            return new TypeRef(
                WireKind.ImmutableArray,
                "global::System.Collections.Immutable.ImmutableArray<" + element.TypeName + ">",
                element,
                SimpleName: "ImmutableArrayOf" + element.SimpleName);
        }

        if (FindCollectionBuilder(named) is { } builder)
        {
            return ParseCollection(named, builder.Type, builder.Method, path, location);
        }

        if (ImplementsEnumerable(named))
        {
            return Unsupported(type, path, location, "a collection must be T[], ImmutableArray<T> or a type with [CollectionBuilder]");
        }

        var ns = named.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal))
        {
            return Unsupported(type, path, location, "it is not a supported primitive, enum, record or collection");
        }

        if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
        {
            _pending.Add(new PendingType(named.FullName(), path, location));
            return new TypeRef(WireKind.Abstract, named.FullName(), SimpleName: named.Name);
        }

        if (named.TypeKind is TypeKind.Class or TypeKind.Struct && !named.IsUnboundGenericType && named.SpecialType == SpecialType.None)
        {
            return ParseRecord(named, path, location);
        }

        return Unsupported(type, path, location, "it is not a supported primitive, enum, record or collection");
    }

    private TypeRef ParseCollection(INamedTypeSymbol type, INamedTypeSymbol builderType, string method, string path, LocationInfo? location)
    {
        var elementType = IterationType(type);
        if (elementType is null)
        {
            return Unsupported(type, path, location, "its [CollectionBuilder] type is not enumerable");
        }

        var element = Parse(elementType, path + "[]", location);
        var typeArguments = type.IsGenericType ? "<" + string.Join(", ", type.TypeArguments.Select(t => t.FullName())) + ">" : "";
        string? count = null;
        foreach (var candidate in new[] { "Count", "Length" })
        {
            if (FindProperty(type, candidate, exactCaseOnly: true) is { Type.SpecialType: SpecialType.System_Int32 } p && p.DeclaredAccessibility == Accessibility.Public)
            {
                count = candidate;
                break;
            }
        }

        return new TypeRef(
            WireKind.Collection,
            type.FullName(),
            element,
            BuilderType: builderType.FullName(),
            BuilderMethod: method,
            BuilderTypeArguments: typeArguments,
            CountMember: count,
            SimpleName: SimpleName(type));
    }

    private TypeRef ParseRecord(INamedTypeSymbol type, string path, LocationInfo? location)
    {
        var name = type.FullName();
        if (_recordRefs.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var reference = new TypeRef(WireKind.Record, name, SimpleName: SimpleName(type));
        _recordRefs[name] = reference;
        var index = _records.Count;
        _records.Add(null);

        var members = new List<MemberSpec>();
        var constructor = FindConstructor(type, out var problem);
        if (constructor is null)
        {
            Report(DiagnosticDescriptors.BadWireRecord, location, type.ToDisplayString(), path, problem);
        }
        else
        {
            foreach (var parameter in constructor.Parameters)
            {
                var memberLocation = LocationInfo.From(parameter.Locations.FirstOrDefault()) ?? location;
                if (parameter.Has("WireIgnoreAttribute"))
                {
                    if (!parameter.HasExplicitDefaultValue)
                    {
                        Report(DiagnosticDescriptors.BadWireRecord, memberLocation, type.ToDisplayString(), path, "[WireIgnore] parameter '" + parameter.Name + "' has no default value");
                    }

                    continue;
                }

                var property = FindProperty(type, parameter.Name, exactCaseOnly: false);
                if (property is null || property.GetMethod is null || !property.GetMethod.IsAccessibleFromAssembly())
                {
                    Report(DiagnosticDescriptors.BadWireRecord, memberLocation, type.ToDisplayString(), path, "parameter '" + parameter.Name + "' has no matching readable property");
                    continue;
                }

                var key = parameter.Find("WireNameAttribute")?.FirstStringArgument()
                    ?? property.Find("WireNameAttribute")?.FirstStringArgument()
                    ?? SymbolExtensions.ToSnakeCase(parameter.Name);
                var memberPath = path + "." + property.Name;
                var memberType = Parse(parameter.Type, memberPath, memberLocation);
                foreach (var other in members)
                {
                    if (other.Key == key)
                    {
                        Report(DiagnosticDescriptors.DuplicateName, memberLocation, "Key", key, type.Name + "." + other.PropertyName, type.Name + "." + property.Name);
                    }
                }

                members.Add(new MemberSpec(key, property.Name, parameter.Name, memberType));
            }
        }

        if (members.Count > 64)
        {
            Report(DiagnosticDescriptors.BadWireRecord, location, type.ToDisplayString(), path, "it has more than 64 wire members");
        }

        _records[index] = new RecordSpec(name, SimpleName(type), type.IsValueType, members.ToEquatableArray());
        return reference;
    }

    private TypeRef Unsupported(ITypeSymbol type, string path, LocationInfo? location, string reason)
    {
        Report(DiagnosticDescriptors.UnsupportedMemberType, location, type.ToDisplayString(), path, reason);
        return new TypeRef(WireKind.Unresolved, type.ToDisplayString(), SimpleName: "Unsupported");
    }

    private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, location, arguments));

    /// <summary>A record's primary constructor; otherwise the single public constructor with parameters; otherwise a public parameterless one.</summary>
    private IMethodSymbol? FindConstructor(INamedTypeSymbol type, out string problem)
    {
        problem = "";
        if (type.IsRecord)
        {
            // The primary constructor is declared by the record's own parameter list.
            foreach (var constructor in type.InstanceConstructors)
            {
                if (IsCopyConstructor(type, constructor))
                {
                    continue;
                }

                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(_cancellationToken) is TypeDeclarationSyntax { ParameterList: { } list }
                        && list.Parameters.Count == constructor.Parameters.Length)
                    {
                        return constructor;
                    }
                }
            }
        }

        IMethodSymbol? found = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public || constructor.Parameters.Length == 0)
            {
                continue;
            }

            if (IsCopyConstructor(type, constructor))
            {
                continue;
            }

            if (found is not null)
            {
                problem = "it has more than one public constructor with parameters";
                return null;
            }

            found = constructor;
        }

        if (found is not null)
        {
            return found;
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility == Accessibility.Public && constructor.Parameters.Length == 0)
            {
                return constructor;
            }
        }

        problem = "it has no public constructor";
        return null;
    }

    /// <summary>A readable identifier for helper names: <c>Point</c>, <c>SortedOfUInt64</c>, <c>ArrayOfInt32</c>.</summary>
    private static string SimpleName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => "ArrayOf" + SimpleName(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } generic => generic.Name + "Of" + string.Join("And", generic.TypeArguments.Select(SimpleName)),
        _ => type.Name,
    };

    private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor)
        => type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

    private static IPropertySymbol? FindProperty(INamedTypeSymbol type, string name, bool exactCaseOnly)
    {
        IPropertySymbol? caseInsensitive = null;
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                {
                    if (property.Name == name)
                    {
                        return property;
                    }

                    if (!exactCaseOnly && caseInsensitive is null && string.Equals(property.Name, name, System.StringComparison.OrdinalIgnoreCase))
                    {
                        caseInsensitive = property;
                    }
                }
            }
        }

        return caseInsensitive;
    }

    private static bool ImplementsEnumerable(INamedTypeSymbol type)
    {
        foreach (var iface in type.AllInterfaces)
        {
            if (iface is { Name: "IEnumerable" } && iface.ContainingNamespace.ToDisplayString() is "System.Collections" or "System.Collections.Generic")
            {
                return true;
            }
        }

        return false;
    }

    private static (INamedTypeSymbol Type, string Method)? FindCollectionBuilder(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "CollectionBuilderAttribute" } c
                && c.ContainingNamespace.ToDisplayString() == "System.Runtime.CompilerServices"
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol builder
                && attribute.ConstructorArguments[1].Value is string method)
            {
                return (builder, method);
            }
        }

        return null;
    }

    /// <summary>The element type <c>foreach</c> sees: the pattern's <c>GetEnumerator().Current</c>, else <c>IEnumerable&lt;T&gt;</c>.</summary>
    private static ITypeSymbol? IterationType(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers("GetEnumerator"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public } method
                    && CurrentType(method.ReturnType) is { } current)
                {
                    return current;
                }
            }
        }

        foreach (var iface in type.AllInterfaces)
        {
            if (iface is { Name: "IEnumerable", Arity: 1 } && iface.ContainingNamespace.ToDisplayString() == "System.Collections.Generic")
            {
                return iface.TypeArguments[0];
            }
        }

        return null;
    }

    private static ITypeSymbol? CurrentType(ITypeSymbol enumerator)
    {
        var candidates = new List<ITypeSymbol> { enumerator };
        candidates.AddRange(enumerator.AllInterfaces);
        foreach (var candidate in candidates)
        {
            for (var t = candidate; t is not null; t = t.BaseType)
            {
                foreach (var member in t.GetMembers("Current"))
                {
                    if (member is IPropertySymbol { IsStatic: false } property && property.Type.SpecialType != SpecialType.System_Object)
                    {
                        return property.Type;
                    }
                }
            }
        }

        return null;
    }
}
