using System.CommandLine;
using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;
using Peering.StateMachines.Tools;

namespace Peering.Cli.Commands;

/// <summary>
/// <c>peering generate</c>: one random trace on standard output (GENERATOR.md), as JSONL (the
/// toolkit's <c>generate</c>) or in the reference's legacy text format, with the reference
/// generator's two progress lines on standard error.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The command, stepping the machine of <typeparamref name="TContract"/>.</summary>
    public static Command Create<TContract, TMachine>(ToolEnvironment env)
        where TContract : struct, IMachineContract<TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>
        where TMachine : class
    {
        var profile = new Option<string>("--profile") { Description = "Event mix", DefaultValueFactory = _ => "full" };
        profile.AcceptOnlyFromAmong("lean-core", "full");
        var seed = new Option<ulong>("--seed") { Description = "Random seed (a full 64-bit value; echoed in the summary line)", DefaultValueFactory = _ => 42 };
        var events = new Option<long>("--events")
        {
            Description = "Upper bound on the events after Initialize: below 50 exactly that many, else uniform in [50, N]",
            DefaultValueFactory = _ => 30,
        }.InRange(0L, long.MaxValue);
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "legacy");
        var command = new Command("generate", "Generate one random trace to standard output") { profile, seed, events, format };
        command.SetAction(result =>
        {
            var p = result.GetValue(profile)!;
            var s = result.GetValue(seed);
            var n = result.GetValue(events);
            env.Error.WriteLine($"Cross-validation driver: seed={s} events={n} format={result.GetValue(format)} profile={p}");
            using var stdout = env.OpenStandardOutput();
            var trace = MachineTools<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.SteppedTrace.Generated(PeeringEvents.Instance, p, s, n);
            var steps = result.GetValue(format) == "legacy" ? WriteLegacy(stdout, trace) : MachineTools<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.TraceWriter.Write(stdout, trace);
            env.Error.WriteLine($"Done. Total events: {steps}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The trace in the legacy text format (TRACE-SCHEMA.md §9); returns the number of steps.</summary>
    public static long WriteLegacy<TContract, TMachine>(Stream output, MachineTools<TContract, TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.SteppedTrace trace)
        where TContract : struct, IMachineContract<TMachine, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>
        where TMachine : class
    {
        var legacy = new LegacyWriter(output);
        while (trace.MoveNext())
        {
            legacy.WriteStep(trace.Event, trace.After, PeeringMachine.EvaluateChecks(trace.After));
        }

        legacy.Flush();
        return trace.Step + 1;
    }
}
