using Peering.Cli.Commands;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines.Tools;

namespace Peering.Cli;

/// <summary>
/// The <c>peering</c> command: the toolkit's command-line host over the peering machine (replay,
/// fuzz, shrink, explore, diagram, stats, generate), plus what only peering has: its two event
/// profiles, <c>generate --format legacy</c>, its exploration world and the hidden <c>bench</c>.
/// </summary>
public static class PeeringTool
{
    /// <summary>The <c>--events</c> schedule of the reference corpus (conformance/MANIFEST.tsv): <c>32 + seed·37 mod 480</c>.</summary>
    public static long CorpusEvents(ulong seed) => 32 + (long)(seed * 37 % 480);

    /// <summary>The tool.</summary>
    public static PeeringTools.Host Create() =>
        ToolHost.Create(PeeringMachine.Types, "peering", "peering: trace tools for the reduced append-only Ceph peering model")
            .WithEvents(PeeringEvents.Instance, fuzzProfile: "lean-core", generateProfile: "full")
            .WithCheckAlias("--require-image-invariant", "image_invariant")
            .WithSampleEvents(CorpusEvents)
            .WithExploration(ExploreCommand.Setup())
            .WithCommand(GenerateCommand.Create)
            .WithCommand(_ => BenchCommand.Create());
}
