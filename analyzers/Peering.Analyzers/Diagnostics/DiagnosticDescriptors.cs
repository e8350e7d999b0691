using Microsoft.CodeAnalysis;

namespace Peering.Analyzers.Diagnostics;

/// <summary>
/// The one place for the transition analyzer's diagnostic IDs (docs/toolkit.md section 3).
/// IDs are stable; every one is listed in AnalyzerReleases.Unshipped.md.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Category = "Peering.StateMachines";

    /// <summary>PSM101: a transition whose target is not permitted from a state the machine may be in.</summary>
    public const string TransitionNotPermittedId = "PSM101";

    /// <summary>PSM102: a transition whose target is not a compile-time constant.</summary>
    public const string NonConstantTargetId = "PSM102";

    /// <summary>PSM103: a procedure called from a state outside its RunsFrom.</summary>
    public const string ProcedureStateId = "PSM103";

    /// <summary>PSM104: a transition or procedure call outside a handler or procedure body.</summary>
    public const string CallOutsideHandlerId = "PSM104";

    /// <summary>PSM105: <c>State</c> assigned outside the transition method and constructors.</summary>
    public const string StateAssignedId = "PSM105";

    /// <summary>PSM106: a handler entered other than by the generated <c>Dispatch</c>.</summary>
    public const string HandlerCalledId = "PSM106";

    /// <summary>PSM107: a handler, procedure or transition method the analysis cannot follow.</summary>
    public const string NotFollowedId = "PSM107";

    /// <summary>PSM108: a [Transition] method that does not just assign State from its target parameter.</summary>
    public const string BadTransitionBodyId = "PSM108";

    /// <summary>PSM109: code that may reach machine members without a call the analysis sees.</summary>
    public const string HiddenCallId = "PSM109";

    /// <summary>Diagnostic property: the fully qualified name of the target state class (code fix input).</summary>
    public const string TargetTypeProperty = "TargetType";

    /// <summary>Diagnostic property: the target state's class name.</summary>
    public const string TargetNameProperty = "TargetName";

    /// <summary>Diagnostic property: the source state's class name.</summary>
    public const string SourceNameProperty = "SourceName";

    /// <summary>Diagnostic property: the handled event type's name.</summary>
    public const string EventNameProperty = "EventName";

    /// <summary>
    /// {0} source state, {1} target, {2} " on 'Event'" when checked against the source state's
    /// Handles(Event) targets (a handler entry state; " on 'Event' (the machine's default)" when the
    /// state inherits them from the machine) or empty for the state-level permitted set,
    /// {3} the permitted set, e.g. "{Opened, Closed}".
    /// </summary>
    public static readonly DiagnosticDescriptor TransitionNotPermitted = new(
        TransitionNotPermittedId,
        title: "Transition not permitted",
        messageFormat: "Transition from '{0}' to '{1}' is not permitted; permitted from '{0}'{2}: {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "From a handler entry state a transition must be one of that state's Handles targets for the event; after a move it must be in the state-level permitted set (all Handles targets plus Continues) of the state moved into.");

    /// <summary>{0} the transition method's name.</summary>
    public static readonly DiagnosticDescriptor NonConstantTarget = new(
        NonConstantTargetId,
        title: "Transition target is not a constant",
        messageFormat: "The target of transition '{0}' is not a compile-time constant",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every transition must name its target state as a compile-time constant so that it can be checked against the declarations.");

    /// <summary>{0} the procedure's name, {1} the offending states, {2} the declared RunsFrom set.</summary>
    public static readonly DiagnosticDescriptor ProcedureState = new(
        ProcedureStateId,
        title: "Procedure called from an undeclared state",
        messageFormat: "Procedure '{0}' is called while the machine may be in {1}, outside its RunsFrom {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A procedure may only be called while every state the machine may be in is listed in its [Procedure] attribute.");

    /// <summary>{0} "Transition" or "Procedure", {1} the method's name, {2} where, e.g. "called in a lambda".</summary>
    public static readonly DiagnosticDescriptor CallOutsideHandler = new(
        CallOutsideHandlerId,
        title: "Transition or procedure call outside a handler or procedure",
        messageFormat: "{0} '{1}' is {2}; transitions and procedure calls are allowed only directly in a handler or procedure body",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Transitions and procedure calls are checked only when they are made directly, on the machine itself, from the body of a [Handler] or [Procedure] method.");

    /// <summary>{0} where, e.g. "in 'Reset'" or "in a lambda".</summary>
    public static readonly DiagnosticDescriptor StateAssigned = new(
        StateAssignedId,
        title: "State assigned outside the transition method",
        messageFormat: "'State' is assigned {0}; only the [Transition] method and constructors may assign it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Only the machine's [Transition] method and its constructors may assign State, so that every move goes through a checked transition. A [Restore] method restores the machine as a constructor does: it may assign State, and only the machine's constructors may call it.");

    /// <summary>{0} the handler's name, {1} where, e.g. "called in 'Helper'" or "used as a delegate".</summary>
    public static readonly DiagnosticDescriptor HandlerCalled = new(
        HandlerCalledId,
        title: "Handler entered other than by Dispatch",
        messageFormat: "Handler '{0}' is {1}; a handler runs only from the generated Dispatch, which checks its entry state",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A handler is checked from the states that declare Handles for its event, which is where Dispatch calls it. Called directly (from a handler, a procedure, a helper, a constructor or another instance) or turned into a delegate, it would run from states it is not checked from.");

    /// <summary>{0} "Handler", "Procedure" or "Transition", {1} the member's name, {2} why.</summary>
    public static readonly DiagnosticDescriptor NotFollowed = new(
        NotFollowedId,
        title: "Member the transition analysis cannot follow",
        messageFormat: "{0} '{1}' cannot be checked: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Handlers, procedures and the transition method must be ordinary, non-virtual, synchronous methods of the machine with a body, called only where the analysis sees the call. Anything else could move the machine where no check reaches.");

    /// <summary>{0} the transition method's name, {1} the problem.</summary>
    public static readonly DiagnosticDescriptor BadTransitionBody = new(
        BadTransitionBodyId,
        title: "Invalid [Transition] method",
        messageFormat: "The [Transition] method '{0}' {1}; it must be an instance method that assigns State only from its target parameter",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every call of the transition method is checked with its constant target; the method itself must move the machine to exactly that target and nowhere else.");

    /// <summary>{0} what, e.g. "'Move' of machine 'Door' is called through dynamic".</summary>
    public static readonly DiagnosticDescriptor HiddenCall = new(
        HiddenCallId,
        title: "Machine member reached without a checked call",
        messageFormat: "{0}; the transition analysis cannot check what it reaches",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Late-bound calls (dynamic) and unsafe accessors reach handlers, procedures, transitions or the State setter without a call the analyzer can check.");
}
