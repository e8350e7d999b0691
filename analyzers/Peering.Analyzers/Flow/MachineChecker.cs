using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Peering.Analyzers.Diagnostics;
using Peering.Analyzers.Model;

namespace Peering.Analyzers.Flow;

/// <summary>
/// The transition data flow of one machine (docs/toolkit.md §3 and §5). The value at a program
/// point is the set of (state, tag) pairs the machine may be in, encoded as bit 2*state+tag: tag 0
/// = "unmoved" (still the state the step started in), tag 1 = "entered" (moved into during this
/// step). A body is analyzed in a context: the event of the step (the handler's event, for
/// procedures the event of the handler that called them) and the pairs it is entered with. A move
/// from an unmoved state is checked against that state's <c>Handles(E)</c> targets; a move from an
/// entered state against its state-level set (every Handles target plus Continues). Procedure
/// calls use summaries per (procedure, event, entry pair), computed on demand to a least fixpoint;
/// the transfer functions distribute over pairs, so per-pair summaries are exact for this domain.
/// </summary>
internal sealed class MachineChecker
{
    private const int MaxRounds = 100_000;

    private readonly MachineModel _model;
    private readonly IReadOnlyDictionary<IMethodSymbol, FlowGraph> _graphs;
    private readonly IReadOnlyDictionary<IMethodSymbol, StateFunction> _functions;
    private readonly int _count;
    private readonly Dictionary<Key, Summary> _summaries = new();
    private readonly Dictionary<StateExpr, (Bits WhenTrue, Bits WhenFalse)> _guards = new();
    private readonly Dictionary<ITypeSymbol, HandlesDecl?[]> _entries = new(SymbolEqualityComparer.Default);
    private bool _changed;

    public MachineChecker(MachineModel model, IReadOnlyDictionary<IMethodSymbol, FlowGraph> graphs, IReadOnlyDictionary<IMethodSymbol, StateFunction> functions)
    {
        _model = model;
        _graphs = graphs;
        _functions = functions;
        _count = model.Count;
    }

    public void Run(Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        // Handlers: every state that handles the event, unmoved.
        var seeds = new List<(FlowGraph Graph, Context Context)>();
        foreach (var pair in _graphs)
        {
            if (_model.Handlers.TryGetValue(pair.Key, out var @event))
            {
                var entries = EntriesOf(@event);
                var initial = Empty;
                for (var s = 0; s < _count; s++)
                {
                    if (entries[s] is not null)
                    {
                        initial = initial.With(2 * s);
                    }
                }

                seeds.Add((pair.Value, new Context(initial, entries, @event)));
            }
        }

        Solve(seeds, cancellationToken);

        // Procedures no handler reaches are still checked, from their RunsFrom states (as entered: the
        // state-level sets), so that a body is never silently skipped.
        var reached = new HashSet<IMethodSymbol>(_summaries.Keys.Select(k => k.Procedure), SymbolEqualityComparer.Default);
        foreach (var pair in _graphs)
        {
            if (!_model.Handlers.ContainsKey(pair.Key) && _model.Procedures.TryGetValue(pair.Key, out var runsFrom) && !reached.Contains(pair.Key))
            {
                var initial = Empty;
                foreach (var s in runsFrom.Members())
                {
                    initial = initial.With((2 * s) + 1);
                }

                seeds.Add((pair.Value, new Context(initial, null, null)));
            }
        }

        Solve(seeds, cancellationToken);

        // Reporting: every seed, and every procedure once per event with all its entry pairs.
        var sink = new Sink(_model);
        foreach (var (graph, context) in seeds)
        {
            Analyze(graph, context, sink, cancellationToken);
        }

        foreach (var group in _summaries.Keys.GroupBy(k => (k.Procedure, k.Event), ProcedureEventComparer.Instance))
        {
            var initial = Empty;
            foreach (var key in group)
            {
                initial = initial.With(key.Pair);
            }

            var @event = group.Key.Event;
            Analyze(_graphs[group.Key.Procedure], new Context(initial, @event is null ? null : EntriesOf(@event), @event), sink, cancellationToken);
        }

        sink.Flush(report);
    }

    private Bits Empty => Bits.Empty(2 * _count);

    private HandlesDecl?[] EntriesOf(ITypeSymbol? @event)
    {
        if (@event is null)
        {
            return new HandlesDecl?[_count];
        }

        if (!_entries.TryGetValue(@event, out var entries))
        {
            entries = _model.EntryDeclarations(@event);
            _entries[@event] = entries;
        }

        return entries;
    }

