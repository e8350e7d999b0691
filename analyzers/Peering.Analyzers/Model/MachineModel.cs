using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Peering.Analyzers.Flow;

namespace Peering.Analyzers.Model;

/// <summary>
/// One <c>[Handles(typeof(E), targets...)]</c> of a state: its own, or the machine's default that the
/// state inherits (<see cref="Inherited"/>; <see cref="Attribute"/> is then the one on the machine).
/// </summary>
internal sealed class HandlesDecl
{
    public HandlesDecl(ITypeSymbol @event, Bits targets, AttributeData attribute, bool inherited = false)
    {
        Event = @event;
        Targets = targets;
        Attribute = attribute;
        Inherited = inherited;
    }

    public ITypeSymbol Event { get; }

    public Bits Targets { get; }

    public AttributeData Attribute { get; }

    public bool Inherited { get; }
}

/// <summary>A nested <c>[State]</c> class and its declarations.</summary>
internal sealed class StateDecl
{
    public StateDecl(INamedTypeSymbol type, int index, ImmutableArray<HandlesDecl> handles, Bits permitted)
    {
        Type = type;
        Index = index;
        Handles = handles;
        Permitted = permitted;
    }

    public INamedTypeSymbol Type { get; }

    public string Name => Type.Name;

    public int Index { get; }

    public ImmutableArray<HandlesDecl> Handles { get; }

    /// <summary>The state-level permitted set: all Handles targets plus Continues.</summary>
    public Bits Permitted { get; }
}

/// <summary>A constant of the state enum: the state it names (-1 when no state class matches) and the member name.</summary>
internal readonly struct StateConstant
{
    public StateConstant(int state, string name)
    {
        State = state;
        Name = name;
    }

    public int State { get; }

    public string Name { get; }
}

/// <summary>What the declarations of one <c>[StateMachine]</c> class say, read from its attributes.</summary>
internal sealed class MachineModel
{
    private MachineModel(
        INamedTypeSymbol machine,
        ImmutableArray<StateDecl> states,
        INamedTypeSymbol? stateEnum,
        Dictionary<long, StateConstant> constants,
        Dictionary<IMethodSymbol, int> transitions,
        Dictionary<IMethodSymbol, Bits> procedures,
        Dictionary<IMethodSymbol, ITypeSymbol?> handlers,
        HashSet<IMethodSymbol> restores,
        IPropertySymbol? stateProperty)
    {
        Machine = machine;
        StateProperty = stateProperty;
        States = states;
        StateEnum = stateEnum;
        Constants = constants;
        Transitions = transitions;
        Procedures = procedures;
        Handlers = handlers;
        Restores = restores;
        var names = new string[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            names[i] = states[i].Name;
        }

        Names = names;

        // Each state's enum value (what state guards compare against), null when the enum lacks it.
        var values = new long?[states.Length];
        foreach (var pair in constants)
        {
            if (pair.Value.State >= 0 && values[pair.Value.State] is null)
            {
                values[pair.Value.State] = pair.Key;
            }
        }

        StateValues = values;
    }

    public INamedTypeSymbol Machine { get; }

    /// <summary>The machine's (generated) <c>State</c> instance property, read by state guards.</summary>
    public IPropertySymbol? StateProperty { get; }

    public ImmutableArray<StateDecl> States { get; }

    public IReadOnlyList<string> Names { get; }

    public int Count => States.Length;

    /// <summary>Per state, the value of its enum member (null when the enum has no member of that name).</summary>
    public IReadOnlyList<long?> StateValues { get; }

    /// <summary>The state enum, or null when it is not (yet) declared.</summary>
    public INamedTypeSymbol? StateEnum { get; }

    /// <summary>Enum constant value (as a 64-bit integer) to the state it names.</summary>
    public Dictionary<long, StateConstant> Constants { get; }

    /// <summary>[Transition] methods and the ordinal of their target parameter (-1 when there is none).</summary>
    public Dictionary<IMethodSymbol, int> Transitions { get; }

    /// <summary>[Procedure] methods and their RunsFrom states.</summary>
    public Dictionary<IMethodSymbol, Bits> Procedures { get; }

    /// <summary>[Handler] methods and their event type (null without a parameter).</summary>
    public Dictionary<IMethodSymbol, ITypeSymbol?> Handlers { get; }

    /// <summary>[Restore] instance methods: they may assign State, as constructors do, and only constructors may call them.</summary>
    public HashSet<IMethodSymbol> Restores { get; }

