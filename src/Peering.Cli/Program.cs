using System.CommandLine;
using Peering.Cli;
using Peering.Cli.Commands;

var root = new RootCommand("peering: trace tools for the reduced append-only Ceph peering model")
{
    FuzzCommand.Create(),
    GenerateCommand.Create(),
    ReplayCommand.Create(),
    StatsCommand.Create(),
    ShrinkCommand.Create(),
    BenchCommand.Create(),
    ExploreCommand.Create(),
    DiagramCommand.Create(),
};

return CommandLine.Run(root, args);
