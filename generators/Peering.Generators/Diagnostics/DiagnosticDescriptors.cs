using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Peering.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports (docs/toolkit.md, "Generator diagnostics"). IDs are stable.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Peering.StateMachines";

    public static readonly DiagnosticDescriptor UndecidedPair = Error(
        "PSM001",
        "Event neither handled nor ignored",
        "State '{0}' neither handles nor ignores event '{1}'; add [Handles(typeof({1}), ...)] or [Ignores(typeof({1}))] to it, or as a default to the machine");

    public static readonly DiagnosticDescriptor DuplicateDecision = Error(
        "PSM002",
        "Event declared more than once",
        "'{0}' declares event '{1}' more than once");

    public static readonly DiagnosticDescriptor MissingHandler = Error(
        "PSM003",
        "Handled event without a handler",
        "'{0}' handles event '{1}' but the machine has no [Handler] for it");

    public static readonly DiagnosticDescriptor BadHandler = Error(
        "PSM004",
        "Invalid handler",
        "Handler '{0}': {1}");

    public static readonly DiagnosticDescriptor UnsupportedMemberType = Error(
        "PSM005",
        "Member type not supported by the wire format",
        "Type '{0}' of '{1}' cannot be written on the wire: {2}");

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "PSM006",
        "Machine or state declaration is invalid",
        "'{0}': {1}");

    public static readonly DiagnosticDescriptor DuplicateName = Error(
        "PSM007",
        "Duplicate wire name",
        "{0} '{1}' is used by both '{2}' and '{3}'");

    public static readonly DiagnosticDescriptor BadPredicate = Error(
        "PSM008",
        "Invalid invariant, check or snapshot factory",
        "'{0}': {1}");

    public static readonly DiagnosticDescriptor UnknownDeclaredType = Error(
        "PSM009",
        "Type is not a state or event of the machine",
        "'{0}' in [{1}] on '{2}' is not {3} of machine '{4}'");

    public static readonly DiagnosticDescriptor BadWireRecord = Error(
        "PSM010",
        "Wire record cannot be constructed",
        "Type '{0}' ({1}): {2}");

    public static readonly DiagnosticDescriptor BadTransitionMethod = Error(
        "PSM011",
        "Invalid [Transition] method",
        "Machine '{0}': {1}");

    public static readonly DiagnosticDescriptor UndispatchableEvent = Error(
        "PSM012",
        "Event type without a decision",
        "'{0}' can be dispatched to machine '{1}' but {2}");

    public static readonly DiagnosticDescriptor BadStepMethod = Error(
        "PSM013",
        "Invalid step declaration",
        "'{0}': {1}");

    public static readonly DiagnosticDescriptor NoContract = new(
        "PSM014",
        "No trace-tool contract",
        "Machine '{0}' gets no trace-tool contract ({0}.Contract, {0}.Types, the pure Step): {1}",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnusedDefault = new(
        "PSM015",
        "Default decision no state inherits",
        "Machine '{0}' declares a default for event '{1}' that every state overrides; remove the default",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor IneffectiveDeclaration = Error(
        "PSM016",
        "Declaration that has no effect where it is",
        "'{0}': {1}");

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = new()
    {
        [UndecidedPair.Id] = UndecidedPair,
        [DuplicateDecision.Id] = DuplicateDecision,
        [MissingHandler.Id] = MissingHandler,
        [BadHandler.Id] = BadHandler,
        [UnsupportedMemberType.Id] = UnsupportedMemberType,
        [NotPartial.Id] = NotPartial,
        [DuplicateName.Id] = DuplicateName,
        [BadPredicate.Id] = BadPredicate,
        [UnknownDeclaredType.Id] = UnknownDeclaredType,
        [BadWireRecord.Id] = BadWireRecord,
        [BadTransitionMethod.Id] = BadTransitionMethod,
        [UndispatchableEvent.Id] = UndispatchableEvent,
        [BadStepMethod.Id] = BadStepMethod,
        [NoContract.Id] = NoContract,
        [UnusedDefault.Id] = UnusedDefault,
        [IneffectiveDeclaration.Id] = IneffectiveDeclaration,
    };

    public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

    public static DiagnosticDescriptor Get(string id) => ById[id];

    public static Diagnostic ToDiagnostic(Model.DiagnosticInfo info)
    {
        var args = new object[info.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = info.Arguments[i];
        }

        return Diagnostic.Create(Get(info.Id), info.Location?.ToLocation() ?? Location.None, args);
    }

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
