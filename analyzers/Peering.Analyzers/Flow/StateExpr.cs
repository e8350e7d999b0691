using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Peering.Analyzers.Flow;

/// <summary>
/// The values an expression may have, for one fixed machine state: a finite set of integral, enum
/// or bool constants (as 64-bit integers, false = 0, true = 1), or <see cref="Any"/>.
/// </summary>
internal sealed class Values
{
    private const int MaxCount = 64;

    private readonly long[]? _items; // sorted, distinct; null = any value

    private Values(long[]? items) => _items = items;

    public static Values Any { get; } = new(null);

    public static Values None { get; } = new(Array.Empty<long>());

    public static Values True { get; } = new(new[] { 1L });

    public static Values False { get; } = new(new[] { 0L });

    public static Values Bool { get; } = new(new[] { 0L, 1L });

    public bool IsAny => _items is null;

    public IReadOnlyList<long> Items => _items ?? Array.Empty<long>();

    public static Values Of(long value) => new(new[] { value });

    public static Values OfBool(bool value) => value ? True : False;

    public bool May(long value) => _items is null || Array.BinarySearch(_items, value) >= 0;

    public bool MayBeTrue => May(1);

    public bool MayBeFalse => May(0);

    public Values Union(Values other)
    {
        if (_items is null || other._items is null)
        {
            return Any;
        }

        if (other._items.Length == 0)
        {
            return this;
        }

        if (_items.Length == 0)
        {
            return other;
        }

        var merged = _items.Concat(other._items).Distinct().OrderBy(v => v).ToArray();
        return merged.Length > MaxCount ? Any : new Values(merged);
    }

    public static Values FromSet(HashSet<long> set) =>
        set.Count > MaxCount ? Any : new Values(set.OrderBy(v => v).ToArray());
}

/// <summary>Tri-state result of matching a pattern against a value.</summary>
internal enum MatchResult
{
    No,
    Yes,
    Maybe,
}

/// <summary>
/// What a body's condition or a predicate's result is, as far as it depends on the machine's
/// state: a small expression language evaluated once per state (every <see cref="StateRead"/> is
/// that state; everything the language cannot express is <see cref="Unknown"/>, any value).
/// Built from operations (<see cref="ExprBuilder"/>), evaluated at the machine's symbol end, when
/// every predicate body of the machine has been read.
/// </summary>
internal abstract class StateExpr
{
    public static StateExpr Unknown { get; } = new AnyExpr();

    public static StateExpr StateRead { get; } = new StateReadExpr();

    public bool IsUnknown => this is AnyExpr;

    public abstract Values Eval(EvalContext context);

    private sealed class AnyExpr : StateExpr
    {
        public override Values Eval(EvalContext context) => Values.Any;
    }

    private sealed class StateReadExpr : StateExpr
    {
        public override Values Eval(EvalContext context) =>
            context.StateValue is { } v ? Values.Of(v) : Values.Any;
    }
}

internal sealed class ConstantExpr : StateExpr
{
    private readonly long _value;

    public ConstantExpr(long value) => _value = value;

    public override Values Eval(EvalContext context) => Values.Of(_value);
}

internal sealed class ParameterExpr : StateExpr
{
    private readonly int _ordinal;

    public ParameterExpr(int ordinal) => _ordinal = ordinal;

    public override Values Eval(EvalContext context) =>
        _ordinal < context.Arguments.Length ? context.Arguments[_ordinal] : Values.Any;
}

internal sealed class LocalExpr : StateExpr
{
    private readonly int _index;

    public LocalExpr(int index) => _index = index;

    public override Values Eval(EvalContext context) =>
        _index < context.Locals.Length && context.Locals[_index] is { } v ? v : Values.Any;
}

internal sealed class NotExpr : StateExpr
{
    private readonly StateExpr _operand;

    public NotExpr(StateExpr operand) => _operand = operand;

    public override Values Eval(EvalContext context)
    {
        var v = _operand.Eval(context);
        return v.MayBeTrue && v.MayBeFalse ? Values.Bool : v.MayBeTrue ? Values.False : v.MayBeFalse ? Values.True : Values.None;
    }
}

/// <summary>One of the value sets: the values of any member of a list (a flow capture with several definitions).</summary>
internal sealed class UnionExpr : StateExpr
{
    private readonly ImmutableArray<StateExpr> _operands;

    public UnionExpr(ImmutableArray<StateExpr> operands) => _operands = operands;

