using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Peering.Generators.Diagnostics;
using Peering.Generators.Emitters;
using Peering.Generators.Model;
using Peering.Generators.Parsing;

namespace Peering.Generators;

/// <summary>
/// The state-machine generator (docs/toolkit.md §2). Pipeline: attributed declarations are parsed
/// into equatable specs (Parsing/ -> Model/), matched per machine into a <see cref="MachineModel"/>,
/// and emitted (Emitters/); diagnostics are reported from outputs of their own. No symbol, syntax node, location or compilation outlives a parse step.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class StateMachineGenerator : IIncrementalGenerator
{
    private const string Namespace = "Peering.StateMachines.";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var machines = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "StateMachineAttribute", static (node, _) => node is ClassDeclarationSyntax, MachineParser.Parse)
            .WithTrackingName(TrackingNames.MachineDeclarations);
        var events = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "EventAttribute", static (node, _) => node is TypeDeclarationSyntax, DeclarationParsers.ParseCase)
            .WithTrackingName(TrackingNames.EventDeclarations);
        var effects = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "EffectAttribute", static (node, _) => node is TypeDeclarationSyntax, DeclarationParsers.ParseCase)
            .WithTrackingName(TrackingNames.EffectDeclarations);
        var invariants = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "InvariantAttribute", static (node, _) => node is MethodDeclarationSyntax, DeclarationParsers.ParsePredicate)
            .WithTrackingName(TrackingNames.InvariantDeclarations);
        var checks = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "CheckAttribute", static (node, _) => node is MethodDeclarationSyntax, DeclarationParsers.ParsePredicate)
            .WithTrackingName(TrackingNames.CheckDeclarations);
        var contexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "CheckContextAttribute", static (node, _) => node is MethodDeclarationSyntax, DeclarationParsers.ParseContext)
            .WithTrackingName(TrackingNames.CheckContextDeclarations);
        var strayStates = context.SyntaxProvider
            .ForAttributeWithMetadataName(Namespace + "StateAttribute", static (node, _) => node is TypeDeclarationSyntax, DeclarationParsers.ParseStrayState)
            .WithTrackingName(TrackingNames.StrayStates);

        // Concrete types with a base list that are not [Event]s: a subtype of an event base among them has no decision (PSM012).
        var subtypes = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => node is TypeDeclarationSyntax { BaseList: not null } and not InterfaceDeclarationSyntax, DeclarationParsers.ParseSubtype)
            .WithTrackingName(TrackingNames.SubtypeDeclarations);
        var allSubtypes = subtypes.Collect()
            .Select(static (all, _) => all.Where(static d => d is not null).Select(static d => d!).ToEquatableArray())
            .WithTrackingName(TrackingNames.AllSubtypes);

        var decls = events.Collect().WithTrackingName(TrackingNames.AllEvents)
            .Combine(effects.Collect().WithTrackingName(TrackingNames.AllEffects))
            .WithTrackingName(TrackingNames.EventsAndEffects)
            .Combine(
                invariants.Collect().WithTrackingName(TrackingNames.AllInvariants)
                    .Combine(checks.Collect().WithTrackingName(TrackingNames.AllChecks))
                    .WithTrackingName(TrackingNames.InvariantsAndChecks))
            .Combine(contexts.Collect().WithTrackingName(TrackingNames.AllCheckContexts))
            .Combine(allSubtypes)
            .Select(static (all, _) => new CompilationDecls(
                all.Left.Left.Left.Left.ToEquatableArray(),
                all.Left.Left.Left.Right.ToEquatableArray(),
                all.Left.Left.Right.Left.ToEquatableArray(),
                all.Left.Left.Right.Right.ToEquatableArray(),
                all.Left.Right.ToEquatableArray(),
                all.Right))
            .WithTrackingName(TrackingNames.CompilationDeclarations);

        var results = machines
            .Combine(decls)
            .WithTrackingName(TrackingNames.MachinesWithDeclarations)
            .Select(static (pair, cancellationToken) => MachineAssembler.Assemble(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.MachineResults);

        // The model and the diagnostics go to separate outputs (as System.Text.Json's generator does):
        // a diagnostic that moves (its location is part of it) changes only the diagnostics, the
        // model stays equal and no source is re-emitted.
        var models = results.Select(static (r, _) => r.Model).WithTrackingName(TrackingNames.MachineModels);
        context.RegisterSourceOutput(models, static (spc, model) => Emit(spc, model));

        var machineDiagnostics = results.Select(static (r, _) => r.Diagnostics).WithTrackingName(TrackingNames.MachineDiagnostics);
        context.RegisterSourceOutput(machineDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));

        var predicateProblems = invariants.Collect()
            .Combine(checks.Collect())
            .Combine(contexts.Collect())
            .Select(static (all, _) => all.Left.Left.Concat(all.Left.Right).Select(p => p.Problem)
                .Concat(all.Right.Select(c => c.Problem))
                .Where(p => p is not null).Select(p => p!).ToEquatableArray())
            .WithTrackingName(TrackingNames.PredicateProblems);
        context.RegisterSourceOutput(predicateProblems, static (spc, problems) => Report(spc, problems));

        var strayProblems = strayStates
            .Collect()
            .Select(static (all, _) => all.Where(static d => d is not null).Select(static d => d!).ToEquatableArray())
            .WithTrackingName(TrackingNames.StrayStateProblems);
        context.RegisterSourceOutput(strayProblems, static (spc, problems) => Report(spc, problems));
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(DiagnosticDescriptors.ToDiagnostic(diagnostic));
        }
    }

    private static void Emit(SourceProductionContext context, MachineModel model)
    {
        var hint = (model.Namespace.Length == 0 ? "" : model.Namespace + ".") + model.Name;
        var full = !model.HasErrors;
        context.AddSource(hint + ".Machine.g.cs", MachineEmitter.Emit(model, full));
        if (!full)
        {
            return;
        }

        var emit = new EmitContext(model);
        context.AddSource(hint + ".Checks.g.cs", ChecksEmitter.Emit(model));
        context.AddSource(hint + ".Json.g.cs", JsonEmitter.Emit(emit));
        context.AddSource(hint + ".Canonical.g.cs", CanonicalEmitter.Emit(emit));
        context.AddSource(hint + ".Trace.g.cs", TraceEmitter.Emit(model));
        if (model.Step.Contract)
        {
            context.AddSource(hint + ".Contract.g.cs", ContractEmitter.Emit(model));
        }
    }
}
