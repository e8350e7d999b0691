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
    public FlowStep(StepKind kind, int target, string targetName, IMethodSymbol? procedure, Location location, Location targetLocation)
    {
        Kind = kind;
        Target = target;
        TargetName = targetName;
        Procedure = procedure;
        Location = location;
        TargetLocation = targetLocation;
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
}

/// <summary>
/// A successor edge. <see cref="ViaFinally"/> is the outermost finally region the branch runs, or -1.
/// <see cref="Filter"/> (over (state, tag) pairs), when set, keeps only the states for which a
/// state guard (<c>State == X</c>, <c>switch (State)</c>, ...) takes this edge.
/// </summary>
internal readonly struct FlowEdge
{
    public FlowEdge(int destination, int viaFinally, Bits? filter = null)
    {
        Destination = destination;
        ViaFinally = viaFinally;
        Filter = filter;
    }

    public int Destination { get; }

    public int ViaFinally { get; }

    public Bits? Filter { get; }
}

internal sealed class FlowBlock
{
    public FlowBlock(
        bool reachable,
        ImmutableArray<FlowStep> steps,
        ImmutableArray<FlowEdge> successors,
        ImmutableArray<int> enclosingTries,
        ImmutableArray<int> entryFromTries,
        ImmutableArray<int> entryFromRegionOuts,
        int endsRegion)
    {
        Reachable = reachable;
        Steps = steps;
        Successors = successors;
        EnclosingTries = enclosingTries;
        EntryFromTries = entryFromTries;
        EntryFromRegionOuts = entryFromRegionOuts;
        EndsRegion = endsRegion;
    }

    public bool Reachable { get; }

    public ImmutableArray<FlowStep> Steps { get; }

    public ImmutableArray<FlowEdge> Successors { get; }

    /// <summary>Ids of the try regions this block is inside (every state here may reach their handlers).</summary>
    public ImmutableArray<int> EnclosingTries { get; }

    /// <summary>This block starts a catch, filter or finally: ids of the try regions whose states flow in.</summary>
    public ImmutableArray<int> EntryFromTries { get; }

    /// <summary>This block starts a handler after a filter: ids of the filter regions whose exit states flow in.</summary>
    public ImmutableArray<int> EntryFromRegionOuts { get; }

    /// <summary>Id of the finally or filter region this block ends (falls out of), or -1.</summary>
    public int EndsRegion { get; }
}

