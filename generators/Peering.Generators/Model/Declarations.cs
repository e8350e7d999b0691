namespace Peering.Generators.Model;

/// <summary>A type named in an attribute (<c>typeof(X)</c>): its fully qualified name ("" when unresolved) and where.</summary>
internal sealed record TypeUse(string TypeName, string DisplayName, LocationInfo? Location);

/// <summary>A <c>[Handles(typeof(E), targets...)]</c> on a state, or on the machine as a default.</summary>
internal sealed record HandlesDecl(TypeUse Event, EquatableArray<TypeUse> Targets, LocationInfo? Location);

/// <summary>A <c>[State]</c> class as declared.</summary>
internal sealed record StateDecl(
    string ClassName,
    string TypeName,
    string WireName,
    EquatableArray<HandlesDecl> Handles,
    EquatableArray<TypeUse> Ignores,
    EquatableArray<TypeUse> Continues,
    LocationInfo? Location);

/// <summary>A <c>[Handler]</c> method; <paramref name="EventType"/> is null when its signature is wrong (already reported).</summary>
internal sealed record HandlerDecl(string MethodName, string? EventType, LocationInfo? Location);

/// <summary>A <c>[Procedure]</c> method.</summary>
internal sealed record ProcedureDecl(string MethodName, EquatableArray<TypeUse> RunsFrom, LocationInfo? Location);

/// <summary>
/// What the <c>[StateMachine]</c> class declares, before it is matched with the events, effects and predicates.
/// <paramref name="DefaultHandles"/> and <paramref name="DefaultIgnores"/> are the decisions on the machine
/// class itself: every state that declares nothing about their event inherits them.
/// </summary>
internal sealed record MachineDecl(
    string Namespace,
    string Name,
    string TypeName,
    bool IsPublic,
    string StateEnumName,
    string EventBase,
    string EffectBase,
    string SnapshotType,
    EquatableArray<StateDecl> States,
    EquatableArray<HandlesDecl> DefaultHandles,
    EquatableArray<TypeUse> DefaultIgnores,
    EquatableArray<HandlerDecl> Handlers,
    EquatableArray<ProcedureDecl> Procedures,
    string? SnapshotFactory,
    WireGraph? Snapshot,
    StepDecl Step,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// How the machine steps, for the pure step and the trace-tool contract: whether it can be restored
/// from a snapshot and built fresh, and its optional <c>[Accepts]</c> filter, <c>[Apply]</c> step and
/// <c>[Restore]</c> in-place restore.
/// </summary>
internal sealed record StepDecl(bool HasRestore, bool HasFresh, string? Accepts, string? Apply, string? RestoreInPlace);

/// <summary>An <c>[Event]</c> or <c>[Effect]</c> type: its tag, the types it derives from, and its wire shape.</summary>
internal sealed record CaseDecl(
    string TypeName,
    string Tag,
    EquatableArray<string> BaseTypes,
    WireGraph Graph,
    bool IsTransitionLog,
    LocationInfo? Location);

/// <summary>
/// An <c>[Invariant]</c> or <c>[Check]</c> method. <paramref name="SnapshotType"/> is the type of its
/// first parameter, <paramref name="ContextType"/> that of its second ("" when it takes only the
/// snapshot); <paramref name="Problem"/> is set when its signature is wrong.
/// </summary>
internal sealed record PredicateDecl(
    string Name,
    string MethodName,
    string Call,
    string SnapshotType,
    string ContextType,
    LocationInfo? Location,
    DiagnosticInfo? Problem);

/// <summary>A <c>[CheckContext]</c> factory: <c>static TContext M(TSnapshot)</c>; <paramref name="Problem"/> is set when its signature is wrong.</summary>
internal sealed record ContextDecl(
    string MethodName,
    string Call,
    string SnapshotType,
    string ContextType,
    LocationInfo? Location,
    DiagnosticInfo? Problem);

/// <summary>A concrete class or struct with a base list that is not an <c>[Event]</c>: the types it derives from.</summary>
internal sealed record SubtypeDecl(string TypeName, EquatableArray<string> BaseTypes, LocationInfo? Location);

/// <summary>Every event, effect, invariant and check of the compilation, in source order, and the concrete non-event subtypes.</summary>
internal sealed record CompilationDecls(
    EquatableArray<CaseDecl> Events,
    EquatableArray<CaseDecl> Effects,
    EquatableArray<PredicateDecl> Invariants,
    EquatableArray<PredicateDecl> Checks,
    EquatableArray<ContextDecl> Contexts,
    EquatableArray<SubtypeDecl> Subtypes);
