using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Peering.Analyzers.Model;

namespace Peering.Analyzers.Flow;

/// <summary>What locals, flow captures and parameters stand for where an expression is built.</summary>
internal interface IExprScope
{
    StateExpr Local(ILocalSymbol local);

    StateExpr Capture(IFlowCaptureReferenceOperation reference);

    StateExpr Parameter(IParameterSymbol parameter);
}

/// <summary>
/// Turns an operation into a <see cref="StateExpr"/>: reads of the machine's own <c>State</c>,
/// constants, value-preserving conversions, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>&amp;</c>,
/// <c>|</c>, <c>^</c>, comparisons, <c>?:</c>, <c>is</c> patterns, switch expressions, and calls of
/// methods and property getters of this machine (evaluated later as predicates when their bodies
/// qualify). Anything else is <see cref="StateExpr.Unknown"/>.
/// </summary>
internal sealed class ExprBuilder
{
    private const int MaxDepth = 64;

    private readonly MachineModel _model;
    private readonly IExprScope _scope;
    private int _depth;

    public ExprBuilder(MachineModel model, IExprScope scope)
    {
        _model = model;
        _scope = scope;
    }

    public StateExpr Build(IOperation operation)
    {
        if (_depth >= MaxDepth)
        {
            return StateExpr.Unknown;
        }

        _depth++;
        try
        {
            return BuildCore(operation);
        }
        finally
        {
            _depth--;
        }
    }

