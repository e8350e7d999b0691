using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Peering.Analyzers.Diagnostics;
using Peering.Analyzers.Flow;
using Peering.Analyzers.Model;

namespace Peering.Analyzers;

/// <summary>
/// Checks every transition and procedure call of a <c>[StateMachine]</c> class against its
/// declarations (docs/toolkit.md section 3): PSM101 and PSM103 by a forward data flow over the
/// control-flow graph of each handler and procedure (per-method facts collected in a symbol-start
/// scope on the machine, procedure summaries and reports at its symbol end); PSM102, PSM104 and
/// PSM105 per operation, anywhere in the compilation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TransitionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.TransitionNotPermitted,
        DiagnosticDescriptors.NonConstantTarget,
        DiagnosticDescriptors.ProcedureState,
        DiagnosticDescriptors.CallOutsideHandler,
        DiagnosticDescriptors.StateAssigned);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownTypes.Create(start.Compilation);
            if (known is null)
            {
                return;
            }

            var models = new ConcurrentDictionary<INamedTypeSymbol, MachineModel?>(SymbolEqualityComparer.Default);
            MachineModel? ModelOf(INamedTypeSymbol? type)
            {
                if (type is null)
                {
                    return null;
                }

                type = type.OriginalDefinition;
                return models.GetOrAdd(type, t => known.IsMachine(t) ? MachineModel.Create(t, known) : null);
            }

            start.RegisterSymbolStartAction(symbolStart => OnMachineStart(symbolStart, ModelOf), SymbolKind.NamedType);
            start.RegisterOperationAction(c => CheckInvocation(c, ModelOf), OperationKind.Invocation);
            start.RegisterOperationAction(c => CheckMethodReference(c, ModelOf), OperationKind.MethodReference);
            start.RegisterOperationAction(c => CheckStateWrite(c, ModelOf), OperationKind.PropertyReference);
        });
    }

    private static void OnMachineStart(SymbolStartAnalysisContext context, Func<INamedTypeSymbol?, MachineModel?> modelOf)
    {
        if (context.Symbol is not INamedTypeSymbol type || modelOf(type) is not { } model)
        {
            return;
        }

        var graphs = new ConcurrentDictionary<IMethodSymbol, FlowGraph>(SymbolEqualityComparer.Default);
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol owner)
            {
                return;
            }

            var method = KnownTypes.Normalize(owner);
            if (!SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, model.Machine)
                || (!model.Handlers.ContainsKey(method) && !model.Procedures.ContainsKey(method)))
            {
                return;
            }

            foreach (var operationBlock in block.OperationBlocks)
            {
                // The body (a block whose parent is the method body operation); not attributes or parameter defaults.
                if (operationBlock.Kind is not (OperationKind.MethodBody or OperationKind.Block))
                {
                    continue;
                }

                var root = operationBlock;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                FlowGraph graph;
                try
                {
                    graph = FlowGraph.Build(block.GetControlFlowGraph(operationBlock), root, model, block.CancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A body the control-flow graph cannot be built for (broken code): not followed.
                    return;
                }

                graphs[method] = graph;
                return;
            }
        });

        context.RegisterSymbolEndAction(end =>
            new MachineChecker(model, graphs).Run(end.ReportDiagnostic, end.CancellationToken));
    }

    /// <summary>PSM102 (non-constant target) and PSM104 (call outside a handler or procedure).</summary>
    private static void CheckInvocation(OperationAnalysisContext context, Func<INamedTypeSymbol?, MachineModel?> modelOf)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = KnownTypes.Normalize(invocation.TargetMethod);
        if (modelOf(method.ContainingType) is not { } model)
        {
            return;
        }

        var isTransition = model.Transitions.TryGetValue(method, out var ordinal);
        if (!isTransition && !model.Procedures.ContainsKey(method))
        {
            return;
        }

        if (isTransition && ordinal >= 0)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal && FlowGraph.TargetConstant(argument.Value) is null)
                {
                    var location = argument.IsImplicit ? invocation.Syntax.GetLocation() : argument.Value.Syntax.GetLocation();
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonConstantTarget, location, method.Name));
                }
            }
        }

        var where = NestedFunction(invocation) is { } nested
            ? "called in " + nested
            : !IsHandlerOrProcedure(context.ContainingSymbol, model)
                ? "called in " + Describe(context.ContainingSymbol)
                : !FlowGraph.IsOnThisMachine(invocation)
                    ? "called on another instance"
                    : null;
        if (where is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.CallOutsideHandler,
                invocation.Syntax.GetLocation(),
                isTransition ? "Transition" : "Procedure",
                method.Name,
                where));
        }
    }

    /// <summary>PSM104: a transition or procedure turned into a delegate escapes the check.</summary>
    private static void CheckMethodReference(OperationAnalysisContext context, Func<INamedTypeSymbol?, MachineModel?> modelOf)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        var method = KnownTypes.Normalize(reference.Method);
        if (modelOf(method.ContainingType) is not { } model)
        {
            return;
        }

        var isTransition = model.Transitions.ContainsKey(method);
        if (!isTransition && !model.Procedures.ContainsKey(method))
        {
            return;
        }

        for (var p = reference.Parent; p is not null; p = p.Parent)
        {
            if (p is INameOfOperation)
            {
                return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.CallOutsideHandler,
            reference.Syntax.GetLocation(),
            isTransition ? "Transition" : "Procedure",
            method.Name,
            "used as a delegate"));
    }

    /// <summary>PSM105: <c>State</c> written outside the transition method and constructors.</summary>
    private static void CheckStateWrite(OperationAnalysisContext context, Func<INamedTypeSymbol?, MachineModel?> modelOf)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        var property = reference.Property.OriginalDefinition;
        if (property.Name != "State" || property.IsStatic || !IsWrite(reference) || modelOf(property.ContainingType) is not { } model)
        {
            return;
        }

        string? where;
        if (NestedFunction(reference) is { } nested)
        {
            where = "in " + nested;
        }
        else if (context.ContainingSymbol is IMethodSymbol m
            && SymbolEqualityComparer.Default.Equals(m.ContainingType?.OriginalDefinition, model.Machine)
            && (m.MethodKind == MethodKind.Constructor || model.Transitions.ContainsKey(KnownTypes.Normalize(m))))
        {
            where = null;
        }
        else
        {
            where = "in " + Describe(context.ContainingSymbol);
        }

        if (where is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StateAssigned, reference.Syntax.GetLocation(), where));
        }
    }

    private static bool IsWrite(IPropertyReferenceOperation reference)
    {
        switch (reference.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
            case IIncrementOrDecrementOperation:
                return true;
        }

        // Deconstruction: (State, x) = ...
        IOperation current = reference;
        while (current.Parent is ITupleOperation tuple)
        {
            current = tuple;
        }

        return current != reference && current.Parent is IDeconstructionAssignmentOperation d && d.Target == current;
    }

    /// <summary>"a lambda" / "a local function" when the operation is inside one, else null.</summary>
    private static string? NestedFunction(IOperation operation)
    {
        for (var p = operation.Parent; p is not null; p = p.Parent)
        {
            switch (p)
            {
                case IAnonymousFunctionOperation:
                    return "a lambda";
                case ILocalFunctionOperation:
                    return "a local function";
            }
        }

        return null;
    }

    private static bool IsHandlerOrProcedure(ISymbol? symbol, MachineModel model)
    {
        if (symbol is not IMethodSymbol method)
        {
            return false;
        }

        method = KnownTypes.Normalize(method);
        return SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, model.Machine)
            && (model.Handlers.ContainsKey(method) || model.Procedures.ContainsKey(method));
    }

    private static string Describe(ISymbol? symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } => "a constructor",
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } => "a static constructor",
        IMethodSymbol { AssociatedSymbol: { } associated } => "'" + associated.Name + "'",
        null => "this context",
        _ => "'" + symbol.Name + "'",
    };
}
