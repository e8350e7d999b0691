using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Peering.Exploration;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;
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

/// <summary>The options of <c>peering explore</c>.</summary>
public sealed record ExploreSettings(
    Profile Profile,
    int Osds,
    int Objects,
    int MaxLength,
    int Depth,
    int Jobs,
    long MaxStates,
    string? JsonPath,
    string TracePath)
{
    /// <summary>The defaults (the issue's goal bound has <c>--objects 2</c>).</summary>
    public static ExploreSettings Default { get; } =
        new(Profile.LeanCore, 3, 1, 1, 8, Environment.ProcessorCount, 20_000_000, null, "explore-counterexample.jsonl");

    /// <summary>A usage problem, or null.</summary>
    public string? Validate() =>
        Osds is < 2 or > 5 ? "--osds must be 2 to 5"
        : Objects is < 1 or > 4 ? "--objects must be 1 to 4"
        : MaxLength is < 1 or > 300 ? "--max-length must be 1 to 300"
        : Depth is < 0 or > 64 ? "--depth must be 0 to 64"
        : Jobs < 1 ? "--jobs must be at least 1"
        : MaxStates < 1 ? "--max-states must be at least 1"
        : null;
}

/// <summary>The figures and coverage of one exploration, as text and as JSON.</summary>
internal sealed class ExploreReport(ExploreSettings settings, ExplorationResult<PgSnapshot, PgEvent> result, long peakMemory)
{
    private readonly ExplorationCoverage _coverage = result.Coverage;
    private readonly MachineDefinition _definition = result.Coverage.Definition;

    private string State(int index) => _definition.States[index];

    private string Event(int index) => _definition.Events[index];

    private string Move(SingleMove m) => $"{State(m.From)} -> {State(m.To)}";

    private IReadOnlyList<SingleMove> SpecPairs => SpecStepPairs.ReachableFromGeneratedStart(settings.Profile);

    private IReadOnlyList<SingleMove> SpecUnreached => SpecPairs.Where(p => _coverage.StepCount(p.From, p.To) == 0).ToArray();

    public void WriteText(TextWriter w)
    {
        var status = result.Status switch
        {
            ExplorationStatus.Completed => "no violation",
            ExplorationStatus.Violation => "INVARIANT VIOLATION",
            ExplorationStatus.StateLimit => $"STOPPED: more than {settings.MaxStates} distinct snapshots (--max-states); raise it or lower --depth",
            _ => "STOPPED: the managed heap reached its limit before --max-states; lower --max-states or --depth",
        };
        w.WriteLine($"result: {status}");
        w.WriteLine($"distinct snapshots: {result.DistinctStates}");
        w.WriteLine($"transitions taken: {result.Transitions}");
        w.WriteLine($"depth reached: {result.DepthReached}{(result.Exhausted ? " (exhausted: nothing new at the next depth)" : string.Empty)}");
        w.WriteLine($"snapshots per depth: {string.Join(" ", result.LevelSizes)}");
        w.WriteLine($"time: {result.Elapsed.TotalSeconds:F1} s, {result.StatesPerSecond:F0} snapshots/s, {result.Transitions / Math.Max(result.Elapsed.TotalSeconds, 1e-9):F0} transitions/s");
        w.WriteLine($"peak memory: {peakMemory / (1024.0 * 1024.0):F0} MiB");

        var handled = _coverage.ReachedHandled.Count;
        w.WriteLine($"(state, event) pairs: {handled}/{_definition.Handled.Length} handled and {_coverage.ReachedIgnored.Count}/{_definition.Ignored.Length} ignored pairs tried");
        w.WriteLine($"  handled, never tried: {Join(_coverage.UnreachedHandled.Select(p => $"{State(p.State)}/{Event(p.Event)}"))}");
        w.WriteLine($"single moves: {_coverage.ReachedMoves.Count}/{_coverage.DeclaredMoves.Count} declared (from, to) moves made");
        w.WriteLine($"  never made: {Join(_coverage.UnreachedMoves.Select(Move))}");
        if (_coverage.UndeclaredMoves.Count > 0)
        {
            w.WriteLine($"  UNDECLARED moves made: {Join(_coverage.UndeclaredMoves.Select(Move))}");
        }

        var steps = _coverage.StepPairs.Where(p => p.From != p.To).ToArray();
        w.WriteLine($"step pairs (from_state -> to_state, moving): {steps.Length}: {Join(steps.Select(Move))}");
        w.WriteLine($"REDUCER.md §13 pairs reachable from a generated start: {SpecPairs.Count - SpecUnreached.Count}/{SpecPairs.Count} reached" +
            (SpecUnreached.Count > 0 ? $"; NOT reached: {Join(SpecUnreached.Select(Move))}" : string.Empty));

        if (result.Violation is { } v)
        {
            w.WriteLine($"violation: {string.Join(", ", v.Invariants)} after {v.Depth} event(s) from an initial configuration; trace: {settings.TracePath}");
            for (var i = 0; i < v.Steps.Count; i++)
            {
                var s = v.Steps[i];
                w.WriteLine($"  step {i}: {State(s.From)} -> {State(s.To)} on {s.Event}");
            }
        }
    }