    public override Values Eval(EvalContext context)
    {
        var result = Values.None;
        foreach (var operand in _operands)
        {
            result = result.Union(operand.Eval(context));
            if (result.IsAny)
            {
                break;
            }
        }

        return result;
    }
}

internal sealed class ConditionalExpr : StateExpr
{
    private readonly StateExpr _condition;
    private readonly StateExpr _whenTrue;
    private readonly StateExpr _whenFalse;

    public ConditionalExpr(StateExpr condition, StateExpr whenTrue, StateExpr whenFalse)
    {
        _condition = condition;
        _whenTrue = whenTrue;
        _whenFalse = whenFalse;
    }

    public override Values Eval(EvalContext context)
    {
        var c = _condition.Eval(context);
        var result = c.MayBeTrue ? _whenTrue.Eval(context) : Values.None;
        return c.MayBeFalse ? result.Union(_whenFalse.Eval(context)) : result;
    }
}

/// <summary>Comparisons (signed or small unsigned operands) and the bool operators.</summary>
internal sealed class BinaryExpr : StateExpr
{
    private const int MaxPairs = 512;

    private readonly BinaryOperatorKind _operator;
    private readonly StateExpr _left;
    private readonly StateExpr _right;

    public BinaryExpr(BinaryOperatorKind @operator, StateExpr left, StateExpr right)
    {
        _operator = @operator;
        _left = left;
        _right = right;
    }

    public override Values Eval(EvalContext context)
    {
        var left = _left.Eval(context);
        switch (_operator)
        {
            case BinaryOperatorKind.ConditionalAnd:
                // Short-circuit: the right operand matters only when the left may be true.
                return (left.MayBeFalse ? Values.False : Values.None).Union(left.MayBeTrue ? Bools(_right.Eval(context)) : Values.None);
            case BinaryOperatorKind.ConditionalOr:
                return (left.MayBeTrue ? Values.True : Values.None).Union(left.MayBeFalse ? Bools(_right.Eval(context)) : Values.None);
        }

        var right = _right.Eval(context);
        if (left.IsAny || right.IsAny || left.Items.Count * right.Items.Count > MaxPairs)
        {
            return Values.Bool;
        }

        var results = new HashSet<long>();
        foreach (var l in left.Items)
        {
            foreach (var r in right.Items)
            {
                results.Add(Apply(l, r) ? 1 : 0);
            }
        }

        return Values.FromSet(results);
    }

    private static Values Bools(Values v) => v.IsAny ? Values.Bool : v;

    private bool Apply(long l, long r) => _operator switch
    {
        BinaryOperatorKind.Equals => l == r,
        BinaryOperatorKind.NotEquals => l != r,
        BinaryOperatorKind.LessThan => l < r,
        BinaryOperatorKind.LessThanOrEqual => l <= r,
        BinaryOperatorKind.GreaterThan => l > r,
        BinaryOperatorKind.GreaterThanOrEqual => l >= r,
        BinaryOperatorKind.And => l != 0 && r != 0,
        BinaryOperatorKind.Or => l != 0 || r != 0,
        BinaryOperatorKind.ExclusiveOr => (l != 0) != (r != 0),
        _ => throw new InvalidOperationException("Unsupported operator " + _operator),
    };
}

internal sealed class IsPatternExpr : StateExpr
{
    private readonly StateExpr _value;
    private readonly StatePattern _pattern;

    public IsPatternExpr(StateExpr value, StatePattern pattern)
    {
        _value = value;
        _pattern = pattern;
    }

    public override Values Eval(EvalContext context)
    {
        var value = _value.Eval(context);
        if (value.IsAny)
        {
            return _pattern.MatchesEverything ? Values.True : Values.Bool;
        }

        var yes = false;
        var no = false;
        foreach (var v in value.Items)
        {
            switch (_pattern.Match(v))
            {
                case MatchResult.Yes:
                    yes = true;
                    break;
                case MatchResult.No:
                    no = true;
                    break;
                default:
                    yes = no = true;
                    break;
            }
        }

        return yes && no ? Values.Bool : yes ? Values.True : no ? Values.False : Values.None;
    }
}

/// <summary>A switch expression: the values of every arm some value may select.</summary>
internal sealed class SwitchExpr : StateExpr
{
    private readonly StateExpr _value;
    private readonly ImmutableArray<(StatePattern Pattern, StateExpr? Guard, StateExpr Value)> _arms;

