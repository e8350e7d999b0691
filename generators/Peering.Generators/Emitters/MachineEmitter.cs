using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Peering.Generators.Model;
using static Peering.Generators.Emitters.KnownTypes;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Machine.g.cs</c>: the state enum, the <c>State</c> property, the exhaustive <c>Dispatch</c>,
/// <c>DispatchChecked</c>, <c>Definition</c>, <c>StateName</c>, <c>TryParseState</c> and <c>EventIndex</c>.
/// </summary>
internal static class MachineEmitter
{
    public static string Emit(MachineModel m, bool full)
    {
        var w = new SourceWriter();
        BeginNamespace(w, m);
        EmitEnum(w, m);
        if (full)
        {
            w.Line();
            w.Open($"partial class {m.Name}");
            EmitGuardedState(w, m);
            w.Line();
            EmitDispatch(w, m);
            w.Line();
            EmitStep(w, m);
            if (m.SnapshotFactory is not null)
            {
                w.Line();
                EmitDispatchChecked(w, m);
            }

            w.Line();
            EmitDefinition(w, m);
            w.Line();
            EmitStateName(w, m);
            w.Line();
            EmitTryParseState(w, m);
            w.Line();
            EmitIndex(w, "EventIndex", "e", m.EventBase, m.Events, "event", "events");
            w.Line();
            EmitIndex(w, "EffectIndex", "effect", m.EffectBase, m.Effects, "effect", "effects");
            w.Close();
        }
        else if (!m.NotPartial)
        {
            // The declarations have errors (reported): emit only what the machine's own code names,
            // so that the reported diagnostics are not buried under follow-on errors.
            w.Line();
            w.Open($"partial class {m.Name}");
            EmitState(w, m);
            w.Close();
        }

        return SourceWriter.Header() + w;
    }

    public static void BeginNamespace(SourceWriter w, MachineModel m)
    {
        if (m.Namespace.Length > 0)
        {
            w.Block($$"""
                namespace {{m.Namespace}};

                """);
        }
    }

    private static void EmitEnum(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            /// <summary>The states of <see cref="{{m.Name}}"/>, in declaration order.</summary>
            {{m.Accessibility}} enum {{m.StateEnumName}}
            {
            """);
        w.Indent();
        foreach (var state in m.States)
        {
            w.Block($$"""
                /// <summary>The state <c>{{Xml(state.WireName)}}</c>.</summary>
                {{state.Name}},
                """);
        }

        w.Unindent().Line("}");
    }

    private static void EmitState(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            /// <summary>The current state. Only the [Transition] method and constructors assign it.</summary>
            public {{m.StateEnumTypeName}} State { get; private set; }
            """);
    }

    private static void EmitGuardedState(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            private {{m.StateEnumTypeName}} _state;

            // The current step's effects and moves; every move is checked against the declarations (docs/toolkit.md §6).
            // A mutable struct: not readonly, so that calls change the field itself.
            private {{Runtime}}.StepLog<{{m.EffectBase}}> _stepLog = new(StepGuard);

            /// <summary>
            /// The current state. Only the [Transition] method and constructors assign it; during a step, every
            /// move is checked against the declared transitions and recorded in <see cref="Moves"/>.
            /// </summary>
            /// <exception cref="{{Runtime}}.UndeclaredTransitionException">A move the declarations do not permit.</exception>
            public {{m.StateEnumTypeName}} State
            {
                get => _state;
                private set
                {
                    if (value != _state)
                    {
                        _stepLog.Move((int)_state, (int)value);
                    }

                    _state = value;
                }
            }

            /// <summary>The effects of the current (or last) step, in emission order; valid until the next step.</summary>
            public {{ReadOnlySpan}}<{{m.EffectBase}}> Effects => _stepLog.Effects;

            /// <summary>The single moves of the current (or last) step, in order (state indices); valid until the next step.</summary>
            public {{ReadOnlySpan}}<{{SingleMove}}> Moves => _stepLog.Moves;

            /// <summary>Emits <paramref name="effect"/> in the current step.</summary>
            private void Emit({{m.EffectBase}} effect) => _stepLog.Add(effect);
            """);
    }

    private static void EmitDispatch(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            /// <summary>
            /// Handles <paramref name="e"/> in the current state as one step, run to completion: runs its handler
            /// and returns true for a handled (state, event) pair, returns false for an ignored one. Every pair is listed.
            /// </summary>
            /// <exception cref="{{ArgumentException}}">The event type or the state value is unknown.</exception>
            /// <exception cref="{{Runtime}}.ReentrantDispatchException">The machine is already handling an event.</exception>
            public bool Dispatch({{m.EventBase}} e)
            {
                _stepLog.Begin(EventIndex(e));
                try
                {
                    switch (State, e)
                    {
            """);

