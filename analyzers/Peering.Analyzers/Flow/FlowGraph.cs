using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Peering.Analyzers.Model;

namespace Peering.Analyzers.Flow;

internal enum StepKind
{
    /// <summary>A transition to a constant target.</summary>
    Transition,

    /// <summary>A call to a procedure of the machine.</summary>
    Call,
}

/// <summary>One transition or procedure call made directly (on this machine) in a body, in evaluation order.</summary>
internal sealed class FlowStep
{
    public FlowStep(StepKind kind, int target, string targetName, IMethodSymbol? procedure, Location location, Location targetLocation, bool maybe)
    {
        Kind = kind;
        Target = target;
        TargetName = targetName;
        Procedure = procedure;
        Location = location;
        TargetLocation = targetLocation;
        Maybe = maybe;
    }

    public StepKind Kind { get; }

    /// <summary>For a transition: the target state, or -1 for a constant that names no state.</summary>
    public int Target { get; }

    public string TargetName { get; }

    public IMethodSymbol? Procedure { get; }

    /// <summary>The invocation.</summary>
    public Location Location { get; }

    /// <summary>The target argument (the invocation when it is implicit).</summary>
    public Location TargetLocation { get; }

    /// <summary>
    /// The call may be compiled away: it is (or is an argument of) a call of a <c>[Conditional]</c>
    /// method or of a partial method without an implementation. It is checked, and the machine may
    /// be in its states before or after it.
    /// </summary>
    public bool Maybe { get; }
}

/// <summary>
/// A successor edge. <see cref="ViaFinally"/> is the outermost finally region the branch runs, or -1.
/// <see cref="Guard"/>, when set, is the branch condition: the edge carries only the states for
/// which it may be <see cref="GuardValue"/>.
/// </summary>
internal readonly struct FlowEdge
{
    public FlowEdge(int destination, int viaFinally, StateExpr? guard = null, bool guardValue = false)
    {
        Destination = destination;
        ViaFinally = viaFinally;
        Guard = guard;
        GuardValue = guardValue;
    }

    public int Destination { get; }

    public int ViaFinally { get; }

    public StateExpr? Guard { get; }

    public bool GuardValue { get; }
}

internal sealed class FlowBlock
{
    public FlowBlock(
        bool reachable,
        ImmutableArray<FlowStep> steps,
        ImmutableArray<FlowEdge> successors,
        ImmutableArray<int> contributesTo,
        ImmutableArray<int> entryFromUnions,
        ImmutableArray<int> entryFromRegionOuts,
        int endsRegion)
    {
        Reachable = reachable;
        Steps = steps;
        Successors = successors;
        ContributesTo = contributesTo;
        EntryFromUnions = entryFromUnions;
        EntryFromRegionOuts = entryFromRegionOuts;
        EndsRegion = endsRegion;
    }

    public bool Reachable { get; }

    public ImmutableArray<FlowStep> Steps { get; }

    public ImmutableArray<FlowEdge> Successors { get; }

    /// <summary>Ids of the try and filter regions this block is inside: every state here joins their union.</summary>
    public ImmutableArray<int> ContributesTo { get; }

    /// <summary>This block starts a handler region: ids of the try and filter regions whose unions flow in.</summary>
    public ImmutableArray<int> EntryFromUnions { get; }

    /// <summary>This block starts a catch after a filter: ids of the finally regions (run between them) whose exit states flow in.</summary>
    public ImmutableArray<int> EntryFromRegionOuts { get; }

    /// <summary>Id of the finally region this block ends (falls out of), or -1.</summary>
    public int EndsRegion { get; }
}

/// <summary>
/// The control-flow graph of one handler or procedure body reduced to what the transition data
/// flow needs: per basic block, the transitions and procedure calls in evaluation order, the
/// successors with their state guards, and the exception-handling regions. Holds no operations.
/// </summary>
/// <remarks>
/// Exception handling follows .NET's two-pass unwinding: when an exception leaves a try, the
/// filters of the enclosing catches run first (pass one), then the finally blocks between the
/// throw and the chosen catch (pass two), then that catch. So a filter is entered from every
/// state of its try and of the filters before it; the finally blocks nested in that try are also
/// entered from every state of the filter; a catch after a filter is entered through the
/// filter's true edge (narrowed by it like any guard) and from the exit states of those finally
/// blocks; a catch without a filter is entered from every state of its try and of its filters.
/// </remarks>
internal sealed class FlowGraph
{
    private FlowGraph(ImmutableArray<FlowBlock> blocks, int entry, int exit, int regionCount)
    {
        Blocks = blocks;
        Entry = entry;
        Exit = exit;
        RegionCount = regionCount;
    }

