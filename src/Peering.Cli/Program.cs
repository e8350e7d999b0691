using System.CommandLine;
using Peering.Cli;
using Peering.Cli.Commands;

var root = new RootCommand("peering: trace tools for the reduced append-only Ceph peering model")
{
    GenerateCommand.Create(),
    ReplayCommand.Create(),
};

return CommandLine.Run(root, args);
