using Peering.Cli;

return PeeringTool.Create().Run(args);