    public ImmutableArray<FlowBlock> Blocks { get; }

    public int Entry { get; }

    public int Exit { get; }

    public int RegionCount { get; }

    public static FlowGraph Build(ControlFlowGraph cfg, IOperation root, MachineModel model, CancellationToken cancellationToken)
    {
        // Transitions and calls are read from the original operation tree (matched by syntax): the
        // graph may have captured receivers and arguments into flow captures.
        var originals = new Dictionary<SyntaxNode, IInvocationOperation>();
        foreach (var op in root.DescendantsAndSelf())
        {
            if (op is IInvocationOperation inv && !originals.ContainsKey(inv.Syntax))
            {
                originals.Add(inv.Syntax, inv);
            }
        }

        var regions = new RegionIds();

        // Pass 1: the steps of every block, and where flow captures and locals are defined.
        var count = cfg.Blocks.Length;
        var blockSteps = new ImmutableArray<FlowStep>[count];
        var branchHasSteps = new bool[count];
        var captures = new Dictionary<CaptureId, List<Definition>>();
        var locals = new Dictionary<ILocalSymbol, List<Definition>>(SymbolEqualityComparer.Default);
        foreach (var block in cfg.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = ImmutableArray.CreateBuilder<FlowStep>();
            var defined = new List<(object Key, IOperation Value, int StepsAfter, bool HasSteps)>();
            foreach (var op in block.Operations)
            {
                var before = steps.Count;
                Collect(op, originals, model, steps);
                var definition = op is IExpressionStatementOperation statement ? statement.Operation : op;
                switch (definition)
                {
                    case IFlowCaptureOperation capture:
                        defined.Add((capture.Id, capture.Value, steps.Count, steps.Count > before));
                        break;
                    case ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation local } assignment:
                        defined.Add((local.Local, assignment.Value, steps.Count, steps.Count > before));
                        break;
                }
            }

            var beforeBranch = steps.Count;
            if (block.BranchValue is { } branchValue)
            {
                Collect(branchValue, originals, model, steps);
            }

            branchHasSteps[block.Ordinal] = steps.Count > beforeBranch;
            blockSteps[block.Ordinal] = steps.ToImmutable();
            foreach (var (key, value, stepsBefore, hasSteps) in defined)
            {
                var d = new Definition(block.Ordinal, steps.Count - stepsBefore, value, hasSteps);
                if (key is CaptureId id)
                {
                    (captures.TryGetValue(id, out var list) ? list : captures[id] = new List<Definition>()).Add(d);
                }
                else if (key is ILocalSymbol local)
                {
                    (locals.TryGetValue(local, out var list) ? list : locals[local] = new List<Definition>()).Add(d);
                }
            }
        }

        var guards = new GuardReader(cfg, model, root, blockSteps, captures, locals, regions);

