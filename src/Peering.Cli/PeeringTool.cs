using Peering.Cli.Commands;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;
using Peering.StateMachines.Tools;

namespace Peering.Cli;

/// <summary>
/// The <c>peering</c> command: the toolkit's command-line host over the peering machine (replay,
/// fuzz, shrink, explore, diagram, stats, generate), plus what only peering has: its two event
/// profiles, <c>generate --format legacy</c>, its exploration world and the hidden <c>bench</c>.
/// </summary>
public static class PeeringTool
{
    /// <summary>
    /// The reference implementation's programs as <c>replay-fuzz</c> runs them: <c>cross_validate</c>'s
    /// argument form, <c>events_driver</c>'s (which also checks that each event it is sent re-serializes
    /// byte for byte), the program <c>scripts/replay_fuzz.py</c> runs by default, and that script's
    /// option names where they mean the same thing, so that its users switch by changing the program name.
    /// </summary>
    public static ExternalImplementation Reference { get; } = new()
    {
        TraceArguments = "--profile {profile} --seed {seed} --events {events}",
        EventsArguments = "--events-file - --seed {seed} --check-roundtrip",
        DefaultProgram = "build/cpp/cross_validate",
        Aliases = new Dictionary<string, string>
        {
            ["--cross-validate"] = "--against",
            ["--event"] = "--events",
            ["--require-cpp-image-invariant"] = "--require-image-invariant",
        },
    };

    /// <summary>The tool.</summary>
    public static PeeringTools.Host Create() => Create(PeeringMachine.Types).WithCommand(_ => BenchCommand.Create());

    /// <summary>
    /// The tool over another contract of the peering machine's types (tests hand it one with a
    /// deliberate fault, so that every command can be tried on a reducer bug).
    /// </summary>
    public static MachineTools<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.Host Create<TContract, TMachine>(
        MachineTypes<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks> machine)
        where TContract : struct, IMachineContract<TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>
        where TMachine : class =>
        ToolHost.Create(machine, "peering", "peering: trace tools for the reduced append-only Ceph peering model")
            .WithEvents(PeeringEvents.Instance, fuzzProfile: "lean-core", generateProfile: "full")
            .WithCheckAlias("--require-image-invariant", "image_invariant")
            .WithExternal(Reference)
            .WithSampleEvents(PeeringEvents.CorpusEvents)
            .WithExploration(ExploreCommand.Setup<TContract, TMachine>())
            .WithCommand(GenerateCommand.Create<TContract, TMachine>);
}
