namespace Peering.Generators;

/// <summary>The names of the generator's pipeline steps (<c>WithTrackingName</c>), for the incrementality tests.</summary>
internal static class TrackingNames
{
    public const string MachineDeclarations = nameof(MachineDeclarations);
    public const string EventDeclarations = nameof(EventDeclarations);
    public const string EffectDeclarations = nameof(EffectDeclarations);
    public const string InvariantDeclarations = nameof(InvariantDeclarations);
    public const string CheckDeclarations = nameof(CheckDeclarations);
    public const string CheckContextDeclarations = nameof(CheckContextDeclarations);
    public const string StrayStates = nameof(StrayStates);
    public const string AllEvents = nameof(AllEvents);
    public const string AllEffects = nameof(AllEffects);
    public const string AllInvariants = nameof(AllInvariants);
    public const string AllChecks = nameof(AllChecks);
    public const string AllCheckContexts = nameof(AllCheckContexts);
    public const string EventsAndEffects = nameof(EventsAndEffects);
    public const string InvariantsAndChecks = nameof(InvariantsAndChecks);
    public const string CompilationDeclarations = nameof(CompilationDeclarations);
    public const string MachinesWithDeclarations = nameof(MachinesWithDeclarations);
    public const string MachineResults = nameof(MachineResults);
    public const string MachineModels = nameof(MachineModels);
    public const string MachineDiagnostics = nameof(MachineDiagnostics);
    public const string PredicateProblems = nameof(PredicateProblems);
    public const string StrayStateProblems = nameof(StrayStateProblems);
    public const string SubtypeDeclarations = nameof(SubtypeDeclarations);
    public const string AllSubtypes = nameof(AllSubtypes);

    /// <summary>Every name above.</summary>
    public static readonly string[] All =
    {
        MachineDeclarations, EventDeclarations, EffectDeclarations, InvariantDeclarations, CheckDeclarations, CheckContextDeclarations, StrayStates,
        AllEvents, AllEffects, AllInvariants, AllChecks, AllCheckContexts, EventsAndEffects, InvariantsAndChecks, CompilationDeclarations,
        MachinesWithDeclarations, MachineResults, MachineModels, MachineDiagnostics, PredicateProblems, StrayStateProblems, SubtypeDeclarations, AllSubtypes,
    };
}
