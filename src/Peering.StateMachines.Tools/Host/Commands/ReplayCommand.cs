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
            }.NoOptions();
            var rewrite = new Option<string?>("--rewrite")
            {
                Description = "Write the trace this machine produces from the same events to OUT (- for standard output; .gz compresses) instead of checking",
                HelpName = "OUT",
            };
            var keepGoing = new Option<bool>("--keep-going") { Description = "Check every input and report every diverging file, not only the first" };
            var command = new Command("replay", "Replay-check traces: re-execute each step and compare with what the trace says")
            {
                paths,
                rewrite,
                keepGoing,
            };
            command.SetAction(result => Run(host, env, result.GetValue(paths)!, result.GetValue(rewrite), result.GetValue(keepGoing)));
            return command;
        }

        private static int Run(Host host, ToolEnvironment env, string[] paths, string? rewritePath, bool keepGoing)
        {
            IReadOnlyList<TraceInput> sources;
            try
            {
                sources = TraceInput.Expand(paths, env.OpenStandardInput, env.Cancellation);
            }
            catch (FileNotFoundException e)
            {
                return host.UsageError(env, e.Message);
            }

            // Before anything is written: rewriting a trace onto itself would destroy it.
            PendingFile.RefuseInput(env.FileSystem, "--rewrite", rewritePath, sources.Select(s => s.Name));
            using var output = rewritePath is null ? null : PendingFile.Create(env.FileSystem, rewritePath, env.OpenStandardOutput);
            Stream? rewrite = output is null ? null
                : rewritePath!.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(output.Stream, CompressionLevel.Optimal, leaveOpen: true)
                : output.Stream;
            ReplayReport report;
            try
            {
                var buffered = rewrite is null ? null : new BufferedStream(rewrite, 1 << 16);
                report = new Replayer(buffered, cancellation: env.Cancellation).Run(sources, keepGoing);
                buffered?.Flush();
                if (rewrite is GZipStream)
                {
                    rewrite.Dispose();
                }
            }
            catch (MalformedTraceException e)
            {
                env.Error.WriteLine(e.Message);
                return ExitCodes.Malformed;
            }
            catch (Exception x) when (PendingFile.IsWriteError(x) && output is not null && x is not InputException)
            {
                throw new OutputException($"cannot write {rewritePath}: {PendingFile.Reason(x)}", x);
            }

            // An interrupted or diverging rewrite is not a trace of the input: the old output stays.
            if (output is not null && report.Divergences.Count == 0 && !report.Interrupted)
            {
                output.Commit();
            }

            foreach (var divergence in report.Divergences)
            {
                env.Out.WriteLine($"divergence at {divergence}");
            }

            var summary = $"{ToolText.Count(report.Files, "file")}, {ToolText.Count(report.Steps, "step")} in {report.Elapsed.TotalSeconds:F2} s ({report.StepsPerSecond:N0} steps/s)";
            var verdict = report.Divergences.Count > 0 ? $"replay failed: {(keepGoing ? $"{ToolText.Count(report.Divergences.Count, "file")} diverge; " : "")}{summary}"
                : report.Interrupted ? $"replay interrupted: {summary}"
                : rewritePath is null ? $"replay ok: {summary}"
                : $"rewrote {summary}";
            (rewritePath == "-" ? env.Error : env.Out).WriteLine(verdict);
            return report.Divergences.Count > 0 ? ExitCodes.Failure : report.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
        }
    }
}