        // One arm per (state, event) pair, derived event types before their bases, bodies aligned.
        var rows = new List<(string Label, string Body)>();
        foreach (var state in m.States)
        {
            var stateValue = $"{m.StateEnumTypeName}.{state.Name}";
            foreach (var e in CaseOrder.DerivedFirst(m.Events))
            {
                var decision = state.Decisions[e];
                rows.Add(decision.Handled
                    ? ($"case ({stateValue}, {m.Events[e].TypeName} ev):", $"{decision.Handler}(ev); return true;")
                    : ($"case ({stateValue}, {m.Events[e].TypeName}):", "return false;"));
            }
        }

        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Label.Length);
        w.Indent().Indent().Indent();
        foreach (var (label, body) in rows)
        {
            w.Line(label.PadRight(width) + " " + body);
        }

        w.Unindent().Unindent().Unindent();
        w.Block($$"""
                        default:
                            throw UndeclaredDispatch(State, e);
                    }
                }
                finally
                {
                    _stepLog.End();
                }
            }

            private static {{Exception}} UndeclaredDispatch({{m.StateEnumTypeName}} state, {{m.EventBase}}? e) => e is null
                ? new {{ArgumentNullException}}(nameof(e))
                : new {{ArgumentException}}("No declared decision for state " + state.ToString() + " and event " + e.GetType().Name + ".", nameof(e));
            """);
    }

    private static void EmitStep(SourceWriter w, MachineModel m)
    {
        var apply = m.Step.Apply ?? "Dispatch";
        var refused = m.Step.Accepts is null ? "" : $"an event <see cref=\"{m.Step.Accepts}\"/> refuses is dropped; otherwise ";
        w.Block($$"""
            /// <summary>
            /// One step of this machine, in place: {{refused}}<see cref="{{apply}}"/>.
            /// <see cref="Effects"/> and <see cref="Moves"/> are then the step's.
            /// </summary>
            public void Step({{m.EventBase}} e)
            {
            """);
        w.Indent();
        if (m.Step.Accepts is { } accepts)
        {
            w.Block($$"""
                if (!{{accepts}}(e))
                {
                    _stepLog.Skip(EventIndex(e));
                    return;
                }

                """);
        }

        w.Line($"{apply}(e);");
        w.Unindent().Line("}");
        if (!m.Step.Contract)
        {
            return;
        }

        var dropped = m.Step.Accepts is null ? "" : "; for a dropped event the result's after is <paramref name=\"before\"/> itself";
        var result = $"{Runtime}.StepResult<{m.StateEnumTypeName}, {m.EffectBase}, {m.SnapshotType}>";
        EmitRestored(w, m);
        w.Block($$"""

            /// <summary>
            /// The pure step: a machine restored from <paramref name="before"/>, one <see cref="Dispatch"/>, and its snapshot.
            /// <paramref name="before"/> is not changed{{dropped}}.
            /// </summary>
            public static {{result}} Step({{m.SnapshotType}} before, {{m.EventBase}} e)
            {
                var machine = PureStepMachine(before);
                var from = machine.State;
            """);
        w.Indent();
        if (m.Step.Accepts is { } filter)
        {
            w.Block($$"""
                if (!machine.{{filter}}(e))
                {
                    {{Release(4)}}return new(before, before, from, from, [], []);
                }

                """);
        }

        // Not [Apply]: what it adds around Dispatch is what the restore has just done.
        w.Block($$"""
            machine.Dispatch(e);
            var result = new {{result}}(before, machine.{{m.SnapshotFactory}}(), from, machine.State, machine.Effects.ToArray(), machine.Moves.ToArray());
            {{Release(0)}}return result;
            """);
        w.Unindent().Line("}");

        w.Block($$"""

            /// <summary>
            /// The pure step without its effects, for tools that only follow states (exploration): the snapshot
            /// after, the states before and after, and the single moves, which stay valid until the next pure step
            /// on this thread. <paramref name="before"/> is not changed{{dropped}}.
            /// </summary>
            public static {{m.SnapshotType}} Step({{m.SnapshotType}} before, {{m.EventBase}} e, out {{m.StateEnumTypeName}} from, out {{m.StateEnumTypeName}} to, out global::System.ReadOnlySpan<{{Runtime}}.SingleMove> moves)
            {
                var machine = PureStepMachine(before);
                from = machine.State;
            """);
        w.Indent();
        if (m.Step.Accepts is { } refuses)
        {
            w.Block($$"""
                if (!machine.{{refuses}}(e))
                {
                    to = from;
                    moves = default;
                    {{Release(4)}}return before;
                }

                """);
        }

        w.Block($$"""
            machine.Dispatch(e);
            var after = machine.{{m.SnapshotFactory}}();
            to = machine.State;
            moves = machine.Moves;
            {{Release(0)}}return after;
            """);
        w.Unindent().Line("}");

        // With [Restore], the machine goes back to this thread's slot (its own line, at the template's indentation).
        string Release(int indent) => m.Step.RestoreInPlace is null ? "" : "t_pureStepMachine = machine;\n" + new string(' ', indent);
    }

    // The pure step's machine: a new one, or with [Restore] this thread's spare one restored in place.
    private static void EmitRestored(SourceWriter w, MachineModel m)
    {
        if (m.Step.RestoreInPlace is not { } restore)
        {
            w.Block($$"""

                private static {{m.TypeName}} PureStepMachine({{m.SnapshotType}} before) => new(before);
                """);
            return;
        }

        w.Block($$"""

            // This thread's machine for the pure step, restored in place ([Restore]). Taken out while it steps,
            // so that a pure step inside a step, or after one that threw, gets a machine of its own.
            [global::System.ThreadStatic]
            private static {{m.TypeName}}? t_pureStepMachine;

            private static {{m.TypeName}} PureStepMachine({{m.SnapshotType}} before)
            {
                var machine = t_pureStepMachine;
                if (machine is null)
                {
                    return new(before);
                }

                t_pureStepMachine = null;
                machine._stepLog.Rewind();
                machine.{{restore}}(before);
                return machine;
            }
            """);
    }

    private static void EmitDispatchChecked(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            /// <summary><see cref="Dispatch"/>, then every invariant evaluated on the snapshot after the step.</summary>
            public bool DispatchChecked({{m.EventBase}} e, out {{m.InvariantsTypeName}} invariants)
            {
                var handled = Dispatch(e);
                invariants = EvaluateInvariants({{m.SnapshotFactory}}());
                return handled;
            }
            """);
    }

    private static void EmitDefinition(SourceWriter w, MachineModel m)
    {
        string Name(int state) => m.States[state].Name;
        string EventName(int e) => m.Events[e].Tag;
        string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";
        string Strings(IEnumerable<string> items) => List(items.Select(EmitContext.Literal));
        string Ints(IEnumerable<int> items) => List(items.Select(i => i.ToString(CultureInfo.InvariantCulture)));

        // Each row is an item and a comment that names it, so that the generated table reads without indices.
        var handled = new List<(string Item, string Comment)>();
        var ignored = new List<(string Item, string Comment)>();
        var transitions = new List<(string Item, string Comment)>();
        for (var s = 0; s < m.States.Count; s++)
        {
            for (var e = 0; e < m.Events.Count; e++)
            {
                var decision = m.States[s].Decisions[e];
                if (!decision.Handled)
                {
                    ignored.Add(($"new({s}, {e})", $"{Name(s)} ignores {EventName(e)}"));
                    continue;
                }

                var targets = decision.Targets.Count == 0 ? "" : " -> " + string.Join(", ", decision.Targets.Select(Name));
                handled.Add(($"new({s}, {e}, {Ints(decision.Targets)})", $"{Name(s)} handles {EventName(e)}{targets}"));
                foreach (var t in decision.Targets)
                {
                    transitions.Add(($"new({s}, {t}, {e})", $"{Name(s)} -> {Name(t)} on {EventName(e)}"));
                }
            }

            foreach (var t in m.States[s].Continues)
            {
                transitions.Add(($"new({s}, {t}, -1)", $"{Name(s)} -> {Name(t)}, continuing"));
            }
        }

        var procedures = m.Procedures
            .Select(p => ($"new({EmitContext.Literal(p.Name)}, {Ints(p.RunsFrom)})", $"{p.Name} runs from {string.Join(", ", p.RunsFrom.Select(Name))}"))
            .ToList();
        var logs = Enumerable.Range(0, m.Effects.Count).Where(i => m.Effects[i].MoveFrom is not null).ToList();

        w.Block($$"""
            /// <summary>The machine as declared: states, events, effects, decisions, permitted moves, procedures, invariants and checks.</summary>
            public static {{MachineDefinition}} Definition { get; } = new(
                name: {{EmitContext.Literal(m.Name)}},
                states: {{Strings(m.States.Select(s => s.WireName))}},
                events: {{Strings(m.Events.Select(e => e.Tag))}},
                effects: {{Strings(m.Effects.Select(e => e.Tag))}},
            """);
        w.Indent();
        EmitItems(w, "handled", handled);
        EmitItems(w, "ignored", ignored);
        EmitItems(w, "transitions", transitions);
        EmitItems(w, "procedures", procedures);
        w.Line($"invariants: {Strings(m.Invariants.Select(i => i.Name))},");
        w.Line($"checks: {Strings(m.Checks.Select(c => c.Name))}" + (logs.Count == 0 ? ");" : ","));
        if (logs.Count > 0)
        {
            w.Line($"transitionLogs: {Ints(logs)});");
        }

        w.Unindent();
        w.Block($$"""

            // After Definition: static fields initialize in textual order.
            private static readonly {{TransitionGuard}} StepGuard = new(Definition);
            """);
    }

    private static void EmitItems(SourceWriter w, string name, List<(string Item, string Comment)> items)
    {
        if (items.Count == 0)
        {
            w.Line($"{name}: [],");
            return;
        }

        w.Block($$"""
            {{name}}:
            [
            """);
        w.Indent();
        var width = items.Max(i => i.Item.Length) + 1;
        foreach (var (item, comment) in items)
        {
            w.Line((item + ",").PadRight(width) + " // " + comment);
        }

        w.Unindent().Line("],");
    }

    private static void EmitStateName(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            /// <summary>The wire name of <paramref name="state"/> (as written in traces).</summary>
            public static string StateName({{m.StateEnumTypeName}} state) => state switch
            {
            """);
        w.Indent();
        foreach (var state in m.States)
        {
            w.Line($"{m.StateEnumTypeName}.{state.Name} => {EmitContext.Literal(state.WireName)},");
        }

        w.Unindent();
        w.Block($$"""
                _ => throw new {{ArgumentOutOfRangeException}}(nameof(state)),
            };
            """);
    }

    private static void EmitTryParseState(SourceWriter w, MachineModel m)
    {
        w.Block($$"""
            /// <summary>The state whose wire name is <paramref name="utf8Name"/> (UTF-8, unescaped).</summary>
            public static bool TryParseState({{ByteSpan}} utf8Name, out {{m.StateEnumTypeName}} state)
            {
            """);
        w.Indent();
        foreach (var state in m.States)
        {
            w.Block($$"""
                if ({{MemoryExtensions}}.SequenceEqual(utf8Name, {{EmitContext.Utf8Literal(state.WireName)}}))
                {
                    state = {{m.StateEnumTypeName}}.{{state.Name}};
                    return true;
                }

                """);
        }

        w.Unindent();
        w.Block("""
                state = default;
                return false;
            }
            """);
    }

    /// <summary><c>EventIndex</c> or <c>EffectIndex</c>: a type switch, derived cases before their bases.</summary>
    private static void EmitIndex(SourceWriter w, string method, string parameter, string baseType, EquatableArray<CaseModel> cases, string what, string list)
    {
        w.Block($$"""
            /// <summary>The declaration index of the type of <paramref name="{{parameter}}"/> (its index in <see cref="Definition"/>'s {{list}}).</summary>
            public static int {{method}}({{baseType}} {{parameter}}) => {{parameter}} switch
            {
            """);
        w.Indent();
        foreach (var i in CaseOrder.DerivedFirst(cases))
        {
            w.Line($"{cases[i].TypeName} => {i},");
        }

        w.Unindent();
        w.Block($$"""
                null => throw new {{ArgumentNullException}}(nameof({{parameter}})),
                _ => throw new {{ArgumentException}}("Not a declared {{what}} type: " + {{parameter}}.GetType().Name + ".", nameof({{parameter}})),
            };
            """);
    }

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
