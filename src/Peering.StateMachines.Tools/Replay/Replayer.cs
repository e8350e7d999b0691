using System.Diagnostics;
using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>Where a trace and the machine first disagree, with only the fields that differ.</summary>
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
    /// <summary>The replay's observer stopped it before the end of its input.</summary>
    public bool Stopped { get; init; }

    /// <summary>Cancelled (a signal) before the end of its input.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Every divergence, one per diverging input, in input order (with keep-going; otherwise at most the first).</summary>
    public IReadOnlyList<Divergence> Divergences { get; init; } = Divergence is null ? [] : [Divergence];

    /// <summary>Steps per second.</summary>
    public double StepsPerSecond => Steps / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Replays traces through the machine (TRACE-SCHEMA.md §7): for every step line, the <c>before</c>
    /// must equal the cursor; the event is re-executed and the checks, states, after snapshot and
    /// effects compared. A line identical byte for byte to what this machine writes agrees at once;
    /// any other line is parsed in full and compared structurally, effects as a multiset, as the
    /// reference checker does. In rewrite mode the events are re-executed and this machine's own
    /// trace is written instead.
    /// </summary>
    public sealed class Replayer
    {
        private readonly Stream? _rewrite;
        private readonly StepEncoder _encoder = new();
        private readonly int _maxLineBytes;
        private readonly IReplayObserver? _observer;
        private readonly CancellationToken _cancellation;

        /// <summary>A checking replayer, or a rewriting one when <paramref name="rewrite"/> is given.</summary>
        /// <param name="observer">Sees every agreeing step and every summary line, and may stop the replay.</param>
        /// <param name="cancellation">Stops the replay between two lines (<see cref="ReplayReport.Interrupted"/>).</param>
        public Replayer(Stream? rewrite = null, int maxLineBytes = LineReader.DefaultMaxLineBytes, IReplayObserver? observer = null, CancellationToken cancellation = default)
        {
            _rewrite = rewrite;
            _maxLineBytes = maxLineBytes;
            _observer = observer;
            _cancellation = cancellation;
        }

        /// <summary>Replays every source in order, stopping at the first divergence (with <paramref name="keepGoing"/>, at the first of each input, then going on with the next).</summary>
        /// <exception cref="MalformedTraceException">An input is not a well-formed trace.</exception>
        public ReplayReport Run(IReadOnlyList<TraceInput> sources, bool keepGoing = false)
        {
            var clock = Stopwatch.StartNew();
            long steps = 0;
            long traces = 0;
            var files = 0;
            var divergences = new List<Divergence>();
            foreach (var source in sources)
            {
                if (_cancellation.IsCancellationRequested)
                {
                    break;
                }

                files++;
                var (fileSteps, fileTraces, divergence, stopped) = RunOne(source);
                steps += fileSteps;
                traces += fileTraces;
                if (divergence is not null)
                {
                    divergences.Add(divergence);
                }

                if ((divergence is not null && !keepGoing) || stopped)
                {
                    return new ReplayReport(files, traces, steps, clock.Elapsed, divergences.FirstOrDefault())
                    {
                        Stopped = stopped && !_cancellation.IsCancellationRequested,
                        Interrupted = stopped && _cancellation.IsCancellationRequested,
                        Divergences = divergences,
                    };
                }
            }

            return new ReplayReport(files, traces, steps, clock.Elapsed, divergences.FirstOrDefault())
            {
                Interrupted = _cancellation.IsCancellationRequested,
                Divergences = divergences,
            };
        }

        private (long Steps, long Traces, Divergence? Divergence, bool Stopped) RunOne(TraceInput source)
        {
            var cursor = new Cursor(_encoder);
            var sequence = default(TraceSequence);
            using var lines = new TraceLines(source, _maxLineBytes);
            try
            {
                while (lines.TryNext(out var line, out var at))
                {
                    if (_cancellation.IsCancellationRequested)
                    {
                        return (sequence.TotalSteps, sequence.Traces, null, true);
                    }

                    // The header is read on the fast path, without the snapshots; anything unexpected goes
                    // to the full parse, which reports precisely what is wrong.
                    if (!TContract.TryReadTraceHeader(line, out var header))
                    {
                        header = Header(TraceReader.Parse(line, at));
                    }

                    if (header.IsSummary)
                    {
                        sequence.Summary(header.Events, at);
                        WriteRewrite(_encoder.EncodeSummary(header.Seed, header.Events));
                        if (_observer?.Summary(at, header.Seed, header.Events) == false)
                        {
                            return (sequence.TotalSteps, sequence.Traces, null, true);
                        }

                        continue;
                    }

                    if (!sequence.Accepts(header.Step))
                    {
                        // A line that is malformed elsewhere says so first.
                        TraceReader.Parse(line, at);
                        throw sequence.OutOfSequence(header.Step, at);
                    }

                    if (sequence.Step(header.Step, at))
                    {
                        cursor.StartTrace();
                    }

                    var expected = cursor.Advance(header.Event);
                    if (expected.SequenceEqual(line))
                    {
                        WriteRewrite(expected);
                        if (_observer?.Agreed(at, header.Step, header.Event, cursor.After, cursor.AfterChecks) == false)
                        {
                            return (sequence.TotalSteps, sequence.Traces, null, true);
                        }

                        continue;
                    }

                    if (_rewrite is not null)
                    {
                        // Rewriting does not compare, but the input must still be a well-formed line.
                        TraceReader.Parse(line, at);
                        WriteRewrite(expected);
                        continue;
                    }

                    var divergence = CompareStructurally(line, at, header.Step, cursor);
                    if (divergence is not null)
                    {
                        return (sequence.TotalSteps, sequence.Traces, divergence, false);
                    }

                    if (_observer?.Agreed(at, header.Step, header.Event, cursor.After, cursor.AfterChecks) == false)
                    {
                        return (sequence.TotalSteps, sequence.Traces, null, true);
                    }
                }
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                // A read of a pipe that was waiting when the signal came.
                return (sequence.TotalSteps, sequence.Traces, null, true);
            }

            sequence.Finish(source.Name, lines.LinesRead);
            return (sequence.TotalSteps, sequence.Traces, null, false);
        }

        private static TraceHeader<TState, TEvent> Header(TraceLine parsed) => parsed switch
        {
            TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect> s => new(false, s.Step, s.FromState, s.ToState, s.Event, 0, 0),
            TraceSummary s => new(true, -1, default, default, null!, s.Seed, s.Events),
            _ => throw new InvalidOperationException("unknown line kind"),
        };

        private void WriteRewrite(ReadOnlySpan<byte> line)
        {
            if (_rewrite is not null)
            {
                _rewrite.Write(line);
                _rewrite.WriteByte((byte)'\n');
            }
        }

        /// <summary>The slow path: compare parsed values in the reference checker's order (TRACE-SCHEMA.md §7.2).</summary>
        private static Divergence? CompareStructurally(ReadOnlySpan<byte> line, LineContext at, long stepNumber, Cursor cursor)
        {
            var parsed = (TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect>)TraceReader.Parse(line, at);
            var ours = cursor.Last;
            var eventType = EventName(parsed.Event);
            var lineBytes = line.ToArray();
            Divergence Diverge(string what, string key, Action<CompactJsonWriter> writeOurs)
            {
                using var doc = JsonDocument.Parse(lineBytes);
                var theirs = System.Text.Encoding.UTF8.GetBytes(doc.RootElement.GetProperty(key).GetRawText());
                return new Divergence(at.File, at.Line, stepNumber, eventType, what, JsonDiff.Compare("$." + key, theirs, CompactJsonWriter.Encode(writeOurs)));
            }

            if (!SameSnapshot(parsed.Before, ours.Before))
            {
                return Diverge("input snapshot mismatch: before differs from the replay cursor", "before", w => TContract.WriteSnapshot(w, ours.Before));
            }

            if (!SameChecks(parsed.BeforeChecks, ours.BeforeChecks))
            {
                return Diverge("before_checks differ", "before_checks", w => TContract.WriteChecks(w, ours.BeforeChecks));
            }

            if (!SameState(parsed.FromState, ours.From))
            {
                return Diverge("from_state differs", "from_state", w => w.String(TContract.StateName(ours.From)));
            }

            if (!SameSnapshot(parsed.After, ours.After))
            {
                return Diverge("after snapshot differs", "after", w => TContract.WriteSnapshot(w, ours.After));
            }

            if (!SameChecks(parsed.AfterChecks, ours.AfterChecks))
            {
                return Diverge("after_checks differ", "after_checks", w => TContract.WriteChecks(w, ours.AfterChecks));
            }

            if (!SameState(parsed.ToState, ours.To))
            {
                return Diverge("to_state differs", "to_state", w => w.String(TContract.StateName(ours.To)));
            }

            if (!SameMultiset(parsed.Effects, ours.Effects))
            {
                return Diverge("effects differ", "effects", w => WriteEffects(w, ours.Effects));
            }

            return null;
        }

        private static bool SameMultiset(TEffect[] theirs, TEffect[] ours)
        {
            if (theirs.Length != ours.Length)
            {
                return false;
            }

            var unmatched = new List<TEffect>(ours);
            foreach (var fx in theirs)
            {
                var i = unmatched.FindIndex(x => SameEffect(x, fx));
                if (i < 0)
                {
                    return false;
                }

                unmatched.RemoveAt(i);
            }

            return true;
        }

        /// <summary>What this machine did at the last step, for the slow comparison.</summary>
        private sealed record OurStep(TSnapshot Before, TChecks BeforeChecks, TState From, TSnapshot After, TChecks AfterChecks, TState To, TEffect[] Effects);

        /// <summary>The replay cursor: the machine, its last snapshot and checks, and the encoder.</summary>
        private sealed class Cursor(StepEncoder encoder)
        {
            private static readonly TChecks InitialChecks = TContract.EvaluateChecks(TContract.Initial);

            private TMachine _machine = TContract.Restore(TContract.Initial);
            private TSnapshot _before = TContract.Initial;
            private TChecks _beforeChecks = InitialChecks;
            private TSnapshot _after = TContract.Initial;
            private TChecks _afterChecks = InitialChecks;
            private TState _from;
            private long _steps;

            /// <summary>The snapshot after the last step.</summary>
            public TSnapshot After => _after;

            /// <summary>The checks of <see cref="After"/>.</summary>
            public TChecks AfterChecks => _afterChecks;

            /// <summary>The last step as this machine did it (built only when a line needs the slow comparison).</summary>
            public OurStep Last => new(_before, _beforeChecks, _from, _after, _afterChecks, TContract.StateOf(_machine), TContract.EffectsOf(_machine).ToArray());

            public void StartTrace()
            {
                _machine = TContract.Restore(TContract.Initial);
                _after = TContract.Initial;
                _afterChecks = InitialChecks;
                encoder.Reset();
                _steps = 0;
            }

            /// <summary>Re-executes <paramref name="e"/>; returns this machine's line for the step.</summary>
            public ReadOnlySpan<byte> Advance(TEvent e)
            {
                (_before, _beforeChecks) = (_after, _afterChecks);
                _from = TContract.StateOf(_machine);
                TContract.Step(_machine, e);
                _after = TContract.SnapshotOf(_machine);

                // A step that changed nothing keeps the snapshot instance, and so its checks.
                if (!ReferenceEquals(_after, _before))
                {
                    _afterChecks = TContract.EvaluateChecks(_after);
                }

                return encoder.EncodeStep(_steps++, _from, TContract.StateOf(_machine), e, _after, _afterChecks, TContract.EffectsOf(_machine));
            }
        }
    }

    /// <summary>
    /// Sees a replay line by line, for checks beyond agreement (a differential campaign's): every
    /// step line the machine agreed with, and every summary line. Returning false stops the replay
    /// (<see cref="ReplayReport.Stopped"/>).
    /// </summary>
    public interface IReplayObserver
    {
        /// <summary>Step <paramref name="step"/> of the input (event <paramref name="e"/>) agreed; <paramref name="after"/> and <paramref name="afterChecks"/> are the machine's, and so the line's.</summary>
        bool Agreed(LineContext at, long step, TEvent e, TSnapshot after, TChecks afterChecks);

        /// <summary>A summary line closed a trace (its step count already checked).</summary>
        bool Summary(LineContext at, ulong seed, long events);
    }

    /// <summary>Writes <paramref name="effects"/> as a JSON array.</summary>
    internal static void WriteEffects(CompactJsonWriter w, ReadOnlySpan<TEffect> effects)
    {
        w.Raw("["u8);
        foreach (var fx in effects)
        {
            w.Separator();
            TContract.WriteEffect(w, fx);
        }

        w.Raw("]"u8);
    }
}