    public void WriteJson(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("profile", settings.Profile.Name());
        w.WriteNumber("osds", settings.Osds);
        w.WriteNumber("objects", settings.Objects);
        w.WriteNumber("max_length", settings.MaxLength);
        w.WriteNumber("depth", settings.Depth);
        w.WriteNumber("jobs", settings.Jobs);
        w.WriteNumber("max_states", settings.MaxStates);
        w.WriteString("status", result.Status switch
        {
            ExplorationStatus.Completed => "completed",
            ExplorationStatus.Violation => "violation",
            ExplorationStatus.StateLimit => "state_limit",
            _ => "memory_limit",
        });
        w.WriteNumber("distinct_snapshots", result.DistinctStates);
        w.WriteNumber("transitions", result.Transitions);
        w.WriteNumber("depth_reached", result.DepthReached);
        w.WriteBoolean("exhausted", result.Exhausted);
        w.WriteStartArray("snapshots_per_depth");
        foreach (var n in result.LevelSizes)
        {
            w.WriteNumberValue(n);
        }

        w.WriteEndArray();
        w.WriteNumber("elapsed_seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteNumber("snapshots_per_second", Math.Round(result.StatesPerSecond));
        w.WriteNumber("peak_memory_bytes", peakMemory);

        w.WriteStartObject("coverage");
        w.WriteStartObject("handled_pairs");
        Pairs(w, "reached", _coverage.ReachedHandled.Select(p => (p.State, p.Event)));
        Pairs(w, "unreached", _coverage.UnreachedHandled.Select(p => (p.State, p.Event)));
        w.WriteEndObject();
        w.WriteStartObject("ignored_pairs");
        Pairs(w, "reached", _coverage.ReachedIgnored.Select(p => (p.State, p.Event)));
        Pairs(w, "unreached", _coverage.UnreachedIgnored.Select(p => (p.State, p.Event)));
        w.WriteEndObject();
        w.WriteStartObject("single_moves");
        Moves(w, "reached", _coverage.ReachedMoves, _coverage.MoveCount);
        Moves(w, "unreached", _coverage.UnreachedMoves, _coverage.MoveCount);
        Moves(w, "undeclared", _coverage.UndeclaredMoves, _coverage.MoveCount);
        w.WriteEndObject();
        Moves(w, "step_pairs", _coverage.StepPairs, _coverage.StepCount);
        w.WriteStartObject("spec_step_pairs");
        Moves(w, "reachable_from_generated_start", SpecPairs, _coverage.StepCount);
        Moves(w, "unreached", SpecUnreached, _coverage.StepCount);
        w.WriteEndObject();
        w.WriteEndObject();

        if (result.Violation is { } v)
        {
            w.WriteStartObject("violation");
            w.WriteNumber("depth", v.Depth);
            w.WriteStartArray("invariants");
            foreach (var name in v.Invariants)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteString("trace", settings.TracePath);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private void Pairs(Utf8JsonWriter w, string name, IEnumerable<(int State, int Event)> pairs)
    {
        w.WriteStartArray(name);
        foreach (var (state, ev) in pairs)
        {
            w.WriteStartObject();
            w.WriteString("state", State(state));
            w.WriteString("event", Event(ev));
            w.WriteNumber("count", _coverage.PairCount(state, ev));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void Moves(Utf8JsonWriter w, string name, IEnumerable<SingleMove> moves, Func<int, int, long> count)
    {
        w.WriteStartArray(name);
        foreach (var m in moves)
        {
            w.WriteStartObject();
            w.WriteString("from", State(m.From));
            w.WriteString("to", State(m.To));
            w.WriteNumber("count", count(m.From, m.To));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Join(IEnumerable<string> items)
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? "none" : text;
    }
}
