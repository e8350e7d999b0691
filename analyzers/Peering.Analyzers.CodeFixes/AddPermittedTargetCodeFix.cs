using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Peering.Analyzers.Diagnostics;

namespace Peering.Analyzers.CodeFixes;

/// <summary>
/// PSM101 from a handler entry state: adds <c>typeof(Target)</c> to that state's
/// <c>[Handles(typeof(E), ...)]</c> attribute, wherever (which partial declaration, which file) it is.
/// Not offered when the state inherits the machine's default (the analyzer then gives the diagnostic
/// no attribute to edit): widening the default would permit the move from every state inheriting it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPermittedTargetCodeFix))]
[Shared]
public sealed class AddPermittedTargetCodeFix : CodeFixProvider
{
    /// <summary>One key for every instance, so Fix All applies to all of them.</summary>
    public const string EquivalenceKey = "Peering.AddPermittedTarget";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.TransitionNotPermittedId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => AddPermittedTargetFixAll.Instance;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var solution = context.Document.Project.Solution;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Edit.From(diagnostic, solution) is not { } edit)
            {
                continue;
            }

            var title = $"Add '{edit.TargetName}' to the targets of '{edit.SourceName}' on '{edit.EventName}'";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ApplyAsync(solution, new[] { edit }, ct), EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    /// <summary>Applies the edits, grouped by document and attribute (each target added once).</summary>
    internal static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<Edit> edits, CancellationToken cancellationToken)
    {
        foreach (var byDocument in edits.GroupBy(e => e.DocumentId))
        {
            var document = solution.GetDocument(byDocument.Key);
            if (document is null || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
            {
                continue;
            }

            var targetsByAttribute = new Dictionary<AttributeSyntax, List<string>>();
            foreach (var edit in byDocument)
            {
                if (root.FindNode(edit.AttributeSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { ArgumentList: not null } attribute)
                {
                    continue;
                }

                if (!targetsByAttribute.TryGetValue(attribute, out var targets))
                {
                    targets = new List<string>();
                    targetsByAttribute.Add(attribute, targets);
                }

                if (!targets.Contains(edit.TargetType))
                {
                    targets.Add(edit.TargetType);
                }
            }

            if (targetsByAttribute.Count == 0)
            {
                continue;
            }

            var newRoot = root.ReplaceNodes(targetsByAttribute.Keys, (original, _) => AddTargets(original, targetsByAttribute[original]));
            solution = solution.WithDocumentSyntaxRoot(document.Id, newRoot);
        }

        return solution;
    }

    private static AttributeSyntax AddTargets(AttributeSyntax attribute, List<string> targets)
    {
        var typeofs = targets.Select(t => (ExpressionSyntax)SyntaxFactory.TypeOfExpression(
            SyntaxFactory.ParseTypeName(t).WithAdditionalAnnotations(Simplifier.Annotation))).ToList();
        var arguments = attribute.ArgumentList!.Arguments;

        // [Handles(typeof(E), new[] { typeof(A) })] / new Type[] { ... } / [typeof(A)]: extend the array.
        if (arguments.Count == 2 && arguments[1].NameEquals is null)
        {
            var second = arguments[1].Expression;
            ExpressionSyntax? extended = second switch
            {
                ImplicitArrayCreationExpressionSyntax implicitArray =>
                    implicitArray.WithInitializer(implicitArray.Initializer.AddExpressions(typeofs.ToArray())),
                ArrayCreationExpressionSyntax { Initializer: { } initializer } array =>
                    array.WithInitializer(initializer.AddExpressions(typeofs.ToArray())),
                CollectionExpressionSyntax collection =>
                    collection.AddElements(typeofs.Select(t => (CollectionElementSyntax)SyntaxFactory.ExpressionElement(t)).ToArray()),
                _ => null,
            };
            if (extended is not null)
            {
                return attribute.WithArgumentList(attribute.ArgumentList.WithArguments(
                    arguments.Replace(arguments[1], arguments[1].WithExpression(extended))));
            }
        }

        // The params form: append the arguments after the last positional one.
        var insertAt = arguments.Count;
        while (insertAt > 0 && (arguments[insertAt - 1].NameColon is not null || arguments[insertAt - 1].NameEquals is not null))
        {
            insertAt--;
        }

        if (insertAt < arguments.Count)
        {
            return attribute; // named arguments: not a form this fix rewrites
        }

        return attribute.WithArgumentList(attribute.ArgumentList.WithArguments(
            arguments.AddRange(typeofs.Select(SyntaxFactory.AttributeArgument))));
    }

    /// <summary>One "add this target to that attribute" edit, read from a PSM101 diagnostic.</summary>
    internal sealed class Edit
    {
        private Edit(DocumentId documentId, Microsoft.CodeAnalysis.Text.TextSpan attributeSpan, string targetType, string targetName, string sourceName, string eventName)
        {
            DocumentId = documentId;
            AttributeSpan = attributeSpan;
            TargetType = targetType;
            TargetName = targetName;
            SourceName = sourceName;
            EventName = eventName;
        }

        public DocumentId DocumentId { get; }

        public Microsoft.CodeAnalysis.Text.TextSpan AttributeSpan { get; }

        public string TargetType { get; }

        public string TargetName { get; }

        public string SourceName { get; }

        public string EventName { get; }

        public static Edit? From(Diagnostic diagnostic, Solution solution)
        {
            var p = diagnostic.Properties;
            if (diagnostic.Id != DiagnosticDescriptors.TransitionNotPermittedId
                || diagnostic.AdditionalLocations.Count == 0
                || !p.TryGetValue(DiagnosticDescriptors.TargetTypeProperty, out var targetType) || targetType is null
                || !p.TryGetValue(DiagnosticDescriptors.TargetNameProperty, out var targetName) || targetName is null
                || !p.TryGetValue(DiagnosticDescriptors.SourceNameProperty, out var sourceName) || sourceName is null
                || !p.TryGetValue(DiagnosticDescriptors.EventNameProperty, out var eventName) || eventName is null)
            {
                return null;
            }

            var location = diagnostic.AdditionalLocations[0];
            if (!location.IsInSource || solution.GetDocumentId(location.SourceTree) is not { } documentId)
            {
                return null;
            }

            return new Edit(documentId, location.SourceSpan, targetType, targetName, sourceName, eventName);
        }
    }
}

/// <summary>Fix All for PSM101: every fixable diagnostic in scope, each target added once per attribute.</summary>
internal sealed class AddPermittedTargetFixAll : FixAllProvider
{
    public static readonly AddPermittedTargetFixAll Instance = new();

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        if (fixAllContext.CodeActionEquivalenceKey != AddPermittedTargetCodeFix.EquivalenceKey)
        {
            return Task.FromResult<CodeAction?>(null);
        }

        return Task.FromResult<CodeAction?>(CodeAction.Create(
            "Add the targets to the Handles declarations",
            ct => FixAsync(fixAllContext, ct),
            AddPermittedTargetCodeFix.EquivalenceKey));
    }

    private static async Task<Solution> FixAsync(FixAllContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is not null:
                diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false));
                break;
            case FixAllScope.Project:
                diagnostics.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                break;
            case FixAllScope.Solution:
                foreach (var project in context.Solution.Projects)
                {
                    diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                }

                break;
        }

        var solution = context.Solution;
        var edits = diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .Select(d => AddPermittedTargetCodeFix.Edit.From(d, solution))
            .Where(e => e is not null)
            .Select(e => e!)
            .ToList();
        return await AddPermittedTargetCodeFix.ApplyAsync(solution, edits, cancellationToken).ConfigureAwait(false);
    }
}
