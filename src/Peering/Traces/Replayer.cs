using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Peering.Machine;
using Peering.StateMachines;

namespace Peering.Traces;

/// <summary>Where a trace and the reducer first disagree, with only the fields that differ.</summary>
public sealed record Divergence(string File, long Line, long Step, string EventType, string What, IReadOnlyList<FieldDifference> Differences)
{
    /// <summary>The report: a location line, then one line per differing field.</summary>
    public override string ToString()
    {
        var lines = new List<string> { $"{File}:{Line}: step {Step} ({EventType}): {What}" };
        lines.AddRange(Differences.Select(d => $"  {d.Path}: expected {d.Expected}, actual {d.Actual}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>What a replay did: inputs, traces and steps read, time taken, and the first divergence if any.</summary>
public sealed record ReplayReport(int Files, long Traces, long Steps, TimeSpan Elapsed, Divergence? Divergence)
{
    /// <summary>Steps per second.</summary>
    public double StepsPerSecond => Steps / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Replays traces through the reducer (TRACE-SCHEMA.md §7): for every step line, the <c>before</c>
/// must equal the cursor; the event is re-executed and the checks, states, after snapshot and
/// effects compared. A line identical byte for byte to what this reducer writes agrees at once;
/// any other line is parsed in full and compared structurally, effects as a multiset, as the
/// reference checker does. In rewrite mode the events are re-executed and this reducer's own
/// trace is written instead.
/// </summary>
public sealed class Replayer
{
    private readonly Stream? _rewrite;
    private readonly StepEncoder _encoder = new();
    private readonly int _maxLineBytes;
    private readonly IReducer _reducer;

    /// <summary>A checking replayer, or a rewriting one when <paramref name="rewrite"/> is given.</summary>
    /// <param name="reducer">The reducer to re-execute with (the real one by default; the shrinker passes its own).</param>
    public Replayer(Stream? rewrite = null, int maxLineBytes = LineReader.DefaultMaxLineBytes, IReducer? reducer = null)
    {
        _rewrite = rewrite;
        _maxLineBytes = maxLineBytes;
        _reducer = reducer ?? PeeringReducer.Instance;
    }

    /// <summary>
    /// Replays every source in order, stopping at the first divergence.
    /// </summary>
    /// <exception cref="MalformedTraceException">An input is not a well-formed trace.</exception>
    public ReplayReport Run(IReadOnlyList<TraceInput> sources)
    {
        var clock = Stopwatch.StartNew();
        long steps = 0;
        long traces = 0;
        var files = 0;
        foreach (var source in sources)
        {
            files++;
            var (fileSteps, fileTraces, divergence) = RunOne(source);
            steps += fileSteps;
            traces += fileTraces;
            if (divergence is not null)
            {
                return new ReplayReport(files, traces, steps, clock.Elapsed, divergence);
            }
        }

        return new ReplayReport(files, traces, steps, clock.Elapsed, null);
    }

    private (long Steps, long Traces, Divergence? Divergence) RunOne(TraceInput source)
    {
        var cursor = new Cursor(_encoder, _reducer);
        var sequence = default(TraceSequence);
        using var lines = new TraceLines(source, _maxLineBytes);
        while (lines.TryNext(out var line, out var at))
        {
            var header = ReadHeader(line, at);
            if (header.Summary is { } summary)
            {
                sequence.Summary(summary.Events, at);
                WriteRewrite(_encoder.EncodeSummary(summary.Seed, summary.Events));
                cursor.EndTrace();
                continue;
            }

            if (!sequence.Accepts(header.Step))
            {
                // The header was read on the fast path: a line that is malformed elsewhere says so first.
                ParseFully(line, at);
                throw sequence.OutOfSequence(header.Step, at);
            }

            if (sequence.Step(header.Step, at))
            {
                cursor.StartTrace();
            }

            var expected = cursor.Advance(header.Event!);
            if (expected.SequenceEqual(line))
            {
                WriteRewrite(expected);
                continue;
            }

            if (_rewrite is not null)
            {
                // Rewriting does not compare, but the input must still be a well-formed line.
                ParseFully(line, at);
                WriteRewrite(expected);
                continue;
            }

            var divergence = CompareStructurally(line, at, header.Step, cursor);
            if (divergence is not null)
            {
                return (sequence.TotalSteps, sequence.Traces, divergence);
            }
        }

        sequence.Finish(source.Name, lines.LinesRead);
        return (sequence.TotalSteps, sequence.Traces, null);
    }

    private void WriteRewrite(ReadOnlySpan<byte> line)
    {
        if (_rewrite is not null)
        {
            _rewrite.Write(line);
            _rewrite.WriteByte((byte)'\n');
        }
    }

    /// <summary>
    /// The line's kind, step number and event, read without touching the snapshots (the fast path);
    /// anything unexpected falls back to the full parse, which reports the precise error.
    /// </summary>
    private static Header ReadHeader(ReadOnlySpan<byte> line, LineContext at)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            string? kind = null;
            long step = -1;
            PgEvent? ev = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kind"u8))
                {
                    reader.Read();
                    kind = reader.ValueTextEquals("step"u8) ? "step" : reader.ValueTextEquals("summary"u8) ? "summary" : null;
                    if (kind != "step")
                    {
                        break;
                    }
                }
                else if (reader.ValueTextEquals("step"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= 0)
                {
                    step = n;
                }
                else if (reader.ValueTextEquals("event"u8) && reader.Read())
                {
                    ev = PeeringMachineJson.ReadEvent(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }

                if (kind == "step" && step >= 0 && ev is not null)
                {
                    return new Header(step, ev, null);
                }
            }
        }
        catch (Exception e) when (e is JsonException or WireFormatException or InvalidOperationException)
        {
            // The full parse below says precisely what is wrong.
        }

        return ParseFully(line, at) switch
        {
            TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect> s => new Header(s.Step, s.Event, null),
            TraceSummary s => new Header(-1, null, s),
            _ => throw at.Malformed(0, "unknown line kind"),
        };
    }

    private static TraceLine ParseFully(ReadOnlySpan<byte> line, LineContext at)
    {
        try
        {
            return PeeringMachineJson.ParseTraceLine(line);
        }
        catch (WireFormatException e)
        {
            throw at.Malformed(Math.Max(0, e.BytePosition), e.Problem, e.Path);
        }
    }

    /// <summary>The slow path: compare parsed values in the reference checker's order (TRACE-SCHEMA.md §7.2).</summary>
    private static Divergence? CompareStructurally(ReadOnlySpan<byte> line, LineContext at, long stepNumber, Cursor cursor)
    {
        var parsed = (TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect>)ParseFully(line, at);
        var ours = cursor.Last;
        var eventType = PeeringMachine.Definition.Events[PeeringMachine.EventIndex(parsed.Event)];
        var lineBytes = line.ToArray();
        Divergence Diverge(string what, string key, Action<Utf8JsonWriter> writeOurs)
        {
            using var doc = JsonDocument.Parse(lineBytes);
            var theirs = System.Text.Encoding.UTF8.GetBytes(doc.RootElement.GetProperty(key).GetRawText());
            var mine = Encode(writeOurs);
            return new Divergence(at.File, at.Line, stepNumber, eventType, what, JsonDiff.Compare("$." + key, theirs, mine));
        }

        if (parsed.Before != ours.Before)
        {
            return Diverge("input snapshot mismatch: before differs from the replay cursor", "before", w => PeeringMachineJson.WriteSnapshot(w, ours.Before));
        }

        if (parsed.BeforeChecks != ours.BeforeChecks)
        {
            return Diverge("before_checks differ", "before_checks", w => PeeringMachineJson.WriteChecks(w, ours.BeforeChecks));
        }

        if (parsed.FromState != ours.From)
        {
            return Diverge("from_state differs", "from_state", w => w.WriteStringValue(PeeringMachine.StateName(ours.From)));
        }

        if (parsed.After != ours.After)
        {
            return Diverge("after snapshot differs", "after", w => PeeringMachineJson.WriteSnapshot(w, ours.After));
        }

        if (parsed.AfterChecks != ours.AfterChecks)
        {
            return Diverge("after_checks differ", "after_checks", w => PeeringMachineJson.WriteChecks(w, ours.AfterChecks));
        }

        if (parsed.ToState != ours.To)
        {
            return Diverge("to_state differs", "to_state", w => w.WriteStringValue(PeeringMachine.StateName(ours.To)));
        }

        if (!SameMultiset(parsed.Effects, ours.Effects))
        {
            return Diverge("effects differ", "effects", w =>
            {
                w.WriteStartArray();
                foreach (var fx in ours.Effects)
                {
                    PeeringMachineJson.WriteEffect(w, fx);
                }

                w.WriteEndArray();
            });
        }

        return null;
    }

    private static bool SameMultiset(PgEffect[] theirs, PgEffect[] ours)
    {
        if (theirs.Length != ours.Length)
        {
            return false;
        }

        var unmatched = new List<PgEffect>(ours);
        foreach (var fx in theirs)
        {
            var i = unmatched.IndexOf(fx);
            if (i < 0)
            {
                return false;
            }

            unmatched.RemoveAt(i);
        }

        return true;
    }

    private static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, StepEncoder.WriterOptions))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private readonly record struct Header(long Step, PgEvent? Event, TraceSummary? Summary);

    /// <summary>What this reducer did at the last step, for the slow comparison.</summary>
    private sealed record OurStep(PgSnapshot Before, PeeringMachineChecks BeforeChecks, PgState From, PgSnapshot After, PeeringMachineChecks AfterChecks, PgState To, PgEffect[] Effects);

    /// <summary>The replay cursor: the machine, its last snapshot and checks, and the encoder.</summary>
    private sealed class Cursor(StepEncoder encoder, IReducer reducer)
    {
        private IReducerSession _machine = reducer.Start();
        private PgSnapshot _before = PgSnapshot.Fresh;
        private PeeringMachineChecks _beforeChecks = PeeringMachine.EvaluateChecks(PgSnapshot.Fresh);
        private PgSnapshot _after = PgSnapshot.Fresh;
        private PeeringMachineChecks _afterChecks;
        private PgState _from;

        public bool InTrace { get; private set; }

        public long Steps { get; private set; }

        /// <summary>The last step as this reducer did it (built only when a line needs the slow comparison).</summary>
        public OurStep Last => new(_before, _beforeChecks, _from, _after, _afterChecks, _machine.State, _machine.LastEffects.ToArray());

        public void StartTrace()
        {
            _machine = reducer.Start();
            _after = PgSnapshot.Fresh;
            _afterChecks = PeeringMachine.EvaluateChecks(_after);
            encoder.Reset();
            InTrace = true;
            Steps = 0;
        }

        public void EndTrace() => InTrace = false;

        /// <summary>Re-executes <paramref name="e"/>; returns this reducer's line for the step.</summary>
        public ReadOnlySpan<byte> Advance(PgEvent e)
        {
            (_before, _beforeChecks) = (_after, _afterChecks);
            _from = _machine.State;
            _machine.Apply(e);
            _after = _machine.TakeSnapshot();
            _afterChecks = PeeringMachine.EvaluateChecks(_after);
            return encoder.EncodeStep(Steps++, _from, _machine.State, e, _after, _afterChecks, _machine.LastEffects);
        }
    }
}
