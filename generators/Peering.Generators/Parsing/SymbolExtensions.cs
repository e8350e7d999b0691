using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Peering.Generators.Parsing;

internal static class SymbolExtensions
{
    public const string AttributeNamespace = "Peering.StateMachines";

    /// <summary>Whether <paramref name="attribute"/> is <c>Peering.StateMachines.{name}</c>.</summary>
    public static bool Is(this AttributeData attribute, string name)
        => attribute.AttributeClass is { } c
            && c.Name == name
            && c.ContainingNamespace is { Name: "StateMachines", ContainingNamespace: { Name: "Peering", ContainingNamespace.IsGlobalNamespace: true } };

    public static AttributeData? Find(this ISymbol symbol, string name)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.Is(name))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool Has(this ISymbol symbol, string name) => symbol.Find(name) is not null;

    /// <summary><c>global::NS.Type</c>: how generated code names the type.</summary>
    public static string FullName(this ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    public static string NamespaceName(this INamedTypeSymbol type)
        => type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "";

    /// <summary>Whether generated code in the same assembly can call or read <paramref name="symbol"/>.</summary>
    public static bool IsAccessibleFromAssembly(this ISymbol symbol)
    {
        for (var s = symbol; s is not null && s is not INamespaceSymbol; s = s.ContainingSymbol)
        {
            switch (s.DeclaredAccessibility)
            {
                case Accessibility.Private:
                case Accessibility.Protected:
                case Accessibility.ProtectedAndInternal:
                    return false;
            }
        }

        return true;
    }

    /// <summary>The string value of an attribute's first constructor argument, if any.</summary>
    public static string? FirstStringArgument(this AttributeData attribute)
        => attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;

    /// <summary>The types of a <c>params Type[]</c> (or single <c>Type</c>) constructor argument.</summary>
    public static IEnumerable<ITypeSymbol?> TypeArguments(this TypedConstant argument)
    {
        if (argument.Kind == TypedConstantKind.Array)
        {
            if (argument.IsNull)
            {
                yield break;
            }

            foreach (var value in argument.Values)
            {
                yield return value.Value as ITypeSymbol;
            }
        }
        else
        {
            yield return argument.Value as ITypeSymbol;
        }
    }

    /// <summary>
    /// <c>PoolMinSize</c> -> <c>pool_min_size</c>, <c>Pgid</c> -> <c>pgid</c>, <c>OSDId</c> -> <c>osd_id</c>:
    /// an underscore before an upper-case letter that follows a lower-case letter or digit, or that
    /// starts a word after an acronym; everything lower-cased.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_')
                {
                    var previous = name[i - 1];
                    var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                    {
                        sb.Append('_');
                    }
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static bool IsPartial(this SyntaxNode node)
    {
        if (node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration)
        {
            foreach (var modifier in declaration.Modifiers)
            {
                if (modifier.Text == "partial")
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool EqualsOrdinal(this string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
}