        // Pass 2: edges (with state guards) and exception-handling regions.
        var blocks = ImmutableArray.CreateBuilder<FlowBlock>(count);
        var entry = 0;
        var exit = count - 1;
        foreach (var block in cfg.Blocks)
        {
            if (block.Kind == BasicBlockKind.Entry)
            {
                entry = block.Ordinal;
            }
            else if (block.Kind == BasicBlockKind.Exit)
            {
                exit = block.Ordinal;
            }

            StateExpr? guard = null;
            if (block.BranchValue is { } condition && block.ConditionalSuccessor is not null
                && block.ConditionKind != ControlFlowConditionKind.None && !branchHasSteps[block.Ordinal])
            {
                guard = guards.Condition(condition, block.Ordinal);
            }

            var whenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            var successors = ImmutableArray.CreateBuilder<FlowEdge>(2);
            AddEdge(block.FallThroughSuccessor, !whenTrue);
            AddEdge(block.ConditionalSuccessor, whenTrue);
            void AddEdge(ControlFlowBranch? branch, bool value)
            {
                if (branch?.Destination is not { } destination)
                {
                    return;
                }

                if (branch.FinallyRegions.Length > 0)
                {
                    // Finally regions run first (and may move): the destination gets their exit states.
                    successors.Add(new FlowEdge(destination.Ordinal, regions.Id(branch.FinallyRegions[branch.FinallyRegions.Length - 1])));
                }
                else
                {
                    successors.Add(new FlowEdge(destination.Ordinal, -1, guard, value));
                }
            }

            var contributes = ImmutableArray.CreateBuilder<int>();
            var unions = ImmutableArray.CreateBuilder<int>();
            var outs = ImmutableArray.CreateBuilder<int>();
            var endsRegion = -1;
            var endsSeh = block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling;
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                switch (region.Kind)
                {
                    case ControlFlowRegionKind.Try or ControlFlowRegionKind.Filter:
                        contributes.Add(regions.Id(region));
                        break;
                    case ControlFlowRegionKind.Finally when endsSeh && endsRegion < 0:
                        endsRegion = regions.Id(region);
                        break;
                }

                if (region.FirstBlockOrdinal != block.Ordinal)
                {
                    continue;
                }

                switch (region.Kind)
                {
                    case ControlFlowRegionKind.Filter when region.EnclosingRegion is { EnclosingRegion: { } tryAndCatch } handler:
                        AddTryAndFilters(tryAndCatch, handler);
                        break;
                    case ControlFlowRegionKind.Catch when region.EnclosingRegion is { Kind: ControlFlowRegionKind.FilterAndHandler } handler:
                        // Reached through the filter's edge; the finally blocks in the try run in between.
                        if (handler.EnclosingRegion is { } owner && Regions.TryOf(owner) is { } protectedRegion)
                        {
                            foreach (var f in Regions.FinallyRegionsIn(protectedRegion))
                            {
                                outs.Add(regions.Id(f));
                            }
                        }

                        break;
                    case ControlFlowRegionKind.Catch when region.EnclosingRegion is { } tryAndCatch:
                        AddTryAndFilters(tryAndCatch, region);
                        break;
                    case ControlFlowRegionKind.Finally when region.EnclosingRegion is { } tryAndFinally:
                        if (Regions.TryOf(tryAndFinally) is { } tried)
                        {
                            unions.Add(regions.Id(tried));
                        }

                        foreach (var filter in Regions.FiltersAround(region))
                        {
                            unions.Add(regions.Id(filter));
                        }

                        break;
                }
            }

            // A handler is entered from every state of the try and of the filters tried before it.
            void AddTryAndFilters(ControlFlowRegion owner, ControlFlowRegion handler)
            {
                if (Regions.TryOf(owner) is { } tried)
                {
                    unions.Add(regions.Id(tried));
                }

                foreach (var filter in Regions.FiltersOf(owner, handler))
                {
                    unions.Add(regions.Id(filter));
                }
            }

