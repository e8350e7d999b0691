using System.Collections.Generic;
using System.Linq;

namespace Peering.Generators.Model;

/// <summary>One (state, event) decision: handled (with the handler and the permitted targets) or ignored.</summary>
internal sealed record DecisionModel(bool Handled, string? Handler, EquatableArray<int> Targets);

/// <summary>A state: its enum member name, wire name, one decision per event (by event index) and its continuations.</summary>
internal sealed record StateModel(string Name, string WireName, EquatableArray<DecisionModel> Decisions, EquatableArray<int> Continues);

/// <summary>
/// A concrete event or effect type and its tag. <paramref name="Depth"/> is the number of the
/// machine's other cases (of the same union) it derives from: 0 unless an [Event] derives from another.
/// For a <c>[TransitionLog]</c> effect, <paramref name="MoveFrom"/> and <paramref name="MoveTo"/> are
/// the properties holding the move's source and target.
/// </summary>
internal sealed record CaseModel(string TypeName, string Tag, int Depth = 0, string? MoveFrom = null, string? MoveTo = null);

/// <summary>The order a type switch over cases must test them in.</summary>
internal static class CaseOrder
{
    /// <summary>Case indices, every derived case before the cases it derives from (else its label is unreachable, CS8120); otherwise declaration order.</summary>
    public static IEnumerable<int> DerivedFirst(EquatableArray<CaseModel> cases) =>
        Enumerable.Range(0, cases.Count).OrderByDescending(i => cases[i].Depth).ThenBy(i => i);
}

/// <summary>A procedure and the states (indices) it runs from.</summary>
internal sealed record ProcedureModel(string Name, EquatableArray<int> RunsFrom);

/// <summary>An invariant or check: its reported name, the generated property name, the method to call, and whether it takes the check context.</summary>
internal sealed record PredicateModel(string Name, string PropertyName, string Call, bool TakesContext);

/// <summary>
/// How the machine steps (see <see cref="StepDecl"/>). <paramref name="Contract"/>: the machine has what the
/// pure step and the trace-tool contract need (a snapshot factory, a restoring and a fresh constructor).
/// </summary>
internal sealed record StepModel(bool Contract, string? Accepts, string? Apply, string? RestoreInPlace, string? ContextFactory);

/// <summary>
/// Everything the emitters need for one machine, resolved and validated. It holds no diagnostic
/// (they travel beside it, in <see cref="MachineResult"/>), so a diagnostic that only moves leaves
/// the model equal and nothing is re-emitted. <paramref name="HasErrors"/>: some declaration is in
/// error, so only the state enum is emitted; <paramref name="NotPartial"/>: not even that (PSM006).
/// </summary>
internal sealed record MachineModel(
    string Namespace,
    string Name,
    string TypeName,
    bool IsPublic,
    string StateEnumName,
    string EventBase,
    string EffectBase,
    string SnapshotType,
    EquatableArray<StateModel> States,
    EquatableArray<CaseModel> Events,
    EquatableArray<CaseModel> Effects,
    EquatableArray<ProcedureModel> Procedures,
    EquatableArray<PredicateModel> Checks,
    EquatableArray<PredicateModel> Invariants,
    string? SnapshotFactory,
    StepModel Step,
    EquatableArray<RecordSpec> Records,
    bool HasErrors,
    bool NotPartial)
{
    public string StateEnumTypeName => Namespace.Length == 0 ? "global::" + StateEnumName : "global::" + Namespace + "." + StateEnumName;

    public string ChecksName => Name + "Checks";

    public string InvariantsName => Name + "Invariants";

    public string JsonName => Name + "Json";

    public string ChecksTypeName => Qualify(ChecksName);

    public string InvariantsTypeName => Qualify(InvariantsName);

    public string JsonTypeName => Qualify(JsonName);

    public string Accessibility => IsPublic ? "public" : "internal";

    private string Qualify(string name) => Namespace.Length == 0 ? "global::" + name : "global::" + Namespace + "." + name;
}

/// <summary>What assembling a machine yields: the model the emitters read and the diagnostics to report, split apart by the generator's pipeline.</summary>
internal sealed record MachineResult(MachineModel Model, EquatableArray<DiagnosticInfo> Diagnostics);
