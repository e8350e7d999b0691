using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Peering.Analyzers.Diagnostics;
using Peering.Analyzers.Model;

namespace Peering.Analyzers.Flow;

/// <summary>What a caller needs to know about a procedure (a context-insensitive summary).</summary>
internal sealed class ProcedureSummary : IEquatable<ProcedureSummary>
{
    public ProcedureSummary(bool canReturnUnmoved, Bits exitMoved, Bits anyMoved)
    {
        CanReturnUnmoved = canReturnUnmoved;
        ExitMoved = exitMoved;
        AnyMoved = anyMoved;
    }

    /// <summary>Some path returns without having moved (the caller's states survive the call).</summary>
    public bool CanReturnUnmoved { get; }

    /// <summary>The states the procedure can return in after having moved (states, not pairs).</summary>
    public Bits ExitMoved { get; }

    /// <summary>Every state the procedure can move into at any point (what a caller's catch or finally may see).</summary>
    public Bits AnyMoved { get; }

    public static ProcedureSummary Bottom(int count) => new(false, Bits.Empty(count), Bits.Empty(count));

    public static ProcedureSummary NoMoves(int count) => new(true, Bits.Empty(count), Bits.Empty(count));

    public ProcedureSummary Join(ProcedureSummary other) =>
        new(CanReturnUnmoved || other.CanReturnUnmoved, ExitMoved.Union(other.ExitMoved), AnyMoved.Union(other.AnyMoved));

    public bool Equals(ProcedureSummary? other) =>
        other is not null && CanReturnUnmoved == other.CanReturnUnmoved && ExitMoved.Equals(other.ExitMoved) && AnyMoved.Equals(other.AnyMoved);

    public override bool Equals(object? obj) => Equals(obj as ProcedureSummary);

    public override int GetHashCode() => (CanReturnUnmoved ? 1 : 0) ^ ExitMoved.GetHashCode() ^ (AnyMoved.GetHashCode() * 7);
}

/// <summary>
/// The transition data flow of one machine (docs/toolkit.md section 3). The value at a program
/// point is the set of (state, tag) pairs the machine may be in, encoded as bit 2*state+tag:
/// tag 0 = "unmoved" (still the state the body was entered in: for a handler, checked against
/// that state's Handles(E) targets), tag 1 = "moved" (entered during this step: checked against
/// the state-level permitted set). In a procedure both tags are checked against the state-level
/// set; the tags only feed its summary. Branches join by union; procedure calls use summaries
/// computed to a least fixpoint over all procedures.
/// </summary>
internal sealed class MachineChecker
{
    private const int MaxRounds = 100_000;

    private readonly MachineModel _model;
    private readonly IReadOnlyDictionary<IMethodSymbol, FlowGraph> _graphs;
    private readonly Dictionary<IMethodSymbol, ProcedureSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly int _count;

    public MachineChecker(MachineModel model, IReadOnlyDictionary<IMethodSymbol, FlowGraph> graphs)
    {
        _model = model;
        _graphs = graphs;
        _count = model.Count;
    }

    public void Run(Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        ComputeSummaries(cancellationToken);

        foreach (var pair in _graphs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var context = ContextOf(pair.Key, preferHandler: true);
            if (context is not null)
            {
                Analyze(pair.Value, context, report, cancellationToken);
            }
        }
    }