    public static MachineModel? Create(INamedTypeSymbol machine, KnownTypes known)
    {
        var machineAttribute = KnownTypes.Find(machine, known.StateMachine);
        if (machineAttribute is null)
        {
            return null;
        }

        // States: nested [State] classes, in member order.
        var stateTypes = new List<INamedTypeSymbol>();
        var stateIndex = new Dictionary<INamedTypeSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var nested in machine.GetTypeMembers())
        {
            if (KnownTypes.Has(nested, known.State) && !stateIndex.ContainsKey(nested))
            {
                stateIndex.Add(nested, stateTypes.Count);
                stateTypes.Add(nested);
            }
        }

        // The decisions the generator's table holds (docs/toolkit.md §1): a state's own Handles, and
        // the machine's default Handles for each event the state neither handles nor ignores itself.
        var count = stateTypes.Count;
        var defaults = ReadDecisions(machine, known, stateIndex, count, out _);
        var states = ImmutableArray.CreateBuilder<StateDecl>(count);
        foreach (var type in stateTypes)
        {
            var handles = ReadDecisions(type, known, stateIndex, count, out var ignored);
            foreach (var d in defaults)
            {
                if (!handles.Any(h => SameEvent(h.Event, d.Event)) && !ignored.Any(e => SameEvent(e, d.Event)))
                {
                    handles.Add(new HandlesDecl(d.Event, d.Targets, d.Attribute, inherited: true));
                }
            }

            var permitted = Bits.Empty(count);
            foreach (var h in handles)
            {
                permitted = permitted.Union(h.Targets);
            }

            foreach (var a in type.GetAttributes())
            {
                if (KnownTypes.Is(a.AttributeClass, known.Continues))
                {
                    foreach (var arg in a.ConstructorArguments)
                    {
                        permitted = permitted.Union(StatesOf(arg, stateIndex, count));
                    }
                }
            }

            states.Add(new StateDecl(type, states.Count, handles.ToImmutable(), permitted));
        }

        // The state enum: StateTypeName or {Machine}State, in the machine's namespace.
        string? enumName = null;
        foreach (var named in machineAttribute.NamedArguments)
        {
            if (named.Key == "StateTypeName" && named.Value.Value is string s && s.Length > 0)
            {
                enumName = s;
            }
        }

        enumName ??= machine.Name + "State";
        INamedTypeSymbol? stateEnum = null;
        foreach (var candidate in machine.ContainingNamespace.GetTypeMembers(enumName))
        {
            if (candidate.TypeKind == TypeKind.Enum)
            {
                stateEnum = candidate;
                break;
            }
        }

        var constants = new Dictionary<long, StateConstant>();
        if (stateEnum is not null)
        {
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < stateTypes.Count; i++)
            {
                byName[stateTypes[i].Name] = i;
            }

