using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Peering.Generators.Diagnostics;
using Peering.Generators.Model;

namespace Peering.Generators.Parsing;

/// <summary>
/// Matches a machine's declarations with the compilation's events, effects, invariants and checks,
/// resolves every type named in its attributes, checks the rules of docs/toolkit.md §1 and produces
/// the <see cref="MachineModel"/> the emitters read, beside the diagnostics (reported from their own output).
/// </summary>
internal static class MachineAssembler
{
    public static MachineResult Assemble(MachineDecl machine, CompilationDecls decls, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>(machine.Diagnostics);
        void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
            => diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, location ?? machine.Location, args));

        var events = decls.Events.Where(e => e.BaseTypes.Contains(machine.EventBase)).ToList();

        // PSM001's exhaustiveness covers every type Dispatch accepts: a concrete subtype of the base is an [Event].
        var seenSubtypes = new HashSet<string>();
        foreach (var subtype in decls.Subtypes)
        {
            if (subtype.BaseTypes.Contains(machine.EventBase) && seenSubtypes.Add(subtype.TypeName))
            {
                Report(DiagnosticDescriptors.UndispatchableEvent, subtype.Location, Short(subtype.TypeName), machine.Name, "is not an [Event], so Dispatch has no decision for it");
            }
        }

        var effects = decls.Effects.Where(e => e.BaseTypes.Contains(machine.EffectBase)).ToList();
        CheckUnique("Event tag", events.Select(e => (e.Tag, e.TypeName, e.Location)), Report);
        CheckUnique("Effect tag", effects.Select(e => (e.Tag, e.TypeName, e.Location)), Report);
        CheckUnique("State name", machine.States.Select(s => (s.WireName, s.ClassName, s.Location)), Report);

        var stateIndex = new Dictionary<string, int>();
        for (var i = 0; i < machine.States.Count; i++)
        {
            stateIndex[machine.States[i].TypeName] = i;
        }

        var eventIndex = new Dictionary<string, int>();
        for (var i = 0; i < events.Count; i++)
        {
            eventIndex[events[i].TypeName] = i;
        }

        // Handlers: at most one per event, each for an event of this machine.
        var handlerOf = new string?[events.Count];
        foreach (var handler in machine.Handlers)
        {
            if (handler.EventType is null)
            {
                continue; // bad signature, already reported
            }

            if (!eventIndex.TryGetValue(handler.EventType, out var e))
            {
                Report(DiagnosticDescriptors.BadHandler, handler.Location, handler.MethodName, "its parameter type '" + Short(handler.EventType) + "' is not an [Event] of machine '" + machine.Name + "'");
            }
            else if (handlerOf[e] is { } other)
            {
                Report(DiagnosticDescriptors.BadHandler, handler.Location, handler.MethodName, "event '" + Short(handler.EventType) + "' already has the handler '" + other + "'");
            }
            else
            {
                handlerOf[e] = handler.MethodName;
            }
        }

        // Defaults: the machine's own Handles/Ignores, at most one per event, inherited by every
        // state that declares nothing about that event (a state's own decision replaces it whole).
        var defaults = Decide(machine.DefaultHandles, machine.DefaultIgnores, machine.Name);
        var inherited = new bool[events.Count];

        // States: exactly one decision per (state, event), their own or the default.
        var states = new List<StateModel>();
        foreach (var state in machine.States)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var decisions = Decide(state.Handles, state.Ignores, state.ClassName);
            var continues = new List<int>();
            foreach (var target in state.Continues)
            {
                if (ResolveState(target, "Continues", state.ClassName) is int t)
                {
                    continues.Add(t);
                }
            }

            for (var e = 0; e < events.Count; e++)
            {
                if (decisions[e].Decision is not null)
                {
                    continue;
                }

                if (defaults[e].Decision is not null)
                {
                    decisions[e] = defaults[e];
                    inherited[e] = true;
                }
                else
                {
                    Report(DiagnosticDescriptors.UndecidedPair, state.Location, state.ClassName, Short(events[e].TypeName));
                    decisions[e] = (new DecisionModel(false, null, EquatableArray<int>.Empty), null);
                }
            }

            states.Add(new StateModel(state.ClassName, state.WireName, decisions.Select(d => d.Decision!).ToEquatableArray(), continues.ToEquatableArray()));
        }

        for (var e = 0; e < events.Count; e++)
        {
            if (defaults[e].Decision is not null && !inherited[e])
            {
                Report(DiagnosticDescriptors.UnusedDefault, defaults[e].Location, machine.Name, Short(events[e].TypeName));
            }
        }

        var handledAnywhere = Enumerable.Range(0, events.Count).Select(e => states.Any(s => s.Decisions[e].Handled)).ToArray();
        foreach (var handler in machine.Handlers)
        {
            if (handler.EventType is not null && eventIndex.TryGetValue(handler.EventType, out var e) && handlerOf[e] == handler.MethodName && !handledAnywhere[e])
            {
                Report(DiagnosticDescriptors.BadHandler, handler.Location, handler.MethodName, "no state handles event '" + Short(handler.EventType) + "'");
            }
        }

        var procedures = new List<ProcedureModel>();
        foreach (var procedure in machine.Procedures)
        {
            var runsFrom = new List<int>();
            foreach (var use in procedure.RunsFrom)
            {
                if (ResolveState(use, "Procedure", procedure.MethodName) is int s)
                {
                    runsFrom.Add(s);
                }
            }

            procedures.Add(new ProcedureModel(procedure.MethodName, runsFrom.ToEquatableArray()));
        }

        var contexts = decls.Contexts.Where(c => c.Problem is null && c.SnapshotType == machine.SnapshotType).ToList();
        foreach (var extra in contexts.Skip(1))
        {
            Report(DiagnosticDescriptors.BadPredicate, extra.Location, extra.MethodName, "snapshot type '" + Short(machine.SnapshotType) + "' already has the [CheckContext] '" + contexts[0].MethodName + "'");
        }

        var context = contexts.FirstOrDefault();
        var checks = Predicates(decls.Checks, "Check", Report);
        var invariants = Predicates(decls.Invariants, "Invariant", Report);
        if (invariants.Count > 64)
        {
            Report(DiagnosticDescriptors.BadPredicate, null, machine.Name, "a machine may have at most 64 invariants (it has " + invariants.Count + ")");
        }

        if (machine.States.Count > 64)
        {
            Report(DiagnosticDescriptors.NotPartial, machine.Location, machine.Name, "a machine may have at most 64 states (it has " + machine.States.Count + ")");
        }

        var records = AssembleWire(machine, events, effects, Report);
        var effectModels = effects.Select(e => TransitionLog(e, records, Report) with { Depth = effects.Count(o => e.BaseTypes.Contains(o.TypeName)) }).ToList();

        // A machine with a snapshot factory is meant to be traced: say why it gets no contract.
        var missing = new List<string>();
        if (machine.SnapshotFactory is null)
        {
            missing.Add("no [SnapshotFactory]");
        }

        if (!machine.Step.HasRestore)
        {
            missing.Add("no constructor taking the snapshot '" + Short(machine.SnapshotType) + "'");
        }

        if (!machine.Step.HasFresh)
        {
            missing.Add("no constructor callable without arguments");
        }

        if (missing.Count > 0 && machine.SnapshotFactory is not null)
        {
            Report(DiagnosticDescriptors.NoContract, machine.Location, machine.Name, string.Join(", ", missing));
        }

        var step = new StepModel(missing.Count == 0, machine.Step.Accepts, machine.Step.Apply, machine.Step.RestoreInPlace, context?.Call);

        var model = new MachineModel(
            machine.Namespace,
            machine.Name,
            machine.TypeName,
            machine.IsPublic,
            machine.StateEnumName,
            machine.EventBase,
            machine.EffectBase,
            machine.SnapshotType,
            states.ToEquatableArray(),
            events.Select(e => new CaseModel(e.TypeName, e.Tag, events.Count(o => e.BaseTypes.Contains(o.TypeName)))).ToEquatableArray(),
            effectModels.ToEquatableArray(),
            procedures.ToEquatableArray(),
            checks.ToEquatableArray(),
            invariants.ToEquatableArray(),
            machine.SnapshotFactory,
            step,
            records,
            diagnostics.Any(d => DiagnosticDescriptors.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error),
            diagnostics.Any(d => d.Id == DiagnosticDescriptors.NotPartial.Id));
        return new MachineResult(model, diagnostics.Distinct().ToEquatableArray());

        // The decisions one declaration (a state, or the machine's defaults) makes, by event index,
        // each with where its event is named; null where it declares nothing about the event.
        (DecisionModel? Decision, LocationInfo? Location)[] Decide(EquatableArray<HandlesDecl> handled, EquatableArray<TypeUse> ignored, string owner)
        {
            var decisions = new (DecisionModel? Decision, LocationInfo? Location)[events.Count];
            foreach (var handles in handled)
            {
                if (ResolveEvent(handles.Event, "Handles", owner) is not int e)
                {
                    continue;
                }

                var targets = new List<int>();
                foreach (var target in handles.Targets)
                {
                    if (ResolveState(target, "Handles", owner) is int t)
                    {
                        targets.Add(t);
                    }
                }

                if (decisions[e].Decision is not null)
                {
                    Report(DiagnosticDescriptors.DuplicateDecision, handles.Event.Location, owner, handles.Event.DisplayName);
                    continue;
                }

                if (handlerOf[e] is null)
                {
                    Report(DiagnosticDescriptors.MissingHandler, handles.Event.Location, owner, handles.Event.DisplayName);
                }

                decisions[e] = (new DecisionModel(true, handlerOf[e], targets.ToEquatableArray()), handles.Event.Location);
            }

            foreach (var use in ignored)
            {
                if (ResolveEvent(use, "Ignores", owner) is not int e)
                {
                    continue;
                }

                if (decisions[e].Decision is not null)
                {
                    Report(DiagnosticDescriptors.DuplicateDecision, use.Location, owner, use.DisplayName);
                    continue;
                }

                decisions[e] = (new DecisionModel(false, null, EquatableArray<int>.Empty), use.Location);
            }

            return decisions;
        }

        int? ResolveEvent(TypeUse use, string attribute, string owner)
        {
            if (eventIndex.TryGetValue(use.TypeName, out var e))
            {
                return e;
            }

            Report(DiagnosticDescriptors.UnknownDeclaredType, use.Location, use.DisplayName, attribute, owner, "an event", machine.Name);
            return null;
        }

        int? ResolveState(TypeUse use, string attribute, string owner)
        {
            if (stateIndex.TryGetValue(use.TypeName, out var s))
            {
                return s;
            }

            Report(DiagnosticDescriptors.UnknownDeclaredType, use.Location, use.DisplayName, attribute, owner, "a state", machine.Name);
            return null;
        }

        List<PredicateModel> Predicates(EquatableArray<PredicateDecl> all, string kind, System.Action<Microsoft.CodeAnalysis.DiagnosticDescriptor, LocationInfo?, string[]> report)
        {
            var result = new List<PredicateModel>();
            var mine = all.Where(p => p.Problem is null && p.SnapshotType == machine.SnapshotType).ToList();
            CheckUnique(kind + " name", mine.Select(p => (p.Name, p.Call, p.Location)), report);
            CheckUnique(kind + " method name", mine.Select(p => (p.MethodName, p.Call, p.Location)), report);
            foreach (var p in mine)
            {
                if (p.ContextType.Length > 0 && p.ContextType != context?.ContextType)
                {
                    report(DiagnosticDescriptors.BadPredicate, p.Location, new[] { p.MethodName, context is null
                        ? "its second parameter is a check context, but snapshot type '" + Short(machine.SnapshotType) + "' has no [CheckContext] factory"
                        : "its second parameter must be the check context '" + Short(context.ContextType) + "' that [CheckContext] '" + context.MethodName + "' builds" });
                    continue;
                }

                result.Add(new PredicateModel(p.Name, p.MethodName, p.Call, p.ContextType.Length > 0));
            }

            return result;
        }
    }

    /// <summary>Merges the wire graphs of the snapshot, the events and the effects, and resolves what depends on the machine.</summary>
    private static EquatableArray<RecordSpec> AssembleWire(
        MachineDecl machine,
        List<CaseDecl> events,
        List<CaseDecl> effects,
        System.Action<Microsoft.CodeAnalysis.DiagnosticDescriptor, LocationInfo?, string[]> report)
    {
        var stateEnum = new TypeRef(
            WireKind.StateEnum,
            machine.Namespace.Length == 0 ? "global::" + machine.StateEnumName : "global::" + machine.Namespace + "." + machine.StateEnumName,
            SimpleName: machine.StateEnumName);
        var graphs = new List<WireGraph>();
        if (machine.Snapshot is { } snapshot)
        {
            graphs.Add(snapshot);
            if (snapshot.Root.Kind != WireKind.Record)
            {
                report(DiagnosticDescriptors.UnsupportedMemberType, machine.Location, new[] { Short(machine.SnapshotType), machine.Name + " snapshot", "the snapshot must be a wire record" });
            }
        }

        foreach (var c in events.Concat(effects))
        {
            graphs.Add(c.Graph);
            if (c.Graph.Root.Kind != WireKind.Record)
            {
                report(DiagnosticDescriptors.BadWireRecord, c.Location, new[] { Short(c.TypeName), c.Tag, "an [Event] or [Effect] must be a concrete wire record" });
            }
        }

        var records = new List<RecordSpec>();
        var seen = new HashSet<string>();
        foreach (var graph in graphs)
        {
            foreach (var diagnostic in graph.Diagnostics)
            {
                report(DiagnosticDescriptors.Get(diagnostic.Id), diagnostic.Location, diagnostic.Arguments.ToArray());
            }

            foreach (var pending in graph.Pending)
            {
                if (pending.TypeName == machine.StateEnumName || pending.TypeName == machine.EventBase || pending.TypeName == machine.EffectBase)
                {
                    continue;
                }

                if (pending.TypeName.StartsWith("global::", System.StringComparison.Ordinal))
                {
                    report(DiagnosticDescriptors.BadWireRecord, pending.Location, new[] { Short(pending.TypeName), pending.MemberPath, "it is abstract; only the machine's event or effect base may be used as an abstract member type" });
                }
                else
                {
                    report(DiagnosticDescriptors.UnsupportedMemberType, pending.Location, new[] { pending.TypeName, pending.MemberPath, "the type is unknown (only the generated state enum '" + machine.StateEnumName + "' may be named before it exists)" });
                }
            }

            foreach (var record in graph.Records)
            {
                if (seen.Add(record.TypeName))
                {
                    records.Add(record with { Members = record.Members.Select(m => m with { Type = Resolve(m.Type) }).ToEquatableArray() });
                }
            }
        }

        var caseTypes = new HashSet<string>(events.Concat(effects).Select(c => c.TypeName));
        foreach (var record in records)
        {
            if (caseTypes.Contains(record.TypeName) && record.Members.Any(m => m.Key == "type"))
            {
                report(DiagnosticDescriptors.DuplicateName, machine.Location, new[] { "Key", "type", Short(record.TypeName) + ".type", "the type tag" });
            }
        }

        return records.ToEquatableArray();

        TypeRef Resolve(TypeRef t)
        {
            switch (t.Kind)
            {
                case WireKind.Unresolved when t.TypeName == machine.StateEnumName:
                    return stateEnum;
                case WireKind.Abstract when t.TypeName == machine.EventBase:
                    return t with { Kind = WireKind.EventUnion, SimpleName = "Event" };
                case WireKind.Abstract when t.TypeName == machine.EffectBase:
                    return t with { Kind = WireKind.EffectUnion, SimpleName = "Effect" };
                case WireKind.Nullable:
                {
                    var inner = Resolve(t.Element!);
                    return t with { Element = inner, TypeName = inner.TypeName + "?", SimpleName = "Nullable" + inner.SimpleName };
                }

                case WireKind.Array:
                {
                    var element = Resolve(t.Element!);
                    return t with { Element = element, TypeName = element.TypeName + "[]", SimpleName = "ArrayOf" + element.SimpleName };
                }

                case WireKind.ImmutableArray:
                {
                    var element = Resolve(t.Element!);
                    return t with { Element = element, TypeName = "global::System.Collections.Immutable.ImmutableArray<" + element.TypeName + ">", SimpleName = "ImmutableArrayOf" + element.SimpleName };
                }

                case WireKind.Collection:
                    return t with { Element = Resolve(t.Element!) };
                default:
                    return t;
            }
        }
    }

    /// <summary>An effect's model; for a <c>[TransitionLog]</c> effect, its first two members of the state enum type are the move.</summary>
    private static CaseModel TransitionLog(CaseDecl effect, EquatableArray<RecordSpec> records, System.Action<Microsoft.CodeAnalysis.DiagnosticDescriptor, LocationInfo?, string[]> report)
    {
        if (!effect.IsTransitionLog)
        {
            return new CaseModel(effect.TypeName, effect.Tag);
        }

        var states = records.FirstOrDefault(r => r.TypeName == effect.TypeName)?.Members.Where(m => m.Type.Kind == WireKind.StateEnum).Take(2).ToList() ?? [];
        if (states.Count < 2)
        {
            report(DiagnosticDescriptors.BadWireRecord, effect.Location, new[] { Short(effect.TypeName), effect.Tag, "a [TransitionLog] effect must have two members of the machine's state type (the move's source and target)" });
            return new CaseModel(effect.TypeName, effect.Tag);
        }

        return new CaseModel(effect.TypeName, effect.Tag, MoveFrom: states[0].PropertyName, MoveTo: states[1].PropertyName);
    }

    private static void CheckUnique(
        string what,
        IEnumerable<(string Name, string Owner, LocationInfo? Location)> items,
        System.Action<Microsoft.CodeAnalysis.DiagnosticDescriptor, LocationInfo?, string[]> report)
    {
        var first = new Dictionary<string, string>();
        foreach (var (name, owner, location) in items)
        {
            if (first.TryGetValue(name, out var previous))
            {
                report(DiagnosticDescriptors.DuplicateName, location, new[] { what, name, Short(previous), Short(owner) });
            }
            else
            {
                first[name] = owner;
            }
        }
    }

    /// <summary><c>global::NS.Type</c> -> <c>Type</c>, for messages.</summary>
    private static string Short(string typeName)
    {
        var generic = typeName.IndexOf('<');
        var head = generic < 0 ? typeName : typeName.Substring(0, generic);
        var dot = head.LastIndexOf('.');
        return dot < 0 ? typeName.Replace("global::", "") : typeName.Substring(dot + 1);
    }
}