/// <summary>
/// The control-flow graph of one handler or procedure body reduced to what the transition data
/// flow needs: per basic block, the transitions and procedure calls in evaluation order, the
/// successors, and the exception-handling regions. Holds no operations (only symbols and locations).
/// </summary>
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

        var regionIds = new Dictionary<ControlFlowRegion, int>();
        int Id(ControlFlowRegion region)
        {
            if (!regionIds.TryGetValue(region, out var id))
            {
                id = regionIds.Count;
                regionIds.Add(region, id);
            }

            return id;
        }

        // Pass 1: the steps of every block, and where flow captures are defined.
        var count = cfg.Blocks.Length;
        var blockSteps = new ImmutableArray<FlowStep>[count];
        var branchHasSteps = new bool[count];
        var captures = new Dictionary<CaptureId, List<CaptureDefinition>>();
        foreach (var block in cfg.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = ImmutableArray.CreateBuilder<FlowStep>();
            var defined = new List<(CaptureId Id, int StepsBefore, bool ReadsState)>();
            foreach (var op in block.Operations)
            {
                Collect(op, originals, model, steps);
                if (op is IFlowCaptureOperation capture)
                {
                    defined.Add((capture.Id, steps.Count, IsDirectStateRead(capture.Value, model)));
                }
            }

            var beforeBranch = steps.Count;
            if (block.BranchValue is { } branchValue)
            {
                Collect(branchValue, originals, model, steps);
            }

            branchHasSteps[block.Ordinal] = steps.Count > beforeBranch;
            blockSteps[block.Ordinal] = steps.ToImmutable();
            foreach (var (id, stepsBefore, readsState) in defined)
            {
                if (!captures.TryGetValue(id, out var list))
                {
                    list = new List<CaptureDefinition>();
                    captures.Add(id, list);
                }

                list.Add(new CaptureDefinition(block.Ordinal, steps.Count - stepsBefore, readsState));
            }
        }

        var guards = new GuardReader(cfg, model, blockSteps, captures);

        // Pass 2: edges (with state-guard filters) and exception-handling regions.
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

            // A guard on State splits the states between the two successors.
            Bits? whenConditional = null;
            if (block.BranchValue is { } condition && block.ConditionalSuccessor is not null
                && block.ConditionKind != ControlFlowConditionKind.None && !branchHasSteps[block.Ordinal]
                && guards.Predicate(condition, block.Ordinal) is { } holds)
            {
                whenConditional = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? holds : holds.Complement();
            }

            var successors = ImmutableArray.CreateBuilder<FlowEdge>(2);
            AddEdge(block.FallThroughSuccessor, whenConditional?.Complement());
            AddEdge(block.ConditionalSuccessor, whenConditional);
            void AddEdge(ControlFlowBranch? branch, Bits? statesFilter)
            {
                if (branch?.Destination is not { } destination)
                {
                    return;
                }

                if (branch.FinallyRegions.Length > 0)
                {
                    // Finally regions run first (and may move): the destination gets their exit states.
                    successors.Add(new FlowEdge(destination.Ordinal, Id(branch.FinallyRegions[branch.FinallyRegions.Length - 1])));
                }
                else
                {
                    successors.Add(new FlowEdge(destination.Ordinal, -1, statesFilter is null ? null : PairsOf(statesFilter)));
                }
            }

            var tries = ImmutableArray.CreateBuilder<int>();
            var entryFromTries = ImmutableArray.CreateBuilder<int>();
            var entryFromOuts = ImmutableArray.CreateBuilder<int>();
            var endsRegion = -1;
            var endsSeh = block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling;
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                switch (region.Kind)
                {
                    case ControlFlowRegionKind.Try:
                        tries.Add(Id(region));
                        break;
                    case ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter:
                        if (endsSeh && endsRegion < 0)
                        {
                            endsRegion = Id(region);
                        }

                        break;
                }

                if (region.FirstBlockOrdinal == block.Ordinal
                    && region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally)
                {
                    var parent = region.EnclosingRegion;
                    if (parent is { Kind: ControlFlowRegionKind.FilterAndHandler })
                    {
                        if (region.Kind == ControlFlowRegionKind.Catch)
                        {
                            foreach (var sibling in parent.NestedRegions)
                            {
                                if (sibling.Kind == ControlFlowRegionKind.Filter)
                                {
                                    entryFromOuts.Add(Id(sibling));
                                }
                            }
                        }

                        parent = parent.EnclosingRegion;
                    }

                    if (parent is { Kind: ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally }
                        && parent.NestedRegions.Length > 0 && parent.NestedRegions[0].Kind == ControlFlowRegionKind.Try)
                    {
                        entryFromTries.Add(Id(parent.NestedRegions[0]));
                    }
                }
            }

            blocks.Add(new FlowBlock(
                block.IsReachable,
                blockSteps[block.Ordinal],
                successors.ToImmutable(),
                tries.ToImmutable(),
                entryFromTries.ToImmutable(),
                entryFromOuts.ToImmutable(),
                endsRegion));
        }

        return new FlowGraph(blocks.MoveToImmutable(), entry, exit, regionIds.Count);

        Bits PairsOf(Bits states)
        {
            var pairs = Bits.Empty(2 * states.Length);
            foreach (var s in states.Members())
            {
                pairs = pairs.With(2 * s).With((2 * s) + 1);
            }

            return pairs;
        }
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
        if (!IsOnThisMachine(invocation))
        {
            return null; // PSM104 (reported by the invocation check)
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
            return model.Constants.TryGetValue(value, out var constant)
                ? new FlowStep(StepKind.Transition, constant.State, constant.Name, null, location, targetLocation)
                : new FlowStep(StepKind.Transition, -1, value.ToString(System.Globalization.CultureInfo.InvariantCulture), null, location, targetLocation);
        }

        if (model.Procedures.ContainsKey(method))
        {
            return new FlowStep(StepKind.Call, -1, string.Empty, method, location, location);
        }

        return null;
    }

    /// <summary>The constant value of a transition target, or null when it is not a compile-time constant.</summary>
    public static long? TargetConstant(IOperation value) =>
        value.ConstantValue is { HasValue: true } c ? MachineModel.ToInt64(c.Value) : null;

    /// <summary>The call is made on the machine itself (implicit or explicit <c>this</c>/<c>base</c>), or is static.</summary>
    public static bool IsOnThisMachine(IInvocationOperation invocation) =>
        invocation.Instance is null
        || invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
}

