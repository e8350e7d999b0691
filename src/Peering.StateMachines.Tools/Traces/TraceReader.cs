namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>A parsed step line and where it is.</summary>
    public sealed record StepLine(string File, long Line, TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect> Step);

    /// <summary>
    /// Reads whole traces into parsed lines, for the tools that need every field (stats, shrink,
    /// coverage). The same rules as replay: blank lines are skipped, anything else must be a
    /// well-formed line, or a <see cref="MalformedTraceException"/> names the file, line, column and JSON path.
    /// </summary>
    public static class TraceReader
    {
        /// <summary>
        /// Every step line of <paramref name="input"/>, in order, each parsed in full; summary lines are
        /// checked (<see cref="TraceSequence"/>) and not returned. Lines are read as they are enumerated, so a
        /// malformed line throws when the enumeration reaches it.
        /// </summary>
        /// <exception cref="MalformedTraceException">The input is not a well-formed trace (docs/trace-input.md).</exception>
        public static IEnumerable<StepLine> ReadSteps(TraceInput input, int maxLineBytes = LineReader.DefaultMaxLineBytes)
        {
            using var lines = new TraceLines(input, maxLineBytes);
            var sequence = default(TraceSequence);
            while (lines.TryNext(out var line, out var at))
            {
                switch (Parse(line, at))
                {
                    case TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect> step:
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

        /// <summary>A line parsed in full; a malformed one throws with its position.</summary>
        /// <exception cref="MalformedTraceException">The line is not a well-formed trace line.</exception>
        public static TraceLine Parse(ReadOnlySpan<byte> line, LineContext at)
        {
            try
            {
                return TContract.ParseTraceLine(line);
            }
            catch (WireFormatException e)
            {
                throw at.Malformed(Math.Max(0, e.BytePosition), e.Problem, e.Path);
            }
        }
    }
}