    public SwitchExpr(StateExpr value, ImmutableArray<(StatePattern Pattern, StateExpr? Guard, StateExpr Value)> arms)
    {
        _value = value;
        _arms = arms;
    }

    public override Values Eval(EvalContext context)
    {
        var value = _value.Eval(context);
        var result = Values.None;
        if (value.IsAny)
        {
            foreach (var arm in _arms)
            {
                result = result.Union(arm.Value.Eval(context));
                if (arm.Pattern.MatchesEverything && arm.Guard is null)
                {
                    break;
                }
            }

            return result;
        }

        foreach (var v in value.Items)
        {
            foreach (var arm in _arms)
            {
                var match = arm.Pattern.Match(v);
                if (match == MatchResult.No)
                {
                    continue;
                }

                var guard = arm.Guard?.Eval(context) ?? Values.True;
                if (guard.MayBeTrue)
                {
                    result = result.Union(arm.Value.Eval(context));
                }

                if (match == MatchResult.Yes && !guard.MayBeFalse)
                {
                    break;
                }
            }
        }

        return result;
    }
}

/// <summary>A call of a predicate (a method or property getter of the machine whose body the evaluator reads).</summary>
internal sealed class CallExpr : StateExpr
{
    private const int MaxDepth = 8;

    private readonly IMethodSymbol _method;
    private readonly ImmutableArray<StateExpr> _arguments;
    private readonly bool _onThisMachine;

    public CallExpr(IMethodSymbol method, ImmutableArray<StateExpr> arguments, bool onThisMachine)
    {
        _method = method;
        _arguments = arguments;
        _onThisMachine = onThisMachine;
    }

    public override Values Eval(EvalContext context)
    {
        if (context.Depth >= MaxDepth || context.Functions is null || !context.Functions.TryGetValue(_method, out var function))
        {
            return Values.Any;
        }

        var arguments = new Values[_arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _arguments[i].Eval(context);
        }

        // On another instance, the function's State reads are that instance's state: unknown.
        var state = _onThisMachine ? context.StateValue : null;
        return function.Invoke(new EvalContext(state, context.Functions, arguments, context.Depth + 1));
    }
}

/// <summary>Evaluation input: the machine state's enum value (null: unknown), the predicates, and a function's frame.</summary>
internal sealed class EvalContext
{
    public EvalContext(long? stateValue, IReadOnlyDictionary<IMethodSymbol, StateFunction>? functions, Values[]? arguments = null, int depth = 0)
    {
        StateValue = stateValue;
        Functions = functions;
        Arguments = arguments ?? Array.Empty<Values>();
        Depth = depth;
    }

    public long? StateValue { get; }

    public IReadOnlyDictionary<IMethodSymbol, StateFunction>? Functions { get; }

    public Values[] Arguments { get; }

    public Values?[] Locals { get; set; } = Array.Empty<Values?>();

    public int Depth { get; }
}

/// <summary>A pattern over integral values: constants, relational, not/and/or, and what matches everything.</summary>
internal abstract class StatePattern
{
    public static StatePattern Everything { get; } = new Fixed(MatchResult.Yes);

    public static StatePattern Unknown { get; } = new Fixed(MatchResult.Maybe);

    public bool MatchesEverything => this is Fixed { Result: MatchResult.Yes };

    public abstract MatchResult Match(long value);

    public static StatePattern Constant(long c) => new Relational(BinaryOperatorKind.Equals, c);

    public static StatePattern Compare(BinaryOperatorKind op, long c) => new Relational(op, c);

    public static StatePattern Not(StatePattern p) => new Negated(p);

    public static StatePattern Both(StatePattern l, StatePattern r, bool or) => new Combined(l, r, or);

    private sealed class Fixed : StatePattern
    {
        public Fixed(MatchResult result) => Result = result;

        public MatchResult Result { get; }

        public override MatchResult Match(long value) => Result;
    }

    private sealed class Relational : StatePattern
    {
        private readonly BinaryOperatorKind _op;
        private readonly long _c;

        public Relational(BinaryOperatorKind op, long c)
        {
            _op = op;
            _c = c;
        }

