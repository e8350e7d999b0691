using System.CommandLine;
using Peering.Diagrams;
using Peering.Machine;
using Peering.StateMachines.Diagrams;
using Peering.Traces;

namespace Peering.Cli.Commands;

/// <summary>
/// <c>peering diagram --format mermaid|dot [--coverage TRACE...]</c>: the declared peering machine
/// (<see cref="PeeringMachine.Definition"/>) as a state diagram on standard output; with traces, the
/// transitions they exercised are marked and the declared ones they never reached are listed.
/// </summary>
public static class DiagramCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "Diagram language",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var coverage = new Option<string[]>("--coverage")
        {
            Description = "Traces (.jsonl, .jsonl.gz, directories of them, or - for standard input) whose moves are marked on the diagram",
            HelpName = "TRACE",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("diagram", "Draw the declared peering state machine (Mermaid or Graphviz), optionally with the transition coverage of traces")
        {
            format,
            coverage,
        };
        command.SetAction(result => Run(
            result.GetValue(format) == "dot" ? DiagramFormat.Dot : DiagramFormat.Mermaid,
            result.GetResult(coverage) is null ? null : result.GetValue(coverage) ?? [],
            Console.Out,
            Console.Error));
        return command;
    }

    /// <summary>
    /// Writes the diagram to <paramref name="stdout"/>. With <paramref name="coverageTraces"/>, the
    /// diagram's closing comments list the coverage, and its summary line and any undeclared moves also
    /// go to <paramref name="stderr"/>.
    /// Exit 0; 1 when a trace makes a move the declarations do not permit; 2 usage; 3 malformed trace.
    /// </summary>
    public static int Run(DiagramFormat format, string[]? coverageTraces, TextWriter stdout, TextWriter stderr)
    {
        TransitionCoverage? coverage = null;
        if (coverageTraces is not null)
        {
            if (coverageTraces.Length == 0)
            {
                stderr.WriteLine("peering: --coverage needs at least one trace");
                return ExitCodes.Usage;
            }

            try
            {
                coverage = TraceCoverage.Collect(TraceInput.Expand(coverageTraces));
            }
            catch (FileNotFoundException e)
            {
                stderr.WriteLine($"peering: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (MalformedTraceException e)
            {
                stderr.WriteLine(e.Message);
                return ExitCodes.Malformed;
            }
        }

        stdout.Write(MachineDiagram.Render(PeeringMachine.Definition, format, coverage));
        stdout.Flush();
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
                stderr.WriteLine(line);
            }
        }

        return coverage.Undeclared.IsEmpty ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
