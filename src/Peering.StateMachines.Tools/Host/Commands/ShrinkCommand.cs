using System.CommandLine;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary><c>TOOL shrink TRACE -o OUT</c>: the smallest trace that still fails the same way.</summary>
    internal static class ShrinkCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var trace = new Argument<string>("trace") { Description = "A failing trace (.jsonl, .jsonl.gz, or - for standard input)" }.NoOptions();
            var output = new Option<string>("--output", "-o") { Description = "Where to write the shrunk trace (- for standard output)", Required = true, HelpName = "OUT" };
            var maxTests = new Option<int>("--max-tests") { Description = "Try at most this many candidate traces", DefaultValueFactory = _ => 100_000 }.InRange(1, int.MaxValue);
            var maxSeconds = new Option<double>("--max-seconds") { Description = "Stop shrinking after this long, keeping the best trace so far", DefaultValueFactory = _ => 300 }.Seconds();
            var (require, aliases) = RequireOptions(host);
            var driver = new Option<string?>("--events-driver")
            {
                Description = "Shrink the disagreement with this events-driven program (as replay-fuzz --events-driver runs it): the result is its trace of the kept events",
                HelpName = "CMD",
            };
            var command = new Command("shrink", "Reduce a failing trace (a divergence, an invariant violation, a round-trip failure) to a minimal one that fails the same way")
            {
                trace, output, require, maxTests, maxSeconds, driver,
            };
            foreach (var alias in aliases)
            {
                command.Options.Add(alias);
            }

            command.SetAction(r =>
            {
                if (RequiredChecks(host, r, require, aliases) is not { } required)
                {
                    return host.UsageError(env, "--require-check: not a check of " + TContract.Definition.Name);
                }

                var options = new ShrinkOptions { RequiredChecks = required, MaxTests = r.GetValue(maxTests), MaxTime = TimeSpan.FromSeconds(r.GetValue(maxSeconds)) };
                if (r.GetValue(driver) is { } text)
                {
                    if (ReplayFuzzCommand.EventsDriver(host, env, text) is not { } external)
                    {
                        return ExitCodes.Usage;
                    }

                    options = options with { EventsDriver = external };
                }

                return Run(host, env, r.GetValue(trace)!, r.GetValue(output)!, options);
            });
            return command;
        }

        /// <summary>Shrinks <paramref name="path"/> into <paramref name="outputPath"/>; the exit code.</summary>
        public static int Run(Host host, ToolEnvironment env, string path, string outputPath, ShrinkOptions options)
        {
            IReadOnlyList<TraceInput> inputs;
            try
            {
                inputs = TraceInput.Expand([path], env.OpenStandardInput, env.Cancellation);
            }
            catch (FileNotFoundException e)
            {
                return host.UsageError(env, e.Message);
            }

            if (inputs.Count != 1)
            {
                return host.UsageError(env, $"{path}: shrink takes one trace file");
            }

            // Before anything runs: the output must be writable, and must not be the trace shrunk.
            PendingFile.RefuseInput(env.FileSystem, "--output", outputPath, [inputs[0].Name]);
            using var output = PendingFile.Create(env.FileSystem, outputPath, env.OpenStandardOutput);
            ShrinkResult result;
            try
            {
                result = new Shrinker(options with { Cancellation = env.Cancellation }).Shrink(inputs[0]);
            }
            catch (MalformedTraceException e)
            {
                env.Error.WriteLine(e.Message);
                return ExitCodes.Malformed;
            }
            catch (NothingToShrinkException e)
            {
                env.Error.WriteLine($"{host.Name}: {path}: {e.Message}");
                return ExitCodes.Usage;
            }

            var report = outputPath == "-" ? env.Error : env.Out;
            output.Write(result.Trace);
            output.Commit();

            report.WriteLine($"failure: {result.Original}");
            report.WriteLine($"shrunk {ToolText.Count(result.OriginalSteps, "step")} to {result.KeptSteps:N0} ({ToolText.Count(result.Tests, "candidate")} tried in {result.Elapsed.TotalSeconds:F1} s{(result.BudgetExhausted ? ", budget exhausted" : "")}): {result.Shrunk.Describe()}");
            report.WriteLine($"wrote {(outputPath == "-" ? "standard output" : outputPath)}");
            return result.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
        }
    }
}
