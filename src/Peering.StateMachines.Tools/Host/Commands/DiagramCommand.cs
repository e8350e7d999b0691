using System.CommandLine;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// <c>TOOL diagram --format mermaid|dot [--coverage TRACE...]</c>: the declared machine as a state
    /// diagram on standard output; with traces, the transitions they exercised are marked and the
    /// declared ones they never reached are listed.
    /// </summary>
    internal static class DiagramCommand
    {
        public static Command Create(Host host, ToolEnvironment env)
        {
            var format = new Option<string>("--format") { Description = "Diagram language", DefaultValueFactory = _ => "mermaid" };
            format.AcceptOnlyFromAmong("mermaid", "dot");
            var coverage = new Option<string[]>("--coverage")
            {
                Description = "Traces (.jsonl, .jsonl.gz, directories of them, or - for standard input) whose moves are marked on the diagram",
                HelpName = "TRACE",
                AllowMultipleArgumentsPerToken = true,
            };
            var command = new Command("diagram", $"Draw the declared {TContract.Definition.Name} state machine (Mermaid or Graphviz), optionally with the transition coverage of traces")
            {
                format,
                coverage,
            };
            command.SetAction(result => Run(
                host,
                env,
                result.GetValue(format) == "dot" ? DiagramFormat.Dot : DiagramFormat.Mermaid,
                result.GetResult(coverage) is null ? null : result.GetValue(coverage) ?? []));
            return command;
        }

        /// <summary>
        /// Writes the diagram. With <paramref name="coverageTraces"/>, the diagram's closing comments list
        /// the coverage, and its summary line and any undeclared moves also go to standard error.
        /// Exit 0; 1 when a trace makes a move the declarations do not permit; 2 usage; 3 malformed trace.
        /// </summary>
        private static int Run(Host host, ToolEnvironment env, DiagramFormat format, string[]? coverageTraces)
        {
            TransitionCoverage? coverage = null;
            if (coverageTraces is not null)
            {
                if (coverageTraces.Length == 0)
                {
                    return host.UsageError(env, "--coverage needs at least one trace");
                }

                try
                {
                    coverage = TraceCoverage.Collect(TraceInput.Expand(coverageTraces, env.OpenStandardInput, env.Cancellation));
                }
                catch (FileNotFoundException e)
                {
                    return host.UsageError(env, e.Message);
                }
                catch (MalformedTraceException e)
                {
                    env.Error.WriteLine(e.Message);
                    return ExitCodes.Malformed;
                }
            }

            env.Out.Write(MachineDiagram.Render(TContract.Definition, format, coverage));
            env.Out.Flush();
            if (coverage is null)
            {
                return ExitCodes.Ok;
            }

            // The full lists are the diagram's closing comments; standard error gets the figures and
            // the moves no declaration permits (the reason for exit code 1).
            foreach (var line in MachineDiagram.CoverageReport(coverage))
            {
                if (!line.StartsWith("not reached: ", StringComparison.Ordinal) && !line.StartsWith("state-level: ", StringComparison.Ordinal))
                {
                    env.Error.WriteLine(line);
                }
            }

            return coverage.Undeclared.IsEmpty ? ExitCodes.Ok : ExitCodes.Failure;
        }
    }
}
