using System.CommandLine;
using System.Diagnostics;
using Peering.Exploration;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines.Exploration;

namespace Peering.Cli.Commands;

/// <summary>
/// <c>peering explore</c>: bounded exhaustive exploration of the reducer (docs/exploration.md). Every
/// event sequence of the small world's alphabet up to the depth, from every initial configuration,
/// breadth-first; every declared invariant on every new snapshot; coverage against the declared machine.
/// </summary>
public static class ExploreCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var profile = new Option<string>("--profile")
        {
            Description = "Event mix (GENERATOR.md §5)",
            DefaultValueFactory = _ => "lean-core",
        };
        profile.AcceptOnlyFromAmong("lean-core", "full");
        var osds = new Option<int>("--osds") { HelpName = "N", Description = "Cluster size: OSD ids 0..N-1 (2 to 5)", DefaultValueFactory = _ => ExploreSettings.Default.Osds };
        var objects = new Option<int>("--objects") { HelpName = "N", Description = "Object ids 0..N-1 (1 to 4)", DefaultValueFactory = _ => ExploreSettings.Default.Objects };
        var maxLength = new Option<int>("--max-length") { HelpName = "N", Description = "Object lengths are 0..N (1 to 300)", DefaultValueFactory = _ => ExploreSettings.Default.MaxLength };
        var depth = new Option<int>("--depth") { HelpName = "N", Description = "Events explored after each initial configuration (0 to 64)", DefaultValueFactory = _ => ExploreSettings.Default.Depth };
        var jobs = new Option<int>("--jobs") { HelpName = "N", Description = "Worker threads (the default is the number of cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to FILE", HelpName = "FILE" };
        var maxStates = new Option<long>("--max-states")
        {
            HelpName = "N",
            Description = $"Stop with exit code {ExitCodes.StateBound} rather than keep more distinct snapshots than this (the memory bound)",
            DefaultValueFactory = _ => ExploreSettings.Default.MaxStates,
        };
        var trace = new Option<string>("--trace")
        {
            Description = "Where a counterexample trace is written",
            HelpName = "FILE",
            DefaultValueFactory = _ => ExploreSettings.Default.TracePath,
        };
        var command = new Command("explore", "Explore every event sequence up to a depth in a small world, checking every invariant on every snapshot")
        {
            profile, osds, objects, maxLength, depth, jobs, json, maxStates, trace,
        };
        command.SetAction(result =>
        {
            Profiles.TryParse(result.GetValue(profile), out var p);
            var settings = new ExploreSettings(
                p, result.GetValue(osds), result.GetValue(objects), result.GetValue(maxLength), result.GetValue(depth),
                result.GetValue(jobs), result.GetValue(maxStates), result.GetValue(json), result.GetValue(trace)!);
            return Run(settings, Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>Runs an exploration, prints the report to <paramref name="stdout"/>, progress and errors to <paramref name="stderr"/>; returns the exit code.</summary>
    public static int Run(ExploreSettings settings, TextWriter stdout, TextWriter stderr) => Run(settings, stdout, stderr, null);

    /// <summary>The same with another model of the same world (tests plant violations through it).</summary>
    internal static int Run(
        ExploreSettings settings, TextWriter stdout, TextWriter stderr, Func<ExplorationWorld, IExplorationModel<PgSnapshot, PgEvent>>? modelOf)
    {
        if (settings.Validate() is { } problem)
        {
            stderr.WriteLine($"peering: {problem}");
            return ExitCodes.Usage;
        }

        var world = new ExplorationWorld(settings.Profile, settings.Osds, settings.Objects, settings.MaxLength);
        var model = modelOf?.Invoke(world) ?? new PeeringExplorationModel(world);
        stdout.WriteLine(
            $"explore: profile {settings.Profile.Name()}, {settings.Osds} OSDs, {settings.Objects} object(s), lengths 0..{settings.MaxLength}, " +
            $"depth {settings.Depth}, {settings.Jobs} job(s), {model.InitialEvents.Count} initial configurations");
        var options = new ExplorationOptions
        {
            MaxDepth = settings.Depth,
            MaxStates = settings.MaxStates,
            Jobs = settings.Jobs,
            Progress = p => stderr.WriteLine(
                $"depth {p.Depth}: {p.NewStates} new, {p.DistinctStates} distinct, {p.Transitions} transitions, {p.Elapsed.TotalSeconds:F1} s"),
        };
        var result = Explorer.Run(model, options);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var report = new ExploreReport(settings, result, peak);

        if (result.Violation is { } violation)
        {
            try
            {
                using var file = File.Create(settings.TracePath);
                model.WriteTrace(file, violation.Steps);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"peering: cannot write the counterexample trace: {e.Message}");
                return ExitCodes.Output;
            }
        }

        report.WriteText(stdout);
        if (settings.JsonPath is { } path)
        {
            try
            {
                using var file = File.Create(path);
                report.WriteJson(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"peering: cannot write the JSON report: {e.Message}");
                return ExitCodes.Output;
            }
        }

        return result.Status switch
        {
            ExplorationStatus.Completed => ExitCodes.Ok,
            ExplorationStatus.Violation => ExitCodes.Failure,
            _ => ExitCodes.StateBound,
        };
    }
}
