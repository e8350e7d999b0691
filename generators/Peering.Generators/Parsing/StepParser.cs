using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Peering.Generators.Diagnostics;
using Peering.Generators.Model;

namespace Peering.Generators.Parsing;

/// <summary>
/// Reads how a machine steps (docs/toolkit.md §1, "Stepping"): a constructor taking the snapshot (the
/// restore of the pure step), a constructor callable without arguments (the fresh machine), and the
/// optional <c>[Accepts]</c> filter, <c>[Apply]</c> in-place step and <c>[Restore]</c> in-place restore.
/// </summary>
internal static class StepParser
{
    public static StepDecl Parse(INamedTypeSymbol machine, ITypeSymbol? snapshot, ITypeSymbol? eventBase, List<DiagnosticInfo> diagnostics)
    {
        var hasRestore = snapshot is not null && machine.InstanceConstructors.Any(c =>
            c.Parameters.Length == 1 && c.Parameters[0].RefKind is RefKind.None or RefKind.In
            && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type.OriginalDefinition, snapshot.OriginalDefinition));
        var hasFresh = machine.InstanceConstructors.Any(c => c.Parameters.All(p => p.IsOptional || p.IsParams));

        string? accepts = null;
        string? apply = null;
        string? restore = null;
        foreach (var method in machine.GetMembers().OfType<IMethodSymbol>())
        {
            if (method.Has("AcceptsAttribute"))
            {
                Take(ref accepts, method, "an [Accepts]", "bool", SpecialType.System_Boolean, eventBase, "TEvent", "e");
            }

            if (method.Has("ApplyAttribute"))
            {
                Take(ref apply, method, "an [Apply]", "void", SpecialType.System_Void, eventBase, "TEvent", "e");
            }

            if (method.Has("RestoreAttribute"))
            {
                Take(ref restore, method, "a [Restore]", "void", SpecialType.System_Void, snapshot, "TSnapshot", "s");
            }
        }

        return new StepDecl(hasRestore, hasFresh, accepts, apply, restore);

        // kind: the attribute with its article ("an [Apply]"); parameter: the one parameter's type, or null when undeclared.
        void Take(ref string? slot, IMethodSymbol method, string kind, string returns, SpecialType returnType, ITypeSymbol? parameter, string typeParameter, string name)
        {
            var location = LocationInfo.From(method.Locations.FirstOrDefault());
            var valid = !method.IsStatic && !method.IsGenericMethod && method.ReturnType.SpecialType == returnType
                && method.Parameters.Length == 1 && method.Parameters[0].RefKind == RefKind.None
                && parameter is not null && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type.OriginalDefinition, parameter.OriginalDefinition);
            if (!valid)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadStepMethod.Id, location, method.Name, kind + " method must be an instance method '" + returns + " M(" + (parameter?.Name ?? typeParameter) + " " + name + ")'"));
            }
            else if (slot is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadStepMethod.Id, location, method.Name, "machine '" + machine.Name + "' already has the " + kind.Substring(kind.IndexOf('[')) + " method '" + slot + "'"));
            }
            else
            {
                slot = method.Name;
            }
        }
    }
}