    private void ComputeSummaries(CancellationToken cancellationToken)
    {
        foreach (var procedure in _model.Procedures.Keys)
        {
            _summaries[procedure] = _graphs.ContainsKey(procedure) ? ProcedureSummary.Bottom(_count) : ProcedureSummary.NoMoves(_count);
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            var changed = false;
            foreach (var procedure in _model.Procedures.Keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!_graphs.TryGetValue(procedure, out var graph) || ContextOf(procedure, preferHandler: false) is not { } context)
                {
                    continue;
                }

                var result = Analyze(graph, context, report: null, cancellationToken);
                var summary = _summaries[procedure].Join(result);
                if (!summary.Equals(_summaries[procedure]))
                {
                    _summaries[procedure] = summary;
                    changed = true;
                }
            }

            if (!changed)
            {
                return;
            }
        }
    }

    private BodyContext? ContextOf(IMethodSymbol method, bool preferHandler)
    {
        if (preferHandler && _model.Handlers.TryGetValue(method, out var @event))
        {
            var entries = _model.EntryDeclarations(@event);
            var initial = Bits.Empty(2 * _count);
            for (var s = 0; s < _count; s++)
            {
                if (entries[s] is not null)
                {
                    initial = initial.With(2 * s);
                }
            }

            return new BodyContext(initial, entries, @event);
        }

        if (_model.Procedures.TryGetValue(method, out var runsFrom))
        {
            var initial = Bits.Empty(2 * _count);
            foreach (var s in runsFrom.Members())
            {
                initial = initial.With(2 * s);
            }

            return new BodyContext(initial, null, null);
        }

        return null;
    }

    /// <summary>The fixpoint over one body; with <paramref name="report"/>, a final reporting pass.</summary>
    private ProcedureSummary Analyze(FlowGraph graph, BodyContext context, Action<Diagnostic>? report, CancellationToken cancellationToken)
    {
        var blocks = graph.Blocks;
        var n = blocks.Length;
        var empty = Bits.Empty(2 * _count);
        // Incoming edges: (source block, the edge).
        var predecessors = new List<(int Source, FlowEdge Edge)>[n];
        for (var b = 0; b < n; b++)
        {
            predecessors[b] = new List<(int, FlowEdge)>();
        }

        for (var b = 0; b < n; b++)
        {
            if (!blocks[b].Reachable)
            {
                continue;
            }

            foreach (var edge in blocks[b].Successors)
            {
                if (edge.Destination >= 0 && edge.Destination < n)
                {
                    predecessors[edge.Destination].Add((b, edge));
                }
            }
        }

        var ins = new Bits[n];
        var outs = new Bits[n];
        var alls = new Bits[n];
        for (var b = 0; b < n; b++)
        {
            ins[b] = outs[b] = alls[b] = empty;
        }

        var tryUnion = new Bits[graph.RegionCount];
        var regionOut = new Bits[graph.RegionCount];
        for (var r = 0; r < graph.RegionCount; r++)
        {
            tryUnion[r] = regionOut[r] = empty;
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = false;
            for (var b = 0; b < n; b++)
            {
                var block = blocks[b];
                if (!block.Reachable)
                {
                    continue;
                }

                var input = InputOf(b, graph, context, predecessors, outs, tryUnion, regionOut, empty);
                var (output, all) = Transfer(block, input, context, report: null);
                if (!input.Equals(ins[b]) || !output.Equals(outs[b]) || !all.Equals(alls[b]))
                {
                    ins[b] = input;
                    outs[b] = output;
                    alls[b] = all;
                    changed = true;
                }

                foreach (var t in block.EnclosingTries)
                {
                    var merged = tryUnion[t].Union(all);
                    if (!merged.Equals(tryUnion[t]))
                    {
                        tryUnion[t] = merged;
                        changed = true;
                    }
                }

                if (block.EndsRegion >= 0)
                {
                    var merged = regionOut[block.EndsRegion].Union(output);
                    if (!merged.Equals(regionOut[block.EndsRegion]))
                    {
                        regionOut[block.EndsRegion] = merged;
                        changed = true;
                    }
                }
            }

            if (!changed)
            {
                break;
            }
        }

        if (report is not null)
        {
            for (var b = 0; b < n; b++)
            {
                if (blocks[b].Reachable && !ins[b].IsEmpty)
                {
                    Transfer(blocks[b], ins[b], context, report);
                }
            }
        }

        // The summary: the exit block's input, and every state moved into anywhere.
        var exitIn = graph.Exit >= 0 && graph.Exit < n ? ins[graph.Exit] : empty;
        var unmoved = false;
        var exitMoved = Bits.Empty(_count);
        var anyMoved = Bits.Empty(_count);
        for (var s = 0; s < _count; s++)
        {
            unmoved |= exitIn.Contains(2 * s);
            if (exitIn.Contains((2 * s) + 1))
            {
                exitMoved = exitMoved.With(s);
            }

            for (var b = 0; b < n; b++)
            {
                if (alls[b].Contains((2 * s) + 1))
                {
                    anyMoved = anyMoved.With(s);
                    break;
                }
            }
        }

        return new ProcedureSummary(unmoved, exitMoved, anyMoved);
    }

    private static Bits InputOf(
        int b,
        FlowGraph graph,
        BodyContext context,
        List<(int Source, FlowEdge Edge)>[] predecessors,
        Bits[] outs,
        Bits[] tryUnion,
        Bits[] regionOut,
        Bits empty)
    {
        var block = graph.Blocks[b];
        var input = b == graph.Entry ? context.Initial : empty;
        foreach (var (source, edge) in predecessors[b])
        {
            // A branch that runs finally regions arrives in the state the (outermost) finally leaves;
            // a branch on a state guard carries only the states that take it.
            var arriving = edge.ViaFinally >= 0 ? regionOut[edge.ViaFinally] : outs[source];
            input = input.Union(edge.Filter is { } filter ? arriving.Intersect(filter) : arriving);
        }

        foreach (var t in block.EntryFromTries)
        {
            input = input.Union(tryUnion[t]);
        }

        foreach (var r in block.EntryFromRegionOuts)
        {
            input = input.Union(regionOut[r]);
        }

        return input;
    }

    /// <summary>Runs a block's steps: the output and the union of every intermediate value.</summary>
    private (Bits Output, Bits All) Transfer(FlowBlock block, Bits input, BodyContext context, Action<Diagnostic>? report)
    {
        var value = input;
        var all = input;
        foreach (var step in block.Steps)
        {
            if (step.Kind == StepKind.Transition)
            {
                value = Transition(step, value, context, report);
                all = all.Union(value);
            }
            else if (step.Procedure is { } procedure)
            {
                var summary = _summaries.TryGetValue(procedure, out var s) ? s : ProcedureSummary.NoMoves(_count);
                if (report is not null)
                {
                    CheckCall(step, procedure, value, report);
                }

                var after = summary.CanReturnUnmoved ? value : Bits.Empty(2 * _count);
                var during = value;
                for (var t = 0; t < _count; t++)
                {
                    if (summary.ExitMoved.Contains(t))
                    {
                        after = after.With((2 * t) + 1);
                    }

                    if (summary.AnyMoved.Contains(t))
                    {
                        during = during.With((2 * t) + 1);
                    }
                }

                all = all.Union(after).Union(during);
                value = after;
            }
        }

        return (value, all);
    }

    private Bits Transition(FlowStep step, Bits value, BodyContext context, Action<Diagnostic>? report)
    {
        var target = step.Target;
        var result = Bits.Empty(2 * _count);
        var moved = false;
        for (var s = 0; s < _count; s++)
        {
            var unmoved = value.Contains(2 * s);
            var entered = value.Contains((2 * s) + 1);
            if (!unmoved && !entered)
            {
                continue;
            }

            if (s == target)
            {
                // A move to the current state is not a move: nothing to check, the tag stays.
                result = result.Union(value.Intersect(Pair(s)));
                continue;
            }

            moved = true;
            if (report is null)
            {
                continue;
            }

            // One diagnostic per source state: the handler entry check (stricter) first.
            if (unmoved && context.Entries?[s] is { } entry)
            {
                if (!entry.Targets.Contains(target))
                {
                    ReportNotPermitted(step, s, entry.Targets, entry, context.Event, report);
                    continue;
                }
            }
            else if (unmoved && !_model.States[s].Permitted.Contains(target))
            {
                ReportNotPermitted(step, s, _model.States[s].Permitted, null, null, report);
                continue;
            }

            if (entered && !_model.States[s].Permitted.Contains(target))
            {
                ReportNotPermitted(step, s, _model.States[s].Permitted, null, null, report);
            }
        }

        if (target < 0)
        {
            // A constant that names no state: reported above from every state; not followed.
            return value;
        }

        return moved ? result.With((2 * target) + 1) : result;
    }

    private Bits Pair(int s) => Bits.Empty(2 * _count).With(2 * s).With((2 * s) + 1);

    private void ReportNotPermitted(FlowStep step, int source, Bits permitted, HandlesDecl? entry, ITypeSymbol? @event, Action<Diagnostic> report)
    {
        var sourceName = _model.States[source].Name;
        var on = entry is not null && @event is not null ? " on '" + @event.Name + "'" : string.Empty;
        var properties = ImmutableDictionary<string, string?>.Empty;
        var additional = Array.Empty<Location>();
        if (entry is not null && @event is not null && step.Target >= 0 && entry.Attribute.ApplicationSyntaxReference is { } reference)
        {
            var targetType = _model.States[step.Target].Type;
            properties = properties
                .Add(DiagnosticDescriptors.TargetTypeProperty, targetType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .Add(DiagnosticDescriptors.TargetNameProperty, targetType.Name)
                .Add(DiagnosticDescriptors.SourceNameProperty, sourceName)
                .Add(DiagnosticDescriptors.EventNameProperty, @event.Name);
            additional = new[] { reference.SyntaxTree.GetLocation(reference.Span) };
        }

        report(Diagnostic.Create(
            DiagnosticDescriptors.TransitionNotPermitted,
            step.TargetLocation,
            additional,
            properties,
            sourceName,
            step.TargetName,
            on,
            permitted.Format(_model.Names)));
    }

    private void CheckCall(FlowStep step, IMethodSymbol procedure, Bits value, Action<Diagnostic> report)
    {
        var runsFrom = _model.Procedures.TryGetValue(procedure, out var r) ? r : Bits.Empty(_count);
        var outside = Bits.Empty(_count);
        for (var s = 0; s < _count; s++)
        {
            if ((value.Contains(2 * s) || value.Contains((2 * s) + 1)) && !runsFrom.Contains(s))
            {
                outside = outside.With(s);
            }
        }

        if (!outside.IsEmpty)
        {
            report(Diagnostic.Create(
                DiagnosticDescriptors.ProcedureState,
                step.Location,
                procedure.Name,
                outside.Format(_model.Names),
                runsFrom.Format(_model.Names)));
        }
    }

    private sealed class BodyContext
    {
        public BodyContext(Bits initial, HandlesDecl?[]? entries, ITypeSymbol? @event)
        {
            Initial = initial;
            Entries = entries;
            Event = @event;
        }

        public Bits Initial { get; }

        /// <summary>For a handler: per state, its Handles(E) declaration (null when it does not handle E).</summary>
        public HandlesDecl?[]? Entries { get; }

        public ITypeSymbol? Event { get; }
    }
}
