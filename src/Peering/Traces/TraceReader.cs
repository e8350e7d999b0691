using Peering.Machine;
using Peering.StateMachines;

namespace Peering.Traces;

/// <summary>A parsed step line of a peering trace.</summary>
public sealed record StepLine(string File, long Line, TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect> Step);

/// <summary>
/// Reads whole traces into parsed lines, for the tools that need every field (stats, shrink). The
/// same rules as replay: blank lines are skipped, anything else must be a well-formed line, or a
/// <see cref="MalformedTraceException"/> names the file, line, column and JSON path.
/// </summary>
public static class TraceReader
{
    /// <summary>
    /// Every step line of <paramref name="input"/>, in order, each parsed in full; summary lines are
    /// checked (TraceSequence) and not returned. Lines are read as they are enumerated, so a malformed
    /// line throws when the enumeration reaches it.
    /// </summary>
    /// <exception cref="MalformedTraceException">The input is not a well-formed trace (docs/trace-input.md).</exception>
    public static IEnumerable<StepLine> ReadSteps(TraceInput input, int maxLineBytes = LineReader.DefaultMaxLineBytes)
    {
        using var lines = new TraceLines(input, maxLineBytes);
        var sequence = default(TraceSequence);
        while (true)
        {
            var (parsed, at) = Next(lines);
            if (parsed is null)
            {
                break;
            }

            switch (parsed)
            {
                case TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect> step:
                    sequence.Step(step.Step, at);
                    yield return new StepLine(input.Name, at.Line, step);
                    break;
                case TraceSummary summary:
                    sequence.Summary(summary.Events, at);
                    break;
            }
        }

        sequence.Finish(input.Name, lines.LinesRead);
    }

    /// <summary>The next non-blank line parsed in full, or null at the end.</summary>
    private static (TraceLine? Line, LineContext At) Next(TraceLines lines)
    {
        if (!lines.TryNext(out var line, out var at))
        {
            return (null, default);
        }

        try
        {
            return (PeeringMachineJson.ParseTraceLine(line), at);
        }
        catch (WireFormatException e)
        {
            throw at.Malformed(e.BytePosition, e.Problem, e.Path);
        }
    }
}
