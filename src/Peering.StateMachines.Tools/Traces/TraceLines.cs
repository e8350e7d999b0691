namespace Peering.StateMachines.Tools;

/// <summary>Where a trace line is: input name, 1-based line number, and the bytes of leading whitespace cut from it.</summary>
public readonly record struct LineContext(string File, long Line, int Lead)
{
    /// <summary>An error at byte <paramref name="bytePosition"/> of the trimmed line (reported 1-based, counting the cut whitespace).</summary>
    public MalformedTraceException Malformed(long bytePosition, string problem, string path = "") =>
        new(File, Line, Lead + Math.Max(0, bytePosition) + 1, problem, path);
}

/// <summary>
/// The lines of one trace input that every reader sees (docs/trace-input.md): blank lines (only
/// spaces, tabs and carriage returns) are skipped; every other line, cut of that whitespace at both
/// ends, must start with <c>{</c>. A line beyond the length bound, a corrupt or truncated gzip stream
/// and a line that is not a JSON object line are <see cref="MalformedTraceException"/>s. Shared by
/// the replayer and the trace reader, so that every tool reads the same way.
/// </summary>
public sealed class TraceLines : IDisposable
{
    private readonly LineReader _reader;

    /// <summary>Opens <paramref name="input"/>.</summary>
    /// <exception cref="MalformedTraceException">The input is a gzip stream whose start is corrupt.</exception>
    public TraceLines(TraceInput input, int maxLineBytes = LineReader.DefaultMaxLineBytes)
    {
        Name = input.Name;
        try
        {
            _reader = new LineReader(input.Open(), maxLineBytes);
        }
        catch (InvalidDataException e)
        {
            throw new MalformedTraceException(Name, 1, 1, $"corrupt gzip stream: {e.Message}");
        }
    }

    /// <summary>The input's name.</summary>
    public string Name { get; }

    /// <summary>Lines read so far, blank ones included.</summary>
    public long LinesRead => _reader.LineNumber;

    /// <summary>
    /// The next line that is not blank, trimmed, with where it is; false at the end of the input. The
    /// span is valid until the next call.
    /// </summary>
    /// <exception cref="MalformedTraceException">The line is too long, the gzip stream is corrupt or truncated, or the line does not start with <c>{</c>.</exception>
    public bool TryNext(out ReadOnlySpan<byte> line, out LineContext at)
    {
        while (true)
        {
            ReadOnlySpan<byte> raw;
            try
            {
                if (!_reader.TryReadLine(out raw))
                {
                    line = default;
                    at = default;
                    return false;
                }
            }
            catch (LineTooLongException e)
            {
                throw new MalformedTraceException(Name, e.LineNumber, 1, e.Message);
            }
            catch (InvalidDataException e)
            {
                throw new MalformedTraceException(Name, _reader.LineNumber + 1, 1, $"corrupt gzip stream: {e.Message}");
            }

            var lead = 0;
            while (lead < raw.Length && IsBlank(raw[lead]))
            {
                lead++;
            }

            var end = raw.Length;
            while (end > lead && IsBlank(raw[end - 1]))
            {
                end--;
            }

            if (end == lead)
            {
                continue;
            }

            line = raw[lead..end];
            at = new LineContext(Name, _reader.LineNumber, lead);
            if (line[0] != (byte)'{')
            {
                throw at.Malformed(0, line[0] == 0xEF && line.StartsWith("\uFEFF"u8)
                    ? "not a JSON object line: a byte order mark (a trace line starts with '{')"
                    : "not a JSON object line: a trace line starts with '{'");
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
}

/// <summary>
/// The structure of a stream of traces (docs/trace-input.md): a trace is step lines numbered 0, 1, 2,
/// … and at most one summary line closing it, whose <c>events</c> is its number of step lines; a
/// step 0 starts a new trace (after a summary, or directly after the previous trace's last step);
/// an input with no step line is an empty trace. Violations are <see cref="MalformedTraceException"/>s.
/// </summary>
public struct TraceSequence
{
    /// <summary>Whether a trace is open (a step was read and no summary yet).</summary>
    public bool InTrace { get; private set; }

    /// <summary>Step lines of the open (or last) trace.</summary>
    public long Steps { get; private set; }

    /// <summary>Step lines read in all.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>Traces ended so far (by a summary, a new step 0 or <see cref="Finish"/>).</summary>
    public long Traces { get; private set; }

    /// <summary>Whether a step line numbered <paramref name="step"/> may come next.</summary>
    public readonly bool Accepts(long step) => step == 0 || (InTrace && step == Steps);

    /// <summary>The error for a step line that may not come next.</summary>
    public readonly MalformedTraceException OutOfSequence(long step, LineContext at) =>
        at.Malformed(0, InTrace
            ? $"step {step} out of sequence: expected step {Steps} (or 0 to start a new trace)"
            : $"step {step} starts a trace: a trace starts at step 0");

    /// <summary>Records a step line; true when it starts a new trace.</summary>
    /// <exception cref="MalformedTraceException">The step may not come next.</exception>
    public bool Step(long step, LineContext at)
    {
        if (!Accepts(step))
        {
            throw OutOfSequence(step, at);
        }

        TotalSteps++;
        if (step != 0)
        {
            Steps++;
            return false;
        }

        if (InTrace)
        {
            Traces++;
        }

        InTrace = true;
        Steps = 1;
        return true;
    }

    /// <summary>Records a summary line.</summary>
    /// <exception cref="MalformedTraceException">No trace is open, or its step count differs from <paramref name="events"/>.</exception>
    public void Summary(long events, LineContext at)
    {
        if (!InTrace)
        {
            throw at.Malformed(0, Traces == 0
                ? "summary line without a trace before it"
                : "second summary line: the trace before it already has one");
        }

        if (events != Steps)
        {
            throw at.Malformed(0, $"summary says {events} events but the trace has {Steps} step lines");
        }

        InTrace = false;
        Traces++;
    }

    /// <summary>At the end of the input: closes an open trace.</summary>
    /// <exception cref="MalformedTraceException">The input had no step line at all.</exception>
    public void Finish(string file, long linesRead)
    {
        if (TotalSteps == 0)
        {
            throw new MalformedTraceException(file, Math.Max(1, linesRead), 1, "empty trace: no step lines");
        }

        if (InTrace)
        {
            InTrace = false;
            Traces++;
        }
    }
}
