using System.CommandLine;
using System.IO.Compression;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary><c>TOOL replay PATH... | -</c>: re-executes every step of traces and reports the first divergence.</summary>
    internal static class ReplayCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var paths = new Argument<string[]>("paths")
            {
                Description = "Trace files (.jsonl, .jsonl.gz), directories of them, or - for standard input",
                Arity = ArgumentArity.OneOrMore,
            };
            var rewrite = new Option<string?>("--rewrite")
            {
                Description = "Write the trace this machine produces from the same events to OUT (- for standard output; .gz compresses) instead of checking",
                HelpName = "OUT",
            };
            var command = new Command("replay", "Replay-check traces: re-execute each step and compare with what the trace says")
            {
                paths,
                rewrite,
            };
            command.SetAction(result => Run(host, env, result.GetValue(paths)!, result.GetValue(rewrite)));
            return command;
        }

        private static int Run(Host host, ToolEnvironment env, string[] paths, string? rewritePath)
        {
            IReadOnlyList<TraceInput> sources;
            try
            {
                sources = TraceInput.Expand(paths, env.OpenStandardInput);
            }
            catch (FileNotFoundException e)
            {
                return host.UsageError(env, e.Message);
            }

            Stream? rewrite = null;
            try
            {
                rewrite = rewritePath switch
                {
                    null => null,
                    "-" => env.OpenStandardOutput(),
                    _ when rewritePath.EndsWith(".gz", StringComparison.Ordinal) => new GZipStream(File.Create(rewritePath), CompressionLevel.Optimal),
                    _ => File.Create(rewritePath),
                };
                var buffered = rewrite is null ? null : new BufferedStream(rewrite, 1 << 16);
                var report = new Replayer(buffered).Run(sources);
                buffered?.Flush();
                if (report.Divergence is { } divergence)
                {
                    env.Out.WriteLine($"divergence at {divergence}");
                }

                var summary = $"{report.Files} files, {report.Steps} steps in {report.Elapsed.TotalSeconds:F2} s ({report.StepsPerSecond:F0} steps/s)";
                (rewritePath == "-" ? env.Error : env.Out).WriteLine(
                    report.Divergence is null ? (rewritePath is null ? $"replay ok: {summary}" : $"rewrote {summary}") : $"replay failed: {summary}");
                return report.Divergence is null ? ExitCodes.Ok : ExitCodes.Failure;
            }
            catch (MalformedTraceException e)
            {
                env.Error.WriteLine(e.Message);
                return ExitCodes.Malformed;
            }
            catch (IOException e)
            {
                env.Error.WriteLine($"{host.Name}: {e.Message}");
                return ExitCodes.Output;
            }
            finally
            {
                rewrite?.Dispose();
            }
        }
    }
}