            blocks.Add(new FlowBlock(
                block.IsReachable,
                blockSteps[block.Ordinal],
                successors.ToImmutable(),
                contributes.ToImmutable(),
                unions.Distinct().ToImmutableArray(),
                outs.Distinct().ToImmutableArray(),
                endsRegion));
        }

        return new FlowGraph(blocks.MoveToImmutable(), entry, exit, regions.Count);
    }

    /// <summary>A read of the machine's own <c>State</c> (implicit or explicit <c>this</c>).</summary>
    internal static bool IsDirectStateRead(IOperation operation, MachineModel model)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return model.StateProperty is { } state
            && operation is IPropertyReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Property.OriginalDefinition, state.OriginalDefinition)
            && reference.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
    }

    /// <summary>Post-order (evaluation order) walk of one operation of a block; lambdas have no children here.</summary>
    private static void Collect(IOperation op, Dictionary<SyntaxNode, IInvocationOperation> originals, MachineModel model, ImmutableArray<FlowStep>.Builder steps)
    {
        var stack = new Stack<(IOperation Op, bool Expanded)>();
        stack.Push((op, false));
        while (stack.Count > 0)
        {
            var (current, expanded) = stack.Pop();
            if (!expanded)
            {
                stack.Push((current, true));
                var children = current.ChildOperations.ToList();
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push((children[i], false));
                }

                continue;
            }

            if (current is IInvocationOperation flowInvocation)
            {
                var invocation = originals.TryGetValue(flowInvocation.Syntax, out var original) ? original : flowInvocation;
                if (Classify(invocation, model) is { } step)
                {
                    steps.Add(step);
                }
            }
        }
    }

    private static FlowStep? Classify(IInvocationOperation invocation, MachineModel model)
    {
        var method = KnownTypes.Normalize(invocation.TargetMethod);
        if (!IsOnThisMachine(invocation) || model.Handlers.ContainsKey(method))
        {
            return null; // PSM104 / PSM106 (reported by the invocation check)
        }

        var location = invocation.Syntax.GetLocation();
        if (model.Transitions.TryGetValue(method, out var ordinal))
        {
            if (ordinal < 0)
            {
                return null; // no target parameter: nothing to check (the generator reports PSM011)
            }

            IArgumentOperation? argument = null;
            foreach (var a in invocation.Arguments)
            {
                if (a.Parameter?.Ordinal == ordinal)
                {
                    argument = a;
                }
            }

            if (argument is null || TargetConstant(argument.Value) is not { } value)
            {
                return null; // non-constant: PSM102 (reported by the invocation check); not followed
            }

            var targetLocation = argument.IsImplicit ? location : argument.Value.Syntax.GetLocation();
            var maybe = MayBeCompiledAway(invocation);
            return model.Constants.TryGetValue(value, out var constant)
                ? new FlowStep(StepKind.Transition, constant.State, constant.Name, null, location, targetLocation, maybe)
                : new FlowStep(StepKind.Transition, -1, value.ToString(System.Globalization.CultureInfo.InvariantCulture), null, location, targetLocation, maybe);
        }

        if (model.Procedures.ContainsKey(method))
        {
            return new FlowStep(StepKind.Call, -1, string.Empty, method, location, location, MayBeCompiledAway(invocation));
        }

        return null;
    }

    /// <summary>The invocation, or a call it is an argument of, is removed in some builds.</summary>
    private static bool MayBeCompiledAway(IInvocationOperation invocation)
    {
        for (IOperation? p = invocation; p is not null; p = p.Parent)
        {
            if (p is IInvocationOperation call && IsRemovable(call.TargetMethod))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>[Conditional]</c> method (or an override of one), or a partial method without an implementation.</summary>
    private static bool IsRemovable(IMethodSymbol method)
    {
        if (method.IsPartialDefinition && method.PartialImplementationPart is null)
        {
            return true;
        }

        for (var m = method; m is not null; m = m.OverriddenMethod)
        {
            foreach (var a in m.GetAttributes())
            {
                if (a.AttributeClass is { Name: "ConditionalAttribute", ContainingNamespace: { Name: "Diagnostics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The constant value of a transition target, or null when it is not a compile-time constant.</summary>
    public static long? TargetConstant(IOperation value) =>
        value.ConstantValue is { HasValue: true } c ? MachineModel.ToInt64(c.Value) : null;

    /// <summary>The call is made on the machine itself (implicit or explicit <c>this</c>/<c>base</c>), or is static.</summary>
    public static bool IsOnThisMachine(IInvocationOperation invocation) =>
        invocation.Instance is null
        || invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
}

/// <summary>Dense ids for the regions of one graph.</summary>
internal sealed class RegionIds
{
    private readonly Dictionary<ControlFlowRegion, int> _ids = new();

    public int Count => _ids.Count;

    public int Id(ControlFlowRegion region)
    {
        if (!_ids.TryGetValue(region, out var id))
        {
            id = _ids.Count;
            _ids.Add(region, id);
        }

        return id;
    }
}

/// <summary>Navigation of the exception-handling region tree.</summary>
internal static class Regions
{
    /// <summary>The protected (try) region of a TryAndCatch or TryAndFinally region.</summary>
    public static ControlFlowRegion? TryOf(ControlFlowRegion owner) =>
        owner.Kind is ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally
        && owner.NestedRegions.Length > 0 && owner.NestedRegions[0].Kind == ControlFlowRegionKind.Try
            ? owner.NestedRegions[0]
            : null;

    /// <summary>The filter regions of a TryAndCatch region's catch clauses (those before <paramref name="before"/>, when given).</summary>
    public static IEnumerable<ControlFlowRegion> FiltersOf(ControlFlowRegion owner, ControlFlowRegion? before = null)
    {
        if (owner.Kind != ControlFlowRegionKind.TryAndCatch)
        {
            yield break;
        }

        foreach (var handler in owner.NestedRegions)
        {
            if (handler == before)
            {
                yield break;
            }

            if (handler.Kind == ControlFlowRegionKind.FilterAndHandler && handler.NestedRegions.Length > 0
                && handler.NestedRegions[0].Kind == ControlFlowRegionKind.Filter)
            {
                yield return handler.NestedRegions[0];
            }
        }
    }

    /// <summary>Filters that run (first pass) before <paramref name="region"/> when an exception leaves it: those of every try it is in.</summary>
    public static IEnumerable<ControlFlowRegion> FiltersAround(ControlFlowRegion region)
    {
        for (var r = region; r.EnclosingRegion is { } parent; r = parent)
        {
            if (r.Kind == ControlFlowRegionKind.Try)
            {
                foreach (var filter in FiltersOf(parent))
                {
                    yield return filter;
                }
            }
        }
    }

    /// <summary>Every finally region nested (at any depth) in <paramref name="region"/>.</summary>
    public static IEnumerable<ControlFlowRegion> FinallyRegionsIn(ControlFlowRegion region)
    {
        foreach (var nested in region.NestedRegions)
        {
            if (nested.Kind == ControlFlowRegionKind.Finally)
            {
                yield return nested;
            }

            foreach (var inner in FinallyRegionsIn(nested))
            {
                yield return inner;
            }
        }
    }

    /// <summary>
    /// The blocks an exception raised in <paramref name="block"/> may continue at: the handlers of
    /// every try it is in, and for a filter, the other handlers of its try and the finally blocks
    /// nested in that try.
    /// </summary>
    public static IEnumerable<int> ExceptionTargets(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region?.EnclosingRegion is { } parent; region = parent)
        {
            if (region.Kind == ControlFlowRegionKind.Try)
            {
                foreach (var handler in parent.NestedRegions)
                {
                    if (handler != region)
                    {
                        yield return handler.FirstBlockOrdinal;
                    }
                }
            }
            else if (region.Kind == ControlFlowRegionKind.Filter && parent.EnclosingRegion is { } owner)
            {
                foreach (var handler in owner.NestedRegions)
                {
                    if (handler.Kind != ControlFlowRegionKind.Try)
                    {
                        yield return handler.FirstBlockOrdinal;
                    }
                }

                if (TryOf(owner) is { } tried)
                {
                    foreach (var f in FinallyRegionsIn(tried))
                    {
                        yield return f.FirstBlockOrdinal;
                    }
                }
            }
        }
    }
}

/// <summary>Where a flow capture or local is defined: the block, how many steps follow it there, its value, whether the value makes steps.</summary>
internal sealed class Definition
{
    public Definition(int block, int stepsAfter, IOperation value, bool hasSteps)
    {
        Block = block;
        StepsAfter = stepsAfter;
        Value = value;
        HasSteps = hasSteps;
    }

    public int Block { get; }

    public int StepsAfter { get; }

    public IOperation Value { get; }

    public bool HasSteps { get; }
}

/// <summary>
/// Reads state guards: a branch condition becomes a <see cref="StateExpr"/> over the machine's
/// <c>State</c>. A flow capture (the value of a <c>switch</c>, a part of <c>?:</c>, ...) or a local
/// assigned once (a copy <c>var s = State</c>, a <c>bool</c> from a state test) stands for the
/// expression it was defined with (read from the original operation tree, so that a
/// <c>switch</c> or <c>?:</c> the graph split into blocks keeps its per-state meaning) only while
/// no transition or procedure call can have run in that expression, or between its definition
/// and the test on any path (including through exception handlers); otherwise the stored value
/// may no longer describe the state, and it is unknown.
/// </summary>
internal sealed class GuardReader : IExprScope
{
    private readonly ControlFlowGraph _cfg;
    private readonly MachineModel _model;
    private readonly ImmutableArray<FlowStep>[] _steps;
    private readonly Dictionary<CaptureId, List<Definition>> _captures;
    private readonly Dictionary<ILocalSymbol, List<Definition>> _locals;
    private readonly LocalAssignments _assignments;
    private readonly Dictionary<SyntaxNode, IOperation> _originals = new();
    private readonly Dictionary<(int, int), bool> _dirty = new();
    private readonly List<int>[] _exceptionTargets;
    private readonly ExprBuilder _builder;
    private int _use;

    public GuardReader(
        ControlFlowGraph cfg,
        MachineModel model,
        IOperation root,
        ImmutableArray<FlowStep>[] steps,
        Dictionary<CaptureId, List<Definition>> captures,
        Dictionary<ILocalSymbol, List<Definition>> locals,
        RegionIds regions)
    {
        _cfg = cfg;
        _model = model;
        _steps = steps;
        _captures = captures;
        _locals = locals;
        _assignments = new LocalAssignments(root);
        _builder = new ExprBuilder(model, this);
        foreach (var op in root.DescendantsAndSelf())
        {
            // Pre-order: the outermost operation of a syntax node (an implicit conversion before its operand).
            if (!_originals.ContainsKey(op.Syntax))
            {
                _originals.Add(op.Syntax, op);
            }
        }

        _exceptionTargets = new List<int>[cfg.Blocks.Length];
        foreach (var block in cfg.Blocks)
        {
            _exceptionTargets[block.Ordinal] = Regions.ExceptionTargets(block).Distinct().ToList();
        }
    }

    /// <summary>The condition of the branch of <paramref name="block"/> as a state expression, or null when it says nothing about the state.</summary>
    public StateExpr? Condition(IOperation condition, int block)
    {
        _use = block;
        var expr = _builder.Build(condition);
        return expr.IsUnknown ? null : expr;
    }

    public StateExpr Local(ILocalSymbol local)
    {
        if (!_assignments.TryGetInitializer(local, out var initializer) || !_locals.TryGetValue(local, out var definitions)
            || definitions.Count != 1 || MakesSteps(initializer) || !IsStable(definitions[0]))
        {
            return StateExpr.Unknown;
        }

        return _builder.Build(initializer);
    }

    public StateExpr Capture(IFlowCaptureReferenceOperation reference)
    {
        if (!_captures.TryGetValue(reference.Id, out var definitions) || definitions.Count == 0)
        {
            return StateExpr.Unknown;
        }

        foreach (var d in definitions)
        {
            if (!IsStable(d))
            {
                return StateExpr.Unknown;
            }
        }

        // The captured expression as written, when it is in this body and makes no step.
        if (_originals.TryGetValue(reference.Syntax, out var original) && original is not IFlowCaptureReferenceOperation && !MakesSteps(original))
        {
            return _builder.Build(original);
        }

        var values = ImmutableArray.CreateBuilder<StateExpr>(definitions.Count);
        foreach (var d in definitions)
        {
            values.Add(_builder.Build(d.Value));
        }

        return values.Count == 1 ? values[0] : new UnionExpr(values.ToImmutable());
    }

    public StateExpr Parameter(IParameterSymbol parameter) => StateExpr.Unknown;

    private bool MakesSteps(IOperation operation)
    {
        foreach (var op in operation.DescendantsAndSelf())
        {
            if (op is IInvocationOperation invocation && _model.IsStepOrHandler(KnownTypes.Normalize(invocation.TargetMethod)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>No step runs in the definition's value, after it in its block, or on any path from it to the test.</summary>
    private bool IsStable(Definition definition)
    {
        if (definition.HasSteps || definition.StepsAfter > 0)
        {
            return false;
        }

        if (definition.Block == _use)
        {
            return true;
        }

        if (!_dirty.TryGetValue((definition.Block, _use), out var dirty))
        {
            dirty = DirtyPathExists(definition.Block, _use);
            _dirty[(definition.Block, _use)] = dirty;
        }

        return !dirty;
    }

    /// <summary>Whether some path from <paramref name="from"/> to the branch of <paramref name="to"/> (not re-entering from) runs a step.</summary>
    private bool DirtyPathExists(int from, int to)
    {
        var seen = new HashSet<(int, bool)>();
        var work = new Stack<(int Block, bool Dirty)>();
        PushSuccessors(from, dirty: false);
        while (work.Count > 0)
        {
            var (block, dirty) = work.Pop();
            if (block == from || !seen.Add((block, dirty)))
            {
                continue;
            }

            var dirtyAtBranch = dirty || _steps[block].Length > 0;
            if (block == to && dirtyAtBranch)
            {
                return true;
            }

            PushSuccessors(block, dirtyAtBranch);
        }

        return false;

        void PushSuccessors(int block, bool dirty)
        {
            var basic = _cfg.Blocks[block];
            foreach (var branch in new[] { basic.FallThroughSuccessor, basic.ConditionalSuccessor })
            {
                if (branch?.Destination is { } destination)
                {
                    // Finally regions on the way may run steps: treat such a branch as dirty.
                    work.Push((destination.Ordinal, dirty || branch.FinallyRegions.Length > 0));
                }
            }

            // An exception may leave the block after its steps.
            var thrown = dirty || _steps[block].Length > 0;
            foreach (var target in _exceptionTargets[block])
            {
                work.Push((target, thrown));
            }
        }
    }
}
