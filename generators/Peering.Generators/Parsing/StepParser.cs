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
                Take(ref accepts, method, "[Accepts]", "bool", SpecialType.System_Boolean);
            }

            if (method.Has("ApplyAttribute"))
            {
                Take(ref apply, method, "[Apply]", "void", SpecialType.System_Void);
            }

            if (method.Has("RestoreAttribute"))
            {
                Take(ref restore, method, "[Restore]", "void", SpecialType.System_Void, snapshot, "TSnapshot s");
            }
        }

        return new StepDecl(hasRestore, hasFresh, accepts, apply, restore);

        void Take(ref string? slot, IMethodSymbol method, string kind, string returns, SpecialType returnType, ITypeSymbol? parameter = null, string parameterName = "TEvent e")
        {
            parameter ??= eventBase;
            var location = LocationInfo.From(method.Locations.FirstOrDefault());
            var valid = !method.IsStatic && !method.IsGenericMethod && method.ReturnType.SpecialType == returnType
                && method.Parameters.Length == 1 && method.Parameters[0].RefKind == RefKind.None
                && parameter is not null && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type.OriginalDefinition, parameter.OriginalDefinition);
            if (!valid)
            {
                var shown = parameter is null ? parameterName : parameter.Name + parameterName.Substring(parameterName.IndexOf(' '));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadStepMethod.Id, location, method.Name, "a" + (kind == "[Restore]" ? " " : "n ") + kind + " method must be an instance method '" + returns + " M(" + shown + ")'"));
            }
            else if (slot is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadStepMethod.Id, location, method.Name, "machine '" + machine.Name + "' already has the " + kind + " method '" + slot + "'"));
            }
            else
            {
                slot = method.Name;
            }
        }
    }
}
