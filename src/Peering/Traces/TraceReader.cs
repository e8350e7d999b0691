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
    /// <summary>Every step line of <paramref name="input"/>, in order; summary lines are checked and skipped.</summary>
    public static IEnumerable<StepLine> ReadSteps(TraceInput input, int maxLineBytes = LineReader.DefaultMaxLineBytes)
    {
        using var reader = new LineReader(OpenChecked(input), maxLineBytes);
        long steps = 0;
        var any = false;
        while (true)
        {
            byte[] line;
            int lead;
            try
            {
                if (!reader.TryReadLine(out var raw))
                {
                    break;
                }

                lead = 0;
                while (lead < raw.Length && raw[lead] is (byte)' ' or (byte)'\t' or (byte)'\r')
                {
                    lead++;
                }

                line = raw[lead..].TrimEnd(" \t\r"u8).ToArray();
            }
            catch (LineTooLongException e)
            {
                throw new MalformedTraceException(input.Name, e.LineNumber, 1, e.Message);
            }
            catch (InvalidDataException e)
            {
                throw new MalformedTraceException(input.Name, reader.LineNumber + 1, 1, $"corrupt gzip stream: {e.Message}");
            }

            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] != (byte)'{')
            {
                throw new MalformedTraceException(input.Name, reader.LineNumber, lead + 1, "not a JSON object: a trace line starts with '{'");
            }

            TraceLine parsed;
            try
            {
                parsed = PeeringMachineJson.ParseTraceLine(line);
            }
            catch (WireFormatException e)
            {
                throw new MalformedTraceException(input.Name, reader.LineNumber, lead + Math.Max(0, e.BytePosition) + 1, e.Problem, e.Path);
            }

            switch (parsed)
            {
                case TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect> step:
                    steps = step.Step == 0 ? 1 : steps + 1;
                    any = true;
                    yield return new StepLine(input.Name, reader.LineNumber, step);
                    break;
                case TraceSummary summary when summary.Events != steps:
                    throw new MalformedTraceException(input.Name, reader.LineNumber, lead + 1, $"summary says {summary.Events} events but the trace has {steps} step lines");
            }
        }

        if (!any)
        {
            throw new MalformedTraceException(input.Name, Math.Max(1, reader.LineNumber), 1, "empty trace: no step lines");
        }
    }

    private static Stream OpenChecked(TraceInput input)
    {
        try
        {
            return input.Open();
        }
        catch (InvalidDataException e)
        {
            throw new MalformedTraceException(input.Name, 1, 1, $"corrupt gzip stream: {e.Message}");
        }
    }
}
