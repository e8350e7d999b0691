using System.CommandLine;
using Peering.Exploration;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;
using Peering.StateMachines.Tools;

namespace Peering.Cli.Commands;

/// <summary>
/// What <c>peering explore</c> adds to the toolkit's <c>explore</c> (docs/exploration.md): the world
/// options (profile, cluster size, objects, lengths) and, in the report, the REDUCER.md §13 step pairs
/// reachable from a generated start.
/// </summary>
public static class ExploreCommand
{
    /// <summary>The world options and how they make a world.</summary>
    public static MachineTools<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.ExplorationSetup Setup<TContract, TMachine>()
        where TContract : struct, IMachineContract<TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>
        where TMachine : class
    {
        var profile = new Option<string>("--profile") { Description = "Event mix (GENERATOR.md §5)", DefaultValueFactory = _ => "lean-core" };
        profile.AcceptOnlyFromAmong("lean-core", "full");
        var osds = new Option<int>("--osds") { HelpName = "N", Description = "Cluster size: OSD ids 0..N-1 (2 to 5)", DefaultValueFactory = _ => 3 };
        var objects = new Option<int>("--objects") { HelpName = "N", Description = "Object ids 0..N-1 (1 to 4)", DefaultValueFactory = _ => 1 };
        var maxLength = new Option<int>("--max-length") { HelpName = "N", Description = "Object lengths are 0..N (1 to 300)", DefaultValueFactory = _ => 1 };
        return new([profile, osds, objects, maxLength], r =>
        {
            Profiles.TryParse(r.GetValue(profile), out var p);
            var (n, o, l) = (r.GetValue(osds), r.GetValue(objects), r.GetValue(maxLength));
            var problem = n is < 2 or > 5 ? "--osds must be 2 to 5"
                : o is < 1 or > 4 ? "--objects must be 1 to 4"
                : l is < 1 or > 300 ? "--max-length must be 1 to 300"
                : null;
            return problem is not null
                ? new(null, problem, [], null)
                : Choice<TContract, TMachine>(new ExplorationWorld(p, n, o, l));
        });
    }

    /// <summary>How the report describes <paramref name="world"/>.</summary>
    public static MachineTools<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.WorldChoice Choice<TContract, TMachine>(ExplorationWorld world)
        where TContract : struct, IMachineContract<TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>
        where TMachine : class => new(
        world,
        world.ToString(),
        [new("profile", world.Profile.Name()), new("osds", world.Osds), new("objects", world.Objects), new("max_length", world.MaxLength)],
        new ExpectedStepPairs(
            "REDUCER.md §13 pairs reachable from a generated start",
            "spec_step_pairs",
            "reachable_from_generated_start",
            SpecStepPairs.ReachableFromGeneratedStart(world.Profile)));
}
