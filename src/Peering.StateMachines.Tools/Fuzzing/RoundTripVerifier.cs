using System.Text.Json;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Checks one cycle independently through its JSONL form: every step line the encoder wrote is
    /// read back and replayed with the pure, snapshot-first step from the parsed snapshot and event;
    /// the parsed values must equal what the in-place step did, and the pure step must reproduce the
    /// parsed after, checks, states and effects. A serializer, reader or determinism bug (the in-place
    /// and the pure step disagreeing) fails the cycle.
    /// </summary>
    /// <remarks>
    /// Step 0 is read with the general <c>ParseTraceLine</c>. Later lines are read with the generated
    /// strict reader of exactly the compact form (<c>TryReadCompactStep</c>): <c>before</c> must be
    /// byte-identical to the previous line's <c>after</c> (TRACE-SCHEMA.md §1), which was read and
    /// checked one step earlier, so it is compared as bytes rather than read twice.
    /// </remarks>
    public sealed class RoundTripVerifier
    {
        private static readonly TChecks InitialChecks = TContract.EvaluateChecks(TContract.Initial);

        private TSnapshot _before = TContract.Initial;
        private TChecks _beforeChecks = InitialChecks;
        private byte[] _beforeJson = new byte[8192];
        private int _beforeLength;
        private long _step;

        /// <summary>Starts a new trace.</summary>
        public void Reset()
        {
            _before = TContract.Initial;
            _beforeChecks = InitialChecks;
            _beforeLength = 0;
            _step = 0;
        }

        /// <summary>
        /// Verifies the next step line: <paramref name="line"/> as written for the in-place step
        /// (<paramref name="e"/>, <paramref name="from"/> to <paramref name="to"/>, <paramref name="after"/>,
        /// <paramref name="afterChecks"/>, <paramref name="effects"/>). Null when everything agrees.
        /// </summary>
        public CycleFailure? Verify(
            ReadOnlySpan<byte> line, TEvent e, TState from, TState to, TSnapshot after, TChecks afterChecks, ReadOnlySpan<TEffect> effects)
        {
            var step = _step++;
            CompactStep<TState, TEvent, TEffect, TSnapshot, TChecks> parsed;
            TSnapshot? parsedBefore = null;
            string problem;
            if (step == 0)
            {
                if (!TryParseGeneral(line, out parsed, out parsedBefore, out problem))
                {
                    return Fail(step, e, $"the written line does not read back: {problem}", []);
                }
            }
            else if (!TContract.TryReadCompactStep(line, _beforeJson.AsSpan(0, _beforeLength), _before, out parsed, out problem))
            {
                return Fail(step, e, $"the written line does not read back: {problem}", []);
            }

            // What was written must read back as the values the in-place step had.
            if (parsed.Step != step)
            {
                return Fail(step, e, "step number does not read back", Diff("$.step", w => w.Number(step), w => w.Number(parsed.Step)));
            }

            if (!SameEvent(parsed.Event, e))
            {
                return Fail(step, e, "event does not read back as written", Diff("$.event", w => TContract.WriteEvent(w, e), w => TContract.WriteEvent(w, parsed.Event)));
            }

            if (parsedBefore is { } before && !SameSnapshot(before, _before))
            {
                return Fail(step, e, "before does not read back as the previous after", Diff("$.before", w => TContract.WriteSnapshot(w, _before), w => TContract.WriteSnapshot(w, before)));
            }

            if (!SameChecks(parsed.BeforeChecks, _beforeChecks))
            {
                return Fail(step, e, "before_checks do not read back as the previous after_checks", Diff("$.before_checks", w => TContract.WriteChecks(w, _beforeChecks), w => TContract.WriteChecks(w, parsed.BeforeChecks)));
            }

            if (!SameState(parsed.From, from) || !SameState(parsed.To, to))
            {
                return Fail(step, e, "states do not read back as written", Diff("$", w => WriteStates(w, from, to), w => WriteStates(w, parsed.From, parsed.To)));
            }

            if (!SameSnapshot(parsed.After, after))
            {
                return Fail(step, e, "after does not read back as written", Diff("$.after", w => TContract.WriteSnapshot(w, after), w => TContract.WriteSnapshot(w, parsed.After)));
            }

            if (!SameChecks(parsed.AfterChecks, afterChecks))
            {
                return Fail(step, e, "after_checks do not read back as written", Diff("$.after_checks", w => TContract.WriteChecks(w, afterChecks), w => TContract.WriteChecks(w, parsed.AfterChecks)));
            }

            if (!SameEffects(effects, parsed.Effects))
            {
                var written = effects.ToArray();
                return Fail(step, e, "effects do not read back as written", Diff("$.effects", w => WriteEffects(w, written), w => WriteEffects(w, parsed.Effects)));
            }

            // The pure step from the parsed before and event must reproduce the parsed line.
            var pure = TContract.Step(_before, parsed.Event);
            if (!SameState(pure.From, parsed.From) || !SameState(pure.To, parsed.To))
            {
                return Fail(step, e, "the pure step from the parsed before disagrees: states differ", Diff("$", w => WriteStates(w, parsed.From, parsed.To), w => WriteStates(w, pure.From, pure.To)));
            }

            if (!SameSnapshot(pure.After, parsed.After))
            {
                return Fail(step, e, "the pure step from the parsed before disagrees: after differs", Diff("$.after", w => TContract.WriteSnapshot(w, parsed.After), w => TContract.WriteSnapshot(w, pure.After)));
            }

            var pureChecks = TContract.EvaluateChecks(pure.After);
            if (!SameChecks(pureChecks, parsed.AfterChecks))
            {
                return Fail(step, e, "the pure step from the parsed before disagrees: after_checks differ", Diff("$.after_checks", w => TContract.WriteChecks(w, parsed.AfterChecks), w => TContract.WriteChecks(w, pureChecks)));
            }

            if (!SameEffects(pure.Effects, parsed.Effects))
            {
                return Fail(step, e, "the pure step from the parsed before disagrees: effects differ", Diff("$.effects", w => WriteEffects(w, parsed.Effects), w => WriteEffects(w, pure.Effects)));
            }

            _before = parsed.After;
            _beforeChecks = parsed.AfterChecks;
            var afterJson = line[parsed.AfterStart..parsed.AfterEnd];
            if (afterJson.Length > _beforeJson.Length)
            {
                _beforeJson = new byte[Math.Max(afterJson.Length, _beforeJson.Length * 2)];
            }

            afterJson.CopyTo(_beforeJson);
            _beforeLength = afterJson.Length;
            return null;
        }

        private static CycleFailure Fail(long step, TEvent e, string what, IReadOnlyList<FieldDifference> differences) =>
            new(FailureKind.RoundTrip, step, EventName(e), what, [], differences);

        private static List<FieldDifference> Diff(string path, Action<CompactJsonWriter> expected, Action<CompactJsonWriter> actual)
        {
            var diffs = JsonDiff.Compare(path, CompactJsonWriter.Encode(expected), CompactJsonWriter.Encode(actual));

            // Values unequal as records but written alike (a writer dropping what differs): say so.
            return diffs.Count > 0 ? diffs : [new FieldDifference(path, "(a value)", "(an unequal value written identically)")];
        }

        private static void WriteStates(CompactJsonWriter w, TState from, TState to)
        {
            w.Raw("{\"from_state\":"u8);
            w.String(TContract.StateName(from));
            w.Raw(",\"to_state\":"u8);
            w.String(TContract.StateName(to));
            w.Raw("}"u8);
        }

        private static bool TryParseGeneral(ReadOnlySpan<byte> line, out CompactStep<TState, TEvent, TEffect, TSnapshot, TChecks> parsed, out TSnapshot? before, out string problem)
        {
            parsed = default;
            before = null;
            try
            {
                if (TContract.ParseTraceLine(line) is not TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect> s)
                {
                    problem = "not a step line";
                    return false;
                }

                // Where the after value lies, for the next line's byte comparison.
                var r = new Utf8JsonReader(line);
                r.Read();
                while (r.Read() && !r.ValueTextEquals("after"u8))
                {
                    r.Read();
                    r.Skip();
                }

                r.Read();
                var start = (int)r.TokenStartIndex;
                r.Skip();
                parsed = new(s.Step, s.FromState, s.ToState, s.Event, s.BeforeChecks, s.After, s.AfterChecks, s.Effects, start, (int)r.BytesConsumed);
                before = s.Before;
                problem = "";
                return true;
            }
            catch (WireFormatException x)
            {
                problem = x.Problem;
                return false;
            }
        }
    }
}