            foreach (var member in stateEnum.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field && ToInt64(field.ConstantValue) is { } value)
                {
                    var state = byName.TryGetValue(field.Name, out var idx) ? idx : -1;
                    if (!constants.TryGetValue(value, out var existing) || (existing.State < 0 && state >= 0))
                    {
                        constants[value] = new StateConstant(state, field.Name);
                    }
                }
            }
        }

        var transitions = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        var procedures = new Dictionary<IMethodSymbol, Bits>(SymbolEqualityComparer.Default);
        var handlers = new Dictionary<IMethodSymbol, ITypeSymbol?>(SymbolEqualityComparer.Default);
        var restores = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var member in machine.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            method = KnownTypes.Normalize(method);
            foreach (var a in method.GetAttributes())
            {
                if (KnownTypes.Is(a.AttributeClass, known.Transition))
                {
                    transitions[method] = TargetOrdinal(method, stateEnum);
                }
                else if (KnownTypes.Is(a.AttributeClass, known.Procedure))
                {
                    var runsFrom = Bits.Empty(count);
                    foreach (var arg in a.ConstructorArguments)
                    {
                        runsFrom = runsFrom.Union(StatesOf(arg, stateIndex, count));
                    }

                    procedures[method] = procedures.TryGetValue(method, out var prior) ? prior.Union(runsFrom) : runsFrom;
                }
                else if (KnownTypes.Is(a.AttributeClass, known.Handler))
                {
                    handlers[method] = method.Parameters.Length > 0 ? method.Parameters[0].Type : null;
                }
                else if (KnownTypes.Is(a.AttributeClass, known.Restore) && !method.IsStatic && method.MethodKind == MethodKind.Ordinary)
                {
                    restores.Add(method);
                }
            }
        }

        IPropertySymbol? stateProperty = null;
        foreach (var member in machine.GetMembers("State"))
        {
            if (member is IPropertySymbol { IsStatic: false, Parameters.Length: 0 } property)
            {
                stateProperty = property;
                break;
            }
        }

        return new MachineModel(machine, states.ToImmutable(), stateEnum, constants, transitions, procedures, handlers, restores, stateProperty);
    }

    /// <summary>
    /// The target parameter of a [Transition] method, by the rule the generator's PSM011 enforces:
    /// an instance method's only parameter of the state enum type (matched by symbol), passed by
    /// value; -1 when the method breaks the rule (then no call is checked; the build fails on PSM011).
    /// </summary>
    public static int TargetOrdinal(IMethodSymbol method, INamedTypeSymbol? stateEnum)
    {
        var ordinal = -1;
        if (method.IsStatic)
        {
            return -1;
        }

        foreach (var p in method.Parameters)
        {
            if (stateEnum is not null && SymbolEqualityComparer.Default.Equals(p.Type, stateEnum))
            {
                if (ordinal >= 0 || p.RefKind != RefKind.None)
                {
                    return -1;
                }

                ordinal = p.Ordinal;
            }
        }

        return ordinal;
    }

    /// <summary>Every handler, procedure and transition method, each once.</summary>
    public IEnumerable<IMethodSymbol> Members()
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var m in Handlers.Keys.Concat(Procedures.Keys).Concat(Transitions.Keys))
        {
            if (seen.Add(m))
            {
                yield return m;
            }
        }
    }

    /// <summary>A transition, procedure, handler or [Restore] method of this machine: calling it may move the machine.</summary>
    public bool IsStepOrHandler(IMethodSymbol method) =>
        Transitions.ContainsKey(method) || Procedures.ContainsKey(method) || Handlers.ContainsKey(method) || Restores.Contains(method);

    /// <summary>The states that handle <paramref name="event"/>, each with its targets and (first) attribute.</summary>
    public HandlesDecl?[] EntryDeclarations(ITypeSymbol? @event)
    {
        var result = new HandlesDecl?[Count];
        if (@event is null)
        {
            return result;
        }

        foreach (var state in States)
        {
            foreach (var h in state.Handles)
            {
                if (SameEvent(h.Event, @event))
                {
                    result[state.Index] = result[state.Index] is { } first
                        ? new HandlesDecl(first.Event, first.Targets.Union(h.Targets), first.Attribute)
                        : h;
                }
            }
        }

        return result;
    }

    /// <summary>The <c>[Handles]</c> of a state or of the machine (its defaults), and the events its <c>[Ignores]</c> name.</summary>
    private static ImmutableArray<HandlesDecl>.Builder ReadDecisions(
        INamedTypeSymbol type, KnownTypes known, Dictionary<INamedTypeSymbol, int> stateIndex, int count, out List<ITypeSymbol> ignored)
    {
        var handles = ImmutableArray.CreateBuilder<HandlesDecl>();
        ignored = new List<ITypeSymbol>();
        foreach (var a in type.GetAttributes())
        {
            var args = a.ConstructorArguments;
            if (KnownTypes.Is(a.AttributeClass, known.Handles))
            {
                if (args.Length == 0 || args[0].Kind != TypedConstantKind.Type || args[0].Value is not ITypeSymbol ev)
                {
                    continue;
                }

                var targets = Bits.Empty(count);
                for (var i = 1; i < args.Length; i++)
                {
                    targets = targets.Union(StatesOf(args[i], stateIndex, count));
                }

                handles.Add(new HandlesDecl(ev, targets, a));
            }
            else if (KnownTypes.Is(a.AttributeClass, known.Ignores))
            {
                foreach (var arg in args)
                {
                    ignored.AddRange(TypesOf(arg));
                }
            }
        }

        return handles;
    }

    private static IEnumerable<ITypeSymbol> TypesOf(TypedConstant constant)
    {
        if (constant.Kind == TypedConstantKind.Array)
        {
            return constant.IsNull ? Enumerable.Empty<ITypeSymbol>() : constant.Values.SelectMany(TypesOf);
        }

        return constant.Kind == TypedConstantKind.Type && constant.Value is ITypeSymbol type ? new[] { type } : Enumerable.Empty<ITypeSymbol>();
    }

    private static bool SameEvent(ITypeSymbol a, ITypeSymbol b) =>
        SymbolEqualityComparer.Default.Equals(a.OriginalDefinition, b.OriginalDefinition);

    public static long? ToInt64(object? value) => value switch
    {
        null => null,
        ulong u => unchecked((long)u),
        sbyte or byte or short or ushort or int or uint or long or char => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static Bits StatesOf(TypedConstant constant, Dictionary<INamedTypeSymbol, int> stateIndex, int count)
    {
        var result = Bits.Empty(count);
        if (constant.Kind == TypedConstantKind.Array)
        {
            if (!constant.IsNull)
            {
                foreach (var element in constant.Values)
                {
                    result = result.Union(StatesOf(element, stateIndex, count));
                }
            }
        }
        else if (constant.Kind == TypedConstantKind.Type && constant.Value is INamedTypeSymbol type
            && stateIndex.TryGetValue(type.OriginalDefinition, out var index))
        {
            result = result.With(index);
        }

        return result;
    }
}