/// <summary>Where a flow capture is defined: the block, how many steps follow it there, whether it reads State.</summary>
internal readonly struct CaptureDefinition
{
    public CaptureDefinition(int block, int stepsAfter, bool readsState)
    {
        Block = block;
        StepsAfter = stepsAfter;
        ReadsState = readsState;
    }

    public int Block { get; }

    public int StepsAfter { get; }

    public bool ReadsState { get; }
}

/// <summary>
/// Reads state guards: a branch condition that tests the machine's <c>State</c> against constants
/// (<c>==</c>, <c>!=</c>, <c>!</c>, constant patterns with <c>not</c>/<c>and</c>/<c>or</c>), directly
/// or through the flow capture of a <c>switch (State)</c>. A capture counts only while no
/// transition or procedure call can have run between it and the test (otherwise the captured
/// value may no longer be the state). Anything else is not a guard (no refinement).
/// </summary>
internal sealed class GuardReader
{
    private readonly ControlFlowGraph _cfg;
    private readonly MachineModel _model;
    private readonly ImmutableArray<FlowStep>[] _steps;
    private readonly Dictionary<CaptureId, List<CaptureDefinition>> _captures;
    private readonly Dictionary<(CaptureId, int), bool> _stable = new();

    public GuardReader(ControlFlowGraph cfg, MachineModel model, ImmutableArray<FlowStep>[] steps, Dictionary<CaptureId, List<CaptureDefinition>> captures)
    {
        _cfg = cfg;
        _model = model;
        _steps = steps;
        _captures = captures;
    }

    /// <summary>The states for which <paramref name="condition"/> is true, or null when it is not a guard.</summary>
    public Bits? Predicate(IOperation condition, int block)
    {
        switch (Strip(condition))
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                return Predicate(not.Operand, block)?.Complement();
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, OperatorMethod: null } binary:
                var set = IsStateRead(binary.LeftOperand, block) ? ConstantStates(binary.RightOperand)
                    : IsStateRead(binary.RightOperand, block) ? ConstantStates(binary.LeftOperand)
                    : null;
                return set is null ? null : binary.OperatorKind == BinaryOperatorKind.Equals ? set : set.Complement();
            case IIsPatternOperation pattern when IsStateRead(pattern.Value, block):
                return PatternStates(pattern.Pattern);
            default:
                return null;
        }
    }

    private Bits? PatternStates(IPatternOperation pattern)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return ConstantStates(constant.Value);
            case INegatedPatternOperation negated:
                return PatternStates(negated.Pattern)?.Complement();
            case IBinaryPatternOperation binary:
                var left = PatternStates(binary.LeftPattern);
                var right = PatternStates(binary.RightPattern);
                if (left is null || right is null)
                {
                    return null;
                }

                return binary.OperatorKind == BinaryOperatorKind.Or ? left.Union(right) : left.Intersect(right);
            default:
                return null;
        }
    }

    /// <summary>The state a constant names ({} for a constant that names no state), or null when not a constant.</summary>
    private Bits? ConstantStates(IOperation operation)
    {
        if (FlowGraph.TargetConstant(Strip(operation)) is not { } value)
        {
            return null;
        }

        var set = Bits.Empty(_model.Count);
        return _model.Constants.TryGetValue(value, out var constant) && constant.State >= 0 ? set.With(constant.State) : set;
    }

    private bool IsStateRead(IOperation operation, int block)
    {
        operation = Strip(operation);
        if (FlowGraph.IsDirectStateRead(operation, _model))
        {
            return true;
        }

        return operation is IFlowCaptureReferenceOperation reference && IsStable(reference.Id, block);
    }

    /// <summary>A single-definition capture of State with no step on any path from it to the test in <paramref name="use"/>.</summary>
    private bool IsStable(CaptureId id, int use)
    {
        if (_stable.TryGetValue((id, use), out var known))
        {
            return known;
        }

        var result = false;
        if (_captures.TryGetValue(id, out var definitions) && definitions.Count == 1 && definitions[0].ReadsState)
        {
            var definition = definitions[0];
            if (use == definition.Block)
            {
                result = definition.StepsAfter == 0;
            }
            else if (definition.StepsAfter == 0)
            {
                result = !DirtyPathExists(definition.Block, use);
            }
        }

        _stable[(id, use)] = result;
        return result;
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
        }
    }

    private static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