    private StateExpr BuildCore(IOperation operation)
    {
        if (operation.ConstantValue.HasValue)
        {
            return ConstantOf(operation.ConstantValue.Value) is { } c ? new ConstantExpr(c) : StateExpr.Unknown;
        }

        if (FlowGraph.IsDirectStateRead(operation, _model))
        {
            return StateExpr.StateRead;
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return PreservesValue(conversion) ? Build(conversion.Operand) : StateExpr.Unknown;
            case IFlowCaptureReferenceOperation capture:
                return _scope.Capture(capture);
            case ILocalReferenceOperation local:
                return _scope.Local(local.Local);
            case IParameterReferenceOperation parameter:
                return _scope.Parameter(parameter.Parameter);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null, IsLifted: false } not when IsBool(not.Operand.Type):
                return new NotExpr(Build(not.Operand));
            case IBinaryOperation binary:
                return BuildBinary(binary);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when conditional.Type is { SpecialType: not SpecialType.System_Void }:
                return new ConditionalExpr(Build(conditional.Condition), Build(conditional.WhenTrue), Build(whenFalse));
            case IIsPatternOperation isPattern:
                return new IsPatternExpr(Build(isPattern.Value), Pattern(isPattern.Pattern));
            case ISwitchExpressionOperation switchExpression:
                var arms = ImmutableArray.CreateBuilder<(StatePattern, StateExpr?, StateExpr)>();
                foreach (var arm in switchExpression.Arms)
                {
                    arms.Add((Pattern(arm.Pattern), arm.Guard is null ? null : Build(arm.Guard), Build(arm.Value)));
                }

                return new SwitchExpr(Build(switchExpression.Value), arms.ToImmutable());
            case IInvocationOperation invocation:
                return BuildCall(invocation.TargetMethod, invocation.Instance, invocation.Arguments);
            case IPropertyReferenceOperation { Property.GetMethod: { } getter, Arguments.Length: 0 } property:
                return BuildCall(getter, property.Instance, ImmutableArray<IArgumentOperation>.Empty);
            default:
                return StateExpr.Unknown;
        }
    }

    private StateExpr BuildBinary(IBinaryOperation binary)
    {
        if (binary.OperatorMethod is not null || binary.IsLifted)
        {
            return StateExpr.Unknown;
        }

        var left = binary.LeftOperand.Type;
        var right = binary.RightOperand.Type;
        var ok = binary.OperatorKind switch
        {
            BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr
                or BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr => IsBool(left) && IsBool(right),
            BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals => IsDiscrete(left) && IsDiscrete(right),
            BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => IsOrdered(left) && IsOrdered(right),
            _ => false,
        };
        return ok ? new BinaryExpr(binary.OperatorKind, Build(binary.LeftOperand), Build(binary.RightOperand)) : StateExpr.Unknown;
    }

    private StateExpr BuildCall(IMethodSymbol target, IOperation? instance, ImmutableArray<IArgumentOperation> arguments)
    {
        var method = KnownTypes.Normalize(target);
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _model.Machine))
        {
            return StateExpr.Unknown;
        }

        var onThis = instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
        var values = new StateExpr[method.Parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = StateExpr.Unknown;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { Ordinal: var ordinal, RefKind: RefKind.None } && ordinal < values.Length)
            {
                values[ordinal] = Build(argument.Value);
            }
        }

        return new CallExpr(method, ImmutableArray.Create(values), onThis);
    }

    /// <summary>A pattern over the discrete values the evaluator knows; anything else may or may not match.</summary>
    public StatePattern Pattern(IPatternOperation pattern)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant when IsDiscrete(pattern.InputType):
                return ConstantOf(constant.Value.ConstantValue is { HasValue: true } c ? c.Value : null) is { } v ? StatePattern.Constant(v) : StatePattern.Unknown;
            case IRelationalPatternOperation relational when IsOrdered(pattern.InputType):
                return relational.Value.ConstantValue is { HasValue: true } rc && ConstantOf(rc.Value) is { } rv
                    && relational.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                        or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
                    ? StatePattern.Compare(relational.OperatorKind, rv)
                    : StatePattern.Unknown;
            case INegatedPatternOperation negated:
                return StatePattern.Not(Pattern(negated.Pattern));
            case IBinaryPatternOperation binary:
                return StatePattern.Both(Pattern(binary.LeftPattern), Pattern(binary.RightPattern), binary.OperatorKind == BinaryOperatorKind.Or);
            case IDiscardPatternOperation:
                return StatePattern.Everything;
            case IDeclarationPatternOperation { MatchesNull: true }:
                return StatePattern.Everything; // var x
            case IDeclarationPatternOperation declaration when IsExactValueType(declaration.MatchedType, pattern.InputType):
                return StatePattern.Everything;
            case ITypePatternOperation type when IsExactValueType(type.MatchedType, pattern.InputType):
                return StatePattern.Everything;
            default:
                return StatePattern.Unknown;
        }
    }

    public static long? ConstantOf(object? value) => value is bool b ? (b ? 1 : 0) : MachineModel.ToInt64(value);

    private static bool IsExactValueType(ITypeSymbol? matched, ITypeSymbol? input) =>
        matched is { IsValueType: true } && input is not null
        && matched.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
        && SymbolEqualityComparer.Default.Equals(matched, input);

    private static bool IsBool(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Boolean;

    /// <summary>Types whose values are integers the evaluator represents exactly (equality).</summary>
    private static bool IsDiscrete(ITypeSymbol? type) => IsBool(type) || Range(type) is not null;

    /// <summary>Types compared correctly as 64-bit signed integers (not ulong and ulong-backed enums).</summary>
    private static bool IsOrdered(ITypeSymbol? type) => Range(type) is { } r && r.Max <= long.MaxValue;

    private static (decimal Min, decimal Max)? Range(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            type = underlying;
        }

        return type?.SpecialType switch
        {
            SpecialType.System_SByte => (sbyte.MinValue, sbyte.MaxValue),
            SpecialType.System_Byte => (byte.MinValue, byte.MaxValue),
            SpecialType.System_Int16 => (short.MinValue, short.MaxValue),
            SpecialType.System_UInt16 => (ushort.MinValue, ushort.MaxValue),
            SpecialType.System_Char => (char.MinValue, char.MaxValue),
            SpecialType.System_Int32 => (int.MinValue, int.MaxValue),
            SpecialType.System_UInt32 => (uint.MinValue, uint.MaxValue),
            SpecialType.System_Int64 => (long.MinValue, long.MaxValue),
            SpecialType.System_UInt64 => (ulong.MinValue, ulong.MaxValue),
            _ => null,
        };
    }

    /// <summary>Identity, and numeric or enum conversions into a type that holds every value of the source.</summary>
    private static bool PreservesValue(IConversionOperation conversion)
    {
        if (conversion.OperatorMethod is not null)
        {
            return false;
        }

        var c = conversion.GetConversion();
        if (c.IsIdentity)
        {
            return true;
        }

        if (!(c.IsNumeric || c.IsEnumeration) || Range(conversion.Operand.Type) is not { } from || Range(conversion.Type) is not { } to)
        {
            return false;
        }

        return to.Min <= from.Min && to.Max >= from.Max;
    }
}

/// <summary>
/// Which locals of a body are assigned exactly once, by their declaration's initializer, and never
/// written otherwise (assignment, <c>++</c>, <c>ref</c>/<c>out</c>, deconstruction, address-of,
/// ref aliasing, also inside lambdas and local functions): only those stand for their initializer.
/// </summary>
internal sealed class LocalAssignments
{
    private readonly Dictionary<ILocalSymbol, IOperation> _single = new(SymbolEqualityComparer.Default);