    /// <summary>Rounds over the seeds and every demanded procedure context until no summary changes.</summary>
    private void Solve(List<(FlowGraph Graph, Context Context)> seeds, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            _changed = false;
            foreach (var (graph, context) in seeds)
            {
                Analyze(graph, context, null, cancellationToken);
            }

            foreach (var key in _summaries.Keys.ToList())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var @event = key.Event;
                var result = Analyze(_graphs[key.Procedure], new Context(Empty.With(key.Pair), @event is null ? null : EntriesOf(@event), @event), null, cancellationToken);
                var joined = _summaries[key].Join(result);
                if (!joined.Equals(_summaries[key]))
                {
                    _summaries[key] = joined;
                    _changed = true;
                }
            }

            if (!_changed)
            {
                return;
            }
        }
    }

    private Summary Demand(IMethodSymbol procedure, ITypeSymbol? @event, int pair)
    {
        var key = new Key(procedure, @event, pair);
        if (!_summaries.TryGetValue(key, out var summary))
        {
            summary = new Summary(Empty, Empty);
            _summaries[key] = summary;
            _changed = true;
        }

        return summary;
    }

    /// <summary>The fixpoint over one body; with <paramref name="sink"/>, a final reporting pass.</summary>
    private Summary Analyze(FlowGraph graph, Context context, Sink? sink, CancellationToken cancellationToken)
    {
        var blocks = graph.Blocks;
        var n = blocks.Length;
        var empty = Empty;
        var predecessors = new List<(int Source, Bits? Filter, int ViaFinally)>[n];
        for (var b = 0; b < n; b++)
        {
            predecessors[b] = new List<(int, Bits?, int)>();
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
                    predecessors[edge.Destination].Add((b, FilterOf(edge), edge.ViaFinally));
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

        var unions = new Bits[graph.RegionCount];
        var regionOut = new Bits[graph.RegionCount];
        for (var r = 0; r < graph.RegionCount; r++)
        {
            unions[r] = regionOut[r] = empty;
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

                var input = b == graph.Entry ? context.Initial : empty;
                foreach (var (source, filter, viaFinally) in predecessors[b])
                {
                    // A branch that runs finally regions arrives in the state the (outermost) finally leaves;
                    // a branch on a state guard carries only the states that take it.
                    var arriving = viaFinally >= 0 ? regionOut[viaFinally] : outs[source];
                    input = input.Union(filter is null ? arriving : arriving.Intersect(filter));
                }

                foreach (var r in block.EntryFromUnions)
                {
                    input = input.Union(unions[r]);
                }

                foreach (var r in block.EntryFromRegionOuts)
                {
                    input = input.Union(regionOut[r]);
                }

                var (output, all) = Transfer(block, input, context, null);
                if (!input.Equals(ins[b]) || !output.Equals(outs[b]) || !all.Equals(alls[b]))
                {
                    ins[b] = input;
                    outs[b] = output;
                    alls[b] = all;
                    changed = true;
                }

                foreach (var r in block.ContributesTo)
                {
                    var merged = unions[r].Union(all);
                    if (!merged.Equals(unions[r]))
                    {
                        unions[r] = merged;
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

        if (sink is not null)
        {
            for (var b = 0; b < n; b++)
            {
                if (blocks[b].Reachable && !ins[b].IsEmpty)
                {
                    Transfer(blocks[b], ins[b], context, sink);
                }
            }
        }

        var exit = graph.Exit >= 0 && graph.Exit < n ? ins[graph.Exit] : empty;
        var during = empty;
        for (var b = 0; b < n; b++)
        {
            during = during.Union(alls[b]);
        }

        return new Summary(exit, during);
    }

    /// <summary>The pairs a guarded edge carries (null: every pair).</summary>
    private Bits? FilterOf(FlowEdge edge)
    {
        if (edge.Guard is not { } guard)
        {
            return null;
        }

        if (!_guards.TryGetValue(guard, out var sets))
        {
            var whenTrue = Bits.Empty(_count);
            var whenFalse = Bits.Empty(_count);
            for (var s = 0; s < _count; s++)
            {
                var values = guard.Eval(new EvalContext(_model.StateValues[s], _functions));
                if (values.MayBeTrue)
                {
                    whenTrue = whenTrue.With(s);
                }

                if (values.MayBeFalse)
                {
                    whenFalse = whenFalse.With(s);
                }
            }

            sets = (whenTrue, whenFalse);
            _guards[guard] = sets;
        }

        var states = edge.GuardValue ? sets.WhenTrue : sets.WhenFalse;
        var pairs = Empty;
        foreach (var s in states.Members())
        {
            pairs = pairs.With(2 * s).With((2 * s) + 1);
        }

        return pairs;
    }

    /// <summary>Runs a block's steps: the output and the union of every intermediate value.</summary>
    private (Bits Output, Bits All) Transfer(FlowBlock block, Bits input, Context context, Sink? sink)
    {
        var value = input;
        var all = input;
        foreach (var step in block.Steps)
        {
            Bits after;
            if (step.Kind == StepKind.Transition)
            {
                after = Transition(step, value, context, sink);
                all = all.Union(after);
            }
            else if (step.Procedure is { } procedure)
            {
                var runsFrom = _model.Procedures.TryGetValue(procedure, out var r) ? r : Bits.Empty(_count);
                sink?.Call(step, procedure, value, runsFrom);
                var hasBody = _graphs.ContainsKey(procedure);
                after = Empty;
                foreach (var pair in value.Members())
                {
                    if (!hasBody || !runsFrom.Contains(pair / 2))
                    {
                        // No body (it cannot move), or outside RunsFrom (PSM103): not followed.
                        after = after.With(pair);
                        continue;
                    }

                    var summary = Demand(procedure, context.Event, pair);
                    after = after.Union(summary.Exit);
                    all = all.Union(summary.During);
                }

                all = all.Union(after);
            }
            else
            {
                continue;
            }

            // A call that may be compiled away leaves the machine where it was, or where the call leaves it.
            value = step.Maybe ? value.Union(after) : after;
        }

        return (value, all);
    }

    private Bits Transition(FlowStep step, Bits value, Context context, Sink? sink)
    {
        var target = step.Target;
        var result = Empty;
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
                result = result.Union(value.Intersect(Empty.With(2 * s).With((2 * s) + 1)));
                continue;
            }

            moved = true;
            if (sink is null)
            {
                continue;
            }

            if (unmoved)
            {
                if (context.Entries?[s] is { } entry)
                {
                    if (!entry.Targets.Contains(target))
                    {
                        sink.NotPermitted(step, s, entry.Targets, entry, context.Event);
                    }
                }
                else if (!_model.States[s].Permitted.Contains(target))
                {
                    sink.NotPermitted(step, s, _model.States[s].Permitted, null, null);
                }
            }

            if (entered && !_model.States[s].Permitted.Contains(target))
            {
                sink.NotPermitted(step, s, _model.States[s].Permitted, null, null);
            }
        }

        if (target < 0)
        {
            // A constant that names no state: reported above from every state; not followed.
            return value;
        }

        return moved ? result.With((2 * target) + 1) : result;
    }

    /// <summary>A procedure's effect from one entry pair: the pairs it may return in, and every pair it may pass through.</summary>
    private sealed class Summary : IEquatable<Summary>
    {
        public Summary(Bits exit, Bits during)
        {
            Exit = exit;
            During = during;
        }

        public Bits Exit { get; }

        public Bits During { get; }

        public Summary Join(Summary other) => new(Exit.Union(other.Exit), During.Union(other.During));

        public bool Equals(Summary? other) => other is not null && Exit.Equals(other.Exit) && During.Equals(other.During);

        public override bool Equals(object? obj) => Equals(obj as Summary);

        public override int GetHashCode() => Exit.GetHashCode() ^ (During.GetHashCode() * 7);
    }

    /// <summary>A procedure context: the procedure, the step's event (null: not reached from any handler), one entry pair.</summary>
    private readonly struct Key : IEquatable<Key>
    {
        public Key(IMethodSymbol procedure, ITypeSymbol? @event, int pair)
        {
            Procedure = procedure;
            Event = @event;
            Pair = pair;
        }

        public IMethodSymbol Procedure { get; }

        public ITypeSymbol? Event { get; }

        public int Pair { get; }

        public bool Equals(Key other) =>
            SymbolEqualityComparer.Default.Equals(Procedure, other.Procedure)
            && SymbolEqualityComparer.Default.Equals(Event, other.Event)
            && Pair == other.Pair;

        public override bool Equals(object? obj) => obj is Key k && Equals(k);

        public override int GetHashCode() =>
            (SymbolEqualityComparer.Default.GetHashCode(Procedure) * 31) ^ (Event is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Event) * 7) ^ Pair;
    }

    private sealed class ProcedureEventComparer : IEqualityComparer<(IMethodSymbol Procedure, ITypeSymbol? Event)>
    {
        public static readonly ProcedureEventComparer Instance = new();

        public bool Equals((IMethodSymbol Procedure, ITypeSymbol? Event) x, (IMethodSymbol Procedure, ITypeSymbol? Event) y) =>
            SymbolEqualityComparer.Default.Equals(x.Procedure, y.Procedure) && SymbolEqualityComparer.Default.Equals(x.Event, y.Event);

        public int GetHashCode((IMethodSymbol Procedure, ITypeSymbol? Event) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Procedure) ^ (obj.Event is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(obj.Event));
    }

    private sealed class Context
    {
        public Context(Bits initial, HandlesDecl?[]? entries, ITypeSymbol? @event)
        {
            Initial = initial;
            Entries = entries;
            Event = @event;
        }

        public Bits Initial { get; }

        /// <summary>Per state, its Handles(E) declaration for the step's event (null when it does not handle E, or no event).</summary>
        public HandlesDecl?[]? Entries { get; }

        public ITypeSymbol? Event { get; }
    }

    /// <summary>
    /// Collects the findings of every context and reports each once: PSM101 per (location, source,
    /// target, event), dropping the state-level finding where an event-specific one exists; PSM103
    /// per call, with the states of every context joined.
    /// </summary>
    private sealed class Sink
    {
        private readonly MachineModel _model;
        private readonly Dictionary<(Location, int, string, string?), (FlowStep Step, Bits Permitted, HandlesDecl? Entry, ITypeSymbol? Event)> _notPermitted = new();
        private readonly Dictionary<Location, (FlowStep Step, IMethodSymbol Procedure, Bits Outside, Bits RunsFrom)> _calls = new();

        public Sink(MachineModel model) => _model = model;

        public void NotPermitted(FlowStep step, int source, Bits permitted, HandlesDecl? entry, ITypeSymbol? @event)
        {
            var key = (step.TargetLocation, source, step.TargetName, entry is null ? null : @event?.ToDisplayString());
            if (!_notPermitted.ContainsKey(key))
            {
                _notPermitted[key] = (step, permitted, entry, entry is null ? null : @event);
            }
        }

        public void Call(FlowStep step, IMethodSymbol procedure, Bits value, Bits runsFrom)
        {
            var outside = Bits.Empty(runsFrom.Length);
            for (var s = 0; s < runsFrom.Length; s++)
            {
                if ((value.Contains(2 * s) || value.Contains((2 * s) + 1)) && !runsFrom.Contains(s))
                {
                    outside = outside.With(s);
                }
            }

            if (outside.IsEmpty)
            {
                return;
            }

            _calls[step.Location] = _calls.TryGetValue(step.Location, out var prior)
                ? (prior.Step, procedure, prior.Outside.Union(outside), runsFrom)
                : (step, procedure, outside, runsFrom);
        }

        public void Flush(Action<Diagnostic> report)
        {
            var diagnostics = new List<Diagnostic>();
            foreach (var pair in _notPermitted)
            {
                var (location, source, target, @event) = pair.Key;
                if (@event is null && _notPermitted.Keys.Any(k => k.Item1 == location && k.Item2 == source && k.Item3 == target && k.Item4 is not null))
                {
                    continue;
                }

                diagnostics.Add(NotPermittedDiagnostic(pair.Value.Step, source, pair.Value.Permitted, pair.Value.Entry, pair.Value.Event));
            }

            foreach (var call in _calls.Values)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.ProcedureState,
                    call.Step.Location,
                    call.Procedure.Name,
                    call.Outside.Format(_model.Names),
                    call.RunsFrom.Format(_model.Names)));
            }

            foreach (var d in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal))
            {
                report(d);
            }
        }

        private Diagnostic NotPermittedDiagnostic(FlowStep step, int source, Bits permitted, HandlesDecl? entry, ITypeSymbol? @event)
        {
            var sourceName = _model.States[source].Name;
            var on = entry is not null && @event is not null ? " on '" + @event.Name + "'" + (entry.Inherited ? " (the machine's default)" : string.Empty) : string.Empty;
            var properties = ImmutableDictionary<string, string?>.Empty;
            var additional = Array.Empty<Location>();

            // The code fix adds the target to the entry's own Handles; not to a default, where it
            // would permit the move from every state that inherits it.
            if (entry is { Inherited: false } && @event is not null && step.Target >= 0 && entry.Attribute.ApplicationSyntaxReference is { } reference)
            {
                var targetType = _model.States[step.Target].Type;
                properties = properties
                    .Add(DiagnosticDescriptors.TargetTypeProperty, targetType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                    .Add(DiagnosticDescriptors.TargetNameProperty, targetType.Name)
                    .Add(DiagnosticDescriptors.SourceNameProperty, sourceName)
                    .Add(DiagnosticDescriptors.EventNameProperty, @event.Name);
                additional = new[] { reference.SyntaxTree.GetLocation(reference.Span) };
            }

            return Diagnostic.Create(
                DiagnosticDescriptors.TransitionNotPermitted,
                step.TargetLocation,
                additional,
                properties,
                sourceName,
                step.TargetName,
                on,
                permitted.Format(_model.Names));
        }
    }
}