        public override MatchResult Match(long value) => (_op switch
        {
            BinaryOperatorKind.Equals => value == _c,
            BinaryOperatorKind.LessThan => value < _c,
            BinaryOperatorKind.LessThanOrEqual => value <= _c,
            BinaryOperatorKind.GreaterThan => value > _c,
            BinaryOperatorKind.GreaterThanOrEqual => value >= _c,
            _ => throw new InvalidOperationException("Unsupported relational pattern " + _op),
        }) ? MatchResult.Yes : MatchResult.No;
    }

    private sealed class Negated : StatePattern
    {
        private readonly StatePattern _p;

        public Negated(StatePattern p) => _p = p;

        public override MatchResult Match(long value) => _p.Match(value) switch
        {
            MatchResult.Yes => MatchResult.No,
            MatchResult.No => MatchResult.Yes,
            _ => MatchResult.Maybe,
        };
    }

    private sealed class Combined : StatePattern
    {
        private readonly StatePattern _l;
        private readonly StatePattern _r;
        private readonly bool _or;

        public Combined(StatePattern l, StatePattern r, bool or)
        {
            _l = l;
            _r = r;
            _or = or;
        }

        public override MatchResult Match(long value)
        {
            var l = _l.Match(value);
            var r = _r.Match(value);
            if (_or)
            {
                return l == MatchResult.Yes || r == MatchResult.Yes ? MatchResult.Yes : l == MatchResult.No && r == MatchResult.No ? MatchResult.No : MatchResult.Maybe;
            }

            return l == MatchResult.No || r == MatchResult.No ? MatchResult.No : l == MatchResult.Yes && r == MatchResult.Yes ? MatchResult.Yes : MatchResult.Maybe;
        }
    }
}

/// <summary>
/// A predicate: a method or property getter of the machine whose body is an expression or a block
/// of single-assignment locals, <c>if</c>, <c>return</c> and <c>throw</c>. Invoking it for one state
/// gives the values it may return (<see cref="Values.Any"/> when a path leaves that language).
/// </summary>
internal sealed class StateFunction
{
    public StateFunction(StateStatement body, int localCount)
    {
        Body = body;
        LocalCount = localCount;
    }

    public StateStatement Body { get; }

    public int LocalCount { get; }

    public Values Invoke(EvalContext context)
    {
        context.Locals = new Values?[LocalCount];
        var returned = Values.None;
        Body.Run(context, ref returned);
        return returned;
    }
}

/// <summary>A statement of a predicate body. <see cref="Run"/> returns whether it may complete normally.</summary>
internal abstract class StateStatement
{
    public abstract bool Run(EvalContext context, ref Values returned);

    public static StateStatement Nothing { get; } = new Block(ImmutableArray<StateStatement>.Empty);

    public sealed class Block : StateStatement
    {
        private readonly ImmutableArray<StateStatement> _statements;

        public Block(ImmutableArray<StateStatement> statements) => _statements = statements;

        public override bool Run(EvalContext context, ref Values returned)
        {
            foreach (var s in _statements)
            {
                if (!s.Run(context, ref returned))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public sealed class Declare : StateStatement
    {
        private readonly int _local;
        private readonly StateExpr _value;

        public Declare(int local, StateExpr value)
        {
            _local = local;
            _value = value;
        }

        public override bool Run(EvalContext context, ref Values returned)
        {
            context.Locals[_local] = _value.Eval(context);
            return true;
        }
    }

    public sealed class If : StateStatement
    {
        private readonly StateExpr _condition;
        private readonly StateStatement _whenTrue;
        private readonly StateStatement? _whenFalse;

        public If(StateExpr condition, StateStatement whenTrue, StateStatement? whenFalse)
        {
            _condition = condition;
            _whenTrue = whenTrue;
            _whenFalse = whenFalse;
        }

        public override bool Run(EvalContext context, ref Values returned)
        {
            var c = _condition.Eval(context);
            var completes = false;
            if (c.MayBeTrue)
            {
                completes |= _whenTrue.Run(context, ref returned);
            }

            if (c.MayBeFalse)
            {
                completes |= _whenFalse?.Run(context, ref returned) ?? true;
            }

            return completes;
        }
    }

    public sealed class Return : StateStatement
    {
        private readonly StateExpr _value;

        public Return(StateExpr value) => _value = value;

        public override bool Run(EvalContext context, ref Values returned)
        {
            returned = returned.Union(_value.Eval(context));
            return false;
        }
    }

    public sealed class Throw : StateStatement
    {
        public override bool Run(EvalContext context, ref Values returned) => false;
    }
}