    public LocalAssignments(IOperation root)
    {
        var initializers = new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);
        var written = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var op in root.DescendantsAndSelf())
        {
            switch (op)
            {
                case IVariableDeclaratorOperation declarator:
                    var init = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    if (init is null || declarator.Symbol.IsRef || initializers.ContainsKey(declarator.Symbol))
                    {
                        written.Add(declarator.Symbol);
                    }
                    else
                    {
                        initializers[declarator.Symbol] = init;
                    }

                    break;
                case ILocalReferenceOperation reference when IsWrite(reference):
                    written.Add(reference.Local);
                    break;
            }
        }

        foreach (var pair in initializers)
        {
            if (pair.Value is not null && !written.Contains(pair.Key))
            {
                _single[pair.Key] = pair.Value;
            }
        }
    }

    public bool TryGetInitializer(ILocalSymbol local, out IOperation initializer) => _single.TryGetValue(local, out initializer!);

    /// <summary>Whether a local or parameter reference is written (assigned, incremented, passed by ref or out, aliased, address taken).</summary>
    public static bool IsWrite(IOperation reference)
    {
        IOperation current = reference;
        while (current.Parent is IDeclarationExpressionOperation or ITupleOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == current || (assignment is ISimpleAssignmentOperation { IsRef: true } && assignment.Value == current),
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            IAddressOfOperation => true,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } } => true,
            _ => false,
        };
    }
}

/// <summary>Reads predicate bodies: the language of <see cref="StateFunction"/>; null for any other body.</summary>
internal sealed class FunctionBuilder : IExprScope
{
    private readonly LocalAssignments _locals;
    private readonly Dictionary<ILocalSymbol, int> _indices = new(SymbolEqualityComparer.Default);
    private readonly ExprBuilder _expressions;
    private readonly HashSet<IParameterSymbol> _writtenParameters = new(SymbolEqualityComparer.Default);

    private FunctionBuilder(MachineModel model, IOperation body)
    {
        _locals = new LocalAssignments(body);
        _expressions = new ExprBuilder(model, this);
        foreach (var op in body.DescendantsAndSelf())
        {
            if (op is IParameterReferenceOperation reference && LocalAssignments.IsWrite(reference))
            {
                _writtenParameters.Add(reference.Parameter);
            }
        }
    }

    /// <summary>
    /// The predicate of <paramref name="method"/> (an ordinary method or property getter of the
    /// machine, whose override cannot change what runs), or null. A body that makes a transition or
    /// calls a procedure or handler is not a predicate.
    /// </summary>
    public static StateFunction? Build(IMethodSymbol method, IOperation body, MachineModel model)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet)
            || method.IsAbstract || method.IsVirtual || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed)
            || method.IsAsync || method.IsExtern || method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return null;
        }

        foreach (var op in body.DescendantsAndSelf())
        {
            if (op is IInvocationOperation invocation && model.IsStepOrHandler(KnownTypes.Normalize(invocation.TargetMethod)))
            {
                return null;
            }
        }

        var builder = new FunctionBuilder(model, body);
        var root = body is IMethodBodyOperation m ? (IOperation?)m.BlockBody ?? m.ExpressionBody : body;
        if (root is null || builder.Statement(root) is not { } statement)
        {
            return null;
        }

        return new StateFunction(statement, builder._indices.Count);
    }

    public StateExpr Local(ILocalSymbol local) => _indices.TryGetValue(local, out var index) ? new LocalExpr(index) : StateExpr.Unknown;

    public StateExpr Capture(IFlowCaptureReferenceOperation reference) => StateExpr.Unknown;

    /// <summary>A by-value parameter the body never writes stands for its argument.</summary>
    public StateExpr Parameter(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None && !_writtenParameters.Contains(parameter) ? new ParameterExpr(parameter.Ordinal) : StateExpr.Unknown;

    private StateStatement? Statement(IOperation operation)
    {
        switch (operation)
        {
            case IBlockOperation block:
                var statements = ImmutableArray.CreateBuilder<StateStatement>();
                foreach (var child in block.Operations)
                {
                    if (Statement(child) is not { } s)
                    {
                        return null;
                    }

                    statements.Add(s);
                }

                return new StateStatement.Block(statements.ToImmutable());
            case IVariableDeclarationGroupOperation group:
                var declarations = ImmutableArray.CreateBuilder<StateStatement>();
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        if (_locals.TryGetInitializer(declarator.Symbol, out var initializer))
                        {
                            var value = _expressions.Build(initializer);
                            var index = _indices.Count;
                            _indices[declarator.Symbol] = index;
                            declarations.Add(new StateStatement.Declare(index, value));
                        }
                    }
                }

                return new StateStatement.Block(declarations.ToImmutable());
            case IConditionalOperation conditional:
                if (Statement(conditional.WhenTrue) is not { } whenTrue)
                {
                    return null;
                }

                StateStatement? whenFalse = null;
                if (conditional.WhenFalse is not null && (whenFalse = Statement(conditional.WhenFalse)) is null)
                {
                    return null;
                }

                return new StateStatement.If(_expressions.Build(conditional.Condition), whenTrue, whenFalse);
            case IReturnOperation { ReturnedValue: { } returned }:
                return new StateStatement.Return(_expressions.Build(returned));
            case IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation }:
                return new StateStatement.Throw();
            case IExpressionStatementOperation or IEmptyOperation or ILocalFunctionOperation:
                return StateStatement.Nothing; // no effect on the value (transitions and calls were excluded)
            default:
                return null;
        }
    }
}
