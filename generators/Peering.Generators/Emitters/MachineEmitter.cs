using System.Collections.Generic;
using System.Linq;
using Peering.Generators.Model;

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
            w.Open("partial class " + m.Name);
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
            EmitIndex(w, m, "EventIndex", "e", m.EventBase, m.Events, "event", "Definition\"/>'s events");
            w.Line();
            EmitIndex(w, m, "EffectIndex", "effect", m.EffectBase, m.Effects, "effect", "Definition\"/>'s effects");
            w.Close();
        }
        else if (!m.NotPartial)
        {
            // The declarations have errors (reported): emit only what the machine's own code names,
            // so that the reported diagnostics are not buried under follow-on errors.
            w.Line();
            w.Open("partial class " + m.Name);
            EmitState(w, m);
            w.Close();
        }

        return SourceWriter.Header() + w;
    }

    public static void BeginNamespace(SourceWriter w, MachineModel m)
    {
        if (m.Namespace.Length > 0)
        {
            w.Line("namespace " + m.Namespace + ";");
            w.Line();
        }
    }

    private static void EmitEnum(SourceWriter w, MachineModel m)
    {
        w.Line("/// <summary>The states of <see cref=\"" + m.Name + "\"/>, in declaration order.</summary>");
        w.Open(m.Accessibility + " enum " + m.StateEnumName);
        foreach (var state in m.States)
        {
            w.Line("/// <summary>The state <c>" + Xml(state.WireName) + "</c>.</summary>");
            w.Line(state.Name + ",");
        }

        w.Close();
    }

    private static void EmitState(SourceWriter w, MachineModel m)
    {
        w.Line("/// <summary>The current state. Only the [Transition] method and constructors assign it.</summary>");
        w.Line("public " + m.StateEnumTypeName + " State { get; private set; }");
    }

    private static void EmitGuardedState(SourceWriter w, MachineModel m)
    {
        var log = "global::Peering.StateMachines.StepLog<" + m.EffectBase + ">";
        w.Block($$"""
            private {{m.StateEnumTypeName}} _state;

            // The current step's effects and moves; every move is checked against the declarations (docs/toolkit.md §6).
            // A mutable struct: not readonly, so that calls change the field itself.
            private {{log}} _stepLog = new(StepGuard);

            /// <summary>
            /// The current state. Only the [Transition] method and constructors assign it; during a step, every
            /// move is checked against the declared transitions and recorded in <see cref="Moves"/>.
            /// </summary>
            /// <exception cref="global::Peering.StateMachines.UndeclaredTransitionException">A move the declarations do not permit.</exception>
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
            public global::System.ReadOnlySpan<{{m.EffectBase}}> Effects => _stepLog.Effects;

            /// <summary>The single moves of the current (or last) step, in order (state indices); valid until the next step.</summary>
            public global::System.ReadOnlySpan<global::Peering.StateMachines.SingleMove> Moves => _stepLog.Moves;

            /// <summary>Emits <paramref name="effect"/> in the current step.</summary>
            private void Emit({{m.EffectBase}} effect) => _stepLog.Add(effect);
            """);
    }

    private static void EmitDispatch(SourceWriter w, MachineModel m)
    {
        w.Line("/// <summary>");
        w.Line("/// Handles <paramref name=\"e\"/> in the current state as one step, run to completion: runs its handler");
        w.Line("/// and returns true for a handled (state, event) pair, returns false for an ignored one. Every pair is listed.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The event type or the state value is unknown.</exception>");
        w.Line("/// <exception cref=\"global::Peering.StateMachines.ReentrantDispatchException\">The machine is already handling an event.</exception>");
        w.Open("public bool Dispatch(" + m.EventBase + " e)");
        w.Line("_stepLog.Begin(EventIndex(e));");
        w.Open("try");
        w.Open("switch (State, e)");
        var rows = new List<(string Label, string Body)>();
        for (var s = 0; s < m.States.Count; s++)
        {
            var state = m.States[s];
            foreach (var e in CaseOrder.DerivedFirst(m.Events))
            {
                var decision = state.Decisions[e];
                var stateValue = m.StateEnumTypeName + "." + state.Name;
                if (decision.Handled)
                {
                    rows.Add(("case (" + stateValue + ", " + m.Events[e].TypeName + " ev):", decision.Handler + "(ev); return true;"));
                }
                else
                {
                    rows.Add(("case (" + stateValue + ", " + m.Events[e].TypeName + "):", "return false;"));
                }
            }
        }

        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Label.Length);
        foreach (var (label, body) in rows)
        {
            w.Line(label.PadRight(width) + " " + body);
        }

        w.Line("default:");
        w.Indent().Line("throw UndeclaredDispatch(State, e);").Unindent();
        w.Close();
        w.Close();
        w.Open("finally");
        w.Line("_stepLog.End();");
        w.Close();
        w.Close();
        w.Line();
        w.Line("private static global::System.Exception UndeclaredDispatch(" + m.StateEnumTypeName + " state, " + m.EventBase + "? e) => e is null");
        w.Indent();
        w.Line("? new global::System.ArgumentNullException(nameof(e))");
        w.Line(": new global::System.ArgumentException(\"No declared decision for state \" + state.ToString() + \" and event \" + e.GetType().Name + \".\", nameof(e));");
        w.Unindent();
    }

    private static void EmitStep(SourceWriter w, MachineModel m)
    {
        var apply = m.Step.Apply ?? "Dispatch";
        var refused = m.Step.Accepts is null ? "" : "an event <see cref=\"" + m.Step.Accepts + "\"/> refuses is dropped; otherwise ";
        w.Block($$"""
            /// <summary>
            /// One step of this machine, in place: {{refused}}<see cref="{{apply}}"/>.
            /// <see cref="Effects"/> and <see cref="Moves"/> are then the step's.
            /// </summary>
            """);
        w.Open("public void Step(" + m.EventBase + " e)");
        if (m.Step.Accepts is { } accepts)
        {
            w.Open("if (!" + accepts + "(e))");
            w.Line("_stepLog.Skip(EventIndex(e));");
            w.Line("return;");
            w.Close();
            w.Line();
        }

        w.Line(apply + "(e);");
        w.Close();
        if (!m.Step.Contract)
        {
            return;
        }

        var result = "global::Peering.StateMachines.StepResult<" + m.StateEnumTypeName + ", " + m.EffectBase + ", " + m.SnapshotType + ">";
        var dropped = m.Step.Accepts is null ? "" : "; for a dropped event the result's after is <paramref name=\"before\"/> itself";
        w.Line();
        w.Block($$"""
            /// <summary>
            /// The pure step: a machine restored from <paramref name="before"/>, one <see cref="Dispatch"/>, and its snapshot.
            /// <paramref name="before"/> is not changed{{dropped}}.
            /// </summary>
            """);
        w.Open("public static " + result + " Step(" + m.SnapshotType + " before, " + m.EventBase + " e)");
        w.Line("var machine = new " + m.TypeName + "(before);");
        w.Line("var from = machine.State;");
        if (m.Step.Accepts is { } filter)
        {
            w.Open("if (!machine." + filter + "(e))");
            w.Line("return new(before, before, from, from, [], []);");
            w.Close();
            w.Line();
        }

        // Not [Apply]: what it adds around Dispatch is what the restore has just done.
        w.Line("machine.Dispatch(e);");
        w.Line("return new(before, machine." + m.SnapshotFactory + "(), from, machine.State, machine.Effects.ToArray(), machine.Moves.ToArray());");
        w.Close();
    }

    private static void EmitDispatchChecked(SourceWriter w, MachineModel m)
    {
        w.Line("/// <summary><see cref=\"Dispatch\"/>, then every invariant evaluated on the snapshot after the step.</summary>");
        w.Open("public bool DispatchChecked(" + m.EventBase + " e, out " + m.InvariantsTypeName + " invariants)");
        w.Line("var handled = Dispatch(e);");
        w.Line("invariants = EvaluateInvariants(" + m.SnapshotFactory + "());");
        w.Line("return handled;");
        w.Close();
    }

    private static void EmitDefinition(SourceWriter w, MachineModel m)
    {
        string Name(int state) => m.States[state].Name;
        string EventName(int e) => m.Events[e].Tag;
        string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";
        string Strings(IEnumerable<string> items) => List(items.Select(EmitContext.Literal));
        string Ints(IEnumerable<int> items) => List(items.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        w.Line("/// <summary>The machine as declared: states, events, effects, decisions, permitted moves, procedures, invariants and checks.</summary>");
        w.Line("public static global::Peering.StateMachines.MachineDefinition Definition { get; } = new(");
        w.Indent();
        w.Line("name: " + EmitContext.Literal(m.Name) + ",");
        w.Line("states: " + Strings(m.States.Select(s => s.WireName)) + ",");
        w.Line("events: " + Strings(m.Events.Select(e => e.Tag)) + ",");
        w.Line("effects: " + Strings(m.Effects.Select(e => e.Tag)) + ",");

        var handled = new List<(string Item, string Comment)>();
        var ignored = new List<(string Item, string Comment)>();
        var transitions = new List<(string Item, string Comment)>();
        for (var s = 0; s < m.States.Count; s++)
        {
            for (var e = 0; e < m.Events.Count; e++)
            {
                var decision = m.States[s].Decisions[e];
                if (decision.Handled)
                {
                    handled.Add(("new(" + s + ", " + e + ", " + Ints(decision.Targets) + ")", Name(s) + " handles " + EventName(e) + (decision.Targets.Count == 0 ? "" : " -> " + string.Join(", ", decision.Targets.Select(Name)))));
                    foreach (var t in decision.Targets)
                    {
                        transitions.Add(("new(" + s + ", " + t + ", " + e + ")", Name(s) + " -> " + Name(t) + " on " + EventName(e)));
                    }
                }
                else
                {
                    ignored.Add(("new(" + s + ", " + e + ")", Name(s) + " ignores " + EventName(e)));
                }
            }

            foreach (var t in m.States[s].Continues)
            {
                transitions.Add(("new(" + s + ", " + t + ", -1)", Name(s) + " -> " + Name(t) + ", continuing"));
            }
        }

        EmitItems(w, "handled", handled);
        EmitItems(w, "ignored", ignored);
        EmitItems(w, "transitions", transitions);
        EmitItems(w, "procedures", m.Procedures.Select(p => ("new(" + EmitContext.Literal(p.Name) + ", " + Ints(p.RunsFrom) + ")", p.Name + " runs from " + string.Join(", ", p.RunsFrom.Select(Name)))).ToList());
        w.Line("invariants: " + Strings(m.Invariants.Select(i => i.Name)) + ",");
        var logs = Enumerable.Range(0, m.Effects.Count).Where(i => m.Effects[i].MoveFrom is not null).ToList();
        w.Line("checks: " + Strings(m.Checks.Select(c => c.Name)) + (logs.Count == 0 ? ");" : ","));
        if (logs.Count > 0)
        {
            w.Line("transitionLogs: " + Ints(logs) + ");");
        }
        w.Unindent();
        w.Line();
        w.Line("// After Definition: static fields initialize in textual order.");
        w.Line("private static readonly global::Peering.StateMachines.TransitionGuard StepGuard = new(Definition);");
    }

    private static void EmitItems(SourceWriter w, string name, List<(string Item, string Comment)> items)
    {
        if (items.Count == 0)
        {
            w.Line(name + ": [],");
            return;
        }

        w.Line(name + ":");
        w.Line("[");
        w.Indent();
        var width = items.Max(i => i.Item.Length) + 1;
        foreach (var (item, comment) in items)
        {
            w.Line((item + ",").PadRight(width) + " // " + comment);
        }

        w.Unindent();
        w.Line("],");
    }

    private static void EmitStateName(SourceWriter w, MachineModel m)
    {
        w.Line("/// <summary>The wire name of <paramref name=\"state\"/> (as written in traces).</summary>");
        w.Line("public static string StateName(" + m.StateEnumTypeName + " state) => state switch");
        w.Line("{");
        w.Indent();
        foreach (var state in m.States)
        {
            w.Line(m.StateEnumTypeName + "." + state.Name + " => " + EmitContext.Literal(state.WireName) + ",");
        }

        w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(state)),");
        w.Unindent();
        w.Line("};");
    }

    private static void EmitTryParseState(SourceWriter w, MachineModel m)
    {
        w.Line("/// <summary>The state whose wire name is <paramref name=\"utf8Name\"/> (UTF-8, unescaped).</summary>");
        w.Open("public static bool TryParseState(global::System.ReadOnlySpan<byte> utf8Name, out " + m.StateEnumTypeName + " state)");
        foreach (var state in m.States)
        {
            w.Open("if (global::System.MemoryExtensions.SequenceEqual(utf8Name, " + EmitContext.Utf8Literal(state.WireName) + "))");
            w.Line("state = " + m.StateEnumTypeName + "." + state.Name + ";");
            w.Line("return true;");
            w.Close();
            w.Line();
        }

        w.Line("state = default;");
        w.Line("return false;");
        w.Close();
    }

    private static void EmitIndex(SourceWriter w, MachineModel m, string method, string parameter, string baseType, EquatableArray<CaseModel> cases, string what, string list)
    {
        w.Line("/// <summary>The declaration index of the type of <paramref name=\"" + parameter + "\"/> (its index in <see cref=\"" + list + ").</summary>");
        w.Line("public static int " + method + "(" + baseType + " " + parameter + ") => " + parameter + " switch");
        w.Line("{");
        w.Indent();
        foreach (var i in CaseOrder.DerivedFirst(cases))
        {
            w.Line(cases[i].TypeName + " => " + i + ",");
        }

        w.Line("null => throw new global::System.ArgumentNullException(nameof(" + parameter + ")),");
        w.Line("_ => throw new global::System.ArgumentException(\"Not a declared " + what + " type: \" + " + parameter + ".GetType().Name + \".\", nameof(" + parameter + ")),");
        w.Unindent();
        w.Line("};");
    }

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
