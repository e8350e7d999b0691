using System.CommandLine;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary><c>TOOL generate</c>: one trace of the event source on standard output.</summary>
    internal static class GenerateCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var source = host.Events!;
            var profile = new Option<string>("--profile") { Description = "Event mix", DefaultValueFactory = _ => host.GenerateProfile! };
            profile.AcceptOnlyFromAmong([.. source.Profiles]);
            var seed = new Option<ulong>("--seed") { Description = "Random seed (a full 64-bit value; echoed in the summary line)", DefaultValueFactory = _ => 42 };
            var events = new Option<long>("--events") { Description = "Bound on the number of events (the event source says how it reads it)", DefaultValueFactory = _ => 30 }.InRange(0L, long.MaxValue);
            var command = new Command("generate", "Generate one random trace to standard output") { profile, seed, events };
            command.SetAction(result =>
            {
                using var stdout = env.OpenStandardOutput();
                TraceWriter.Generate(stdout, source, result.GetValue(profile)!, result.GetValue(seed), result.GetValue(events));
                return ExitCodes.Ok;
            });
            return command;
        }
    }
}
