using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Peering.Machine;
using Peering.StateMachines;
using Peering.Traces;

namespace Peering.Fuzzing;

/// <summary>
/// Checks one cycle independently through its JSONL form: every step line the encoder wrote is
/// read back and replayed with the pure, snapshot-first step from the parsed snapshot and event;
/// the parsed values must equal what the fast path did, and the pure step must reproduce the
/// parsed after, checks, states and effects. A serializer, reader or determinism bug (fast path and
/// pure step disagreeing) fails the cycle.
/// </summary>
/// <remarks>
/// Step 0 is read with the general <see cref="PeeringMachineJson.ParseTraceLine"/>. Later lines are
/// read with a strict reader for exactly the form TRACE-SCHEMA.md §2-3 prescribes (compact, keys in
/// order), values through the generated readers; <c>before</c> must be byte-identical to the previous
/// line's <c>after</c> (TRACE-SCHEMA.md §1), which was read and checked one step earlier, so it is
/// compared as bytes rather than read twice.
/// </remarks>
public sealed class RoundTripVerifier
{
    private static readonly PeeringMachineChecks FreshChecks = PeeringMachine.EvaluateChecks(PgSnapshot.Fresh);

    private readonly IReducer _reducer;
    private PgSnapshot _before = PgSnapshot.Fresh;
    private PeeringMachineChecks _beforeChecks = FreshChecks;
    private byte[] _beforeJson = new byte[8192];
    private int _beforeLength;
    private long _step;

    /// <summary>A verifier replaying with <paramref name="reducer"/>'s pure step.</summary>
    public RoundTripVerifier(IReducer reducer) => _reducer = reducer;

    private delegate T ValueReader<out T>(ref Utf8JsonReader r);

    /// <summary>Starts a new trace.</summary>
    public void Reset()
    {
        _before = PgSnapshot.Fresh;
        _beforeChecks = FreshChecks;
        _beforeLength = 0;
        _step = 0;
    }

    /// <summary>
    /// Verifies the next step line: <paramref name="line"/> as written for the fast path's step
    /// (<paramref name="e"/>, <paramref name="from"/> to <paramref name="to"/>, <paramref name="after"/>,
    /// <paramref name="afterChecks"/>, <paramref name="effects"/>). Null when everything agrees.
    /// </summary>
    public CycleFailure? Verify(
        ReadOnlySpan<byte> line, PgEvent e, PgState from, PgState to, PgSnapshot after, PeeringMachineChecks afterChecks, ReadOnlySpan<PgEffect> effects)
    {
        var step = _step++;
        Parsed parsed;
        try
        {
            if (!(step == 0 ? TryParseGeneral(line, out parsed, out var problem) : TryParseStrict(line, out parsed, out problem)))
            {
                return Fail(step, e, $"the written line does not read back: {problem}", []);
            }
        }
        catch (Exception x) when (x is WireFormatException or JsonException or InvalidOperationException)
        {
            return Fail(step, e, $"the written line does not read back: {(x is WireFormatException w ? w.Problem : x.Message)}", []);
        }

        // What was written must read back as the values the fast path had.
        if (parsed.Step != step)
        {
            return Fail(step, e, "step number does not read back", Diff("$.step", w => w.WriteNumberValue(step), w => w.WriteNumberValue(parsed.Step)));
        }

        if (parsed.Event != e)
        {
            return Fail(step, e, "event does not read back as written", Diff("$.event", w => PeeringMachineJson.WriteEvent(w, e), w => PeeringMachineJson.WriteEvent(w, parsed.Event)));
        }

        if (parsed.Before is { } before && before != _before)
        {
            return Fail(step, e, "before does not read back as the previous after", Diff("$.before", w => PeeringMachineJson.WriteSnapshot(w, _before), w => PeeringMachineJson.WriteSnapshot(w, before)));
        }

        if (parsed.BeforeChecks != _beforeChecks)
        {
            return Fail(step, e, "before_checks do not read back as the previous after_checks", Diff("$.before_checks", w => PeeringMachineJson.WriteChecks(w, _beforeChecks), w => PeeringMachineJson.WriteChecks(w, parsed.BeforeChecks)));
        }

        if (parsed.From != from || parsed.To != to)
        {
            return Fail(step, e, "states do not read back as written", Diff("$", w => WriteStates(w, from, to), w => WriteStates(w, parsed.From, parsed.To)));
        }

        if (parsed.After != after)
        {
            return Fail(step, e, "after does not read back as written", Diff("$.after", w => PeeringMachineJson.WriteSnapshot(w, after), w => PeeringMachineJson.WriteSnapshot(w, parsed.After)));
        }

        if (parsed.AfterChecks != afterChecks)
        {
            return Fail(step, e, "after_checks do not read back as written", Diff("$.after_checks", w => PeeringMachineJson.WriteChecks(w, afterChecks), w => PeeringMachineJson.WriteChecks(w, parsed.AfterChecks)));
        }

        if (!effects.SequenceEqual(parsed.Effects))
        {
            var written = effects.ToArray();
            return Fail(step, e, "effects do not read back as written", Diff("$.effects", w => WriteEffects(w, written), w => WriteEffects(w, parsed.Effects)));
        }

        // The pure step from the parsed before and event must reproduce the parsed line.
        var pure = _reducer.Step(_before, parsed.Event);
        if (pure.From != parsed.From || pure.To != parsed.To)
        {
            return Fail(step, e, "the pure step from the parsed before disagrees: states differ", Diff("$", w => WriteStates(w, parsed.From, parsed.To), w => WriteStates(w, pure.From, pure.To)));
        }

        if (pure.After != parsed.After)
        {
            return Fail(step, e, "the pure step from the parsed before disagrees: after differs", Diff("$.after", w => PeeringMachineJson.WriteSnapshot(w, parsed.After), w => PeeringMachineJson.WriteSnapshot(w, pure.After)));
        }

        var pureChecks = PeeringMachine.EvaluateChecks(pure.After);
        if (pureChecks != parsed.AfterChecks)
        {
            return Fail(step, e, "the pure step from the parsed before disagrees: after_checks differ", Diff("$.after_checks", w => PeeringMachineJson.WriteChecks(w, parsed.AfterChecks), w => PeeringMachineJson.WriteChecks(w, pureChecks)));
        }

        if (!pure.Effects.AsSpan().SequenceEqual(parsed.Effects))
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

    private static CycleFailure Fail(long step, PgEvent e, string what, IReadOnlyList<FieldDifference> differences) =>
        new(FailureKind.RoundTrip, step, CycleFailure.EventName(e), what, [], differences);

    private static List<FieldDifference> Diff(string path, Action<Utf8JsonWriter> expected, Action<Utf8JsonWriter> actual)
    {
        var diffs = JsonDiff.Compare(path, JsonText.Encode(expected), JsonText.Encode(actual));

        // Values equal as records but written alike (a writer dropping what differs): say so.
        return diffs.Count > 0 ? diffs : [new FieldDifference(path, "(a value)", "(an unequal value written identically)")];
    }

    private static void WriteStates(Utf8JsonWriter w, PgState from, PgState to)
    {
        w.WriteStartObject();
        w.WriteString("from_state", PeeringMachine.StateName(from));
        w.WriteString("to_state", PeeringMachine.StateName(to));
        w.WriteEndObject();
    }

    private static void WriteEffects(Utf8JsonWriter w, PgEffect[] effects)
    {
        w.WriteStartArray();
        foreach (var fx in effects)
        {
            PeeringMachineJson.WriteEffect(w, fx);
        }

        w.WriteEndArray();
    }

    private static bool TryParseGeneral(ReadOnlySpan<byte> line, out Parsed parsed, out string problem)
    {
        parsed = default;
        if (PeeringMachineJson.ParseTraceLine(line) is not TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect> s)
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
        parsed = new Parsed(s.Step, s.FromState, s.ToState, s.Event, s.Before, s.BeforeChecks, s.After, s.AfterChecks, s.Effects, start, (int)r.BytesConsumed);
        problem = "";
        return true;
    }

    private bool TryParseStrict(ReadOnlySpan<byte> line, out Parsed parsed, out string problem)
    {
        parsed = default;
        var at = 0;
        problem = "";
        if (!Literal(line, ref at, "{\"kind\":\"step\",\"step\":"u8, ref problem)
            || !Number(line, ref at, out var step, ref problem)
            || !Literal(line, ref at, ",\"from_state\":"u8, ref problem)
            || !State(line, ref at, out var from, ref problem)
            || !Literal(line, ref at, ",\"to_state\":"u8, ref problem)
            || !State(line, ref at, out var to, ref problem)
            || !Literal(line, ref at, ",\"event\":"u8, ref problem))
        {
            return false;
        }

        var e = Value(line, ref at, PeeringMachineJson.ReadEvent);
        if (!Literal(line, ref at, ",\"before\":"u8, ref problem)
            || !Literal(line, ref at, _beforeJson.AsSpan(0, _beforeLength), ref problem)
            || !Literal(line, ref at, ",\"before_checks\":"u8, ref problem))
        {
            return false;
        }

        var beforeChecks = Value(line, ref at, PeeringMachineJson.ReadChecks);
        if (!Literal(line, ref at, ",\"after\":"u8, ref problem))
        {
            return false;
        }

        // An after byte-identical to the before reads as the same value: the parse is a function of the bytes.
        var afterStart = at;
        var after = line[at..].StartsWith(_beforeJson.AsSpan(0, _beforeLength)) && line[(at + _beforeLength)..].StartsWith(",\"after_checks\":"u8)
            ? Skip(ref at, _beforeLength, _before)
            : Value(line, ref at, PeeringMachineJson.ReadSnapshot);
        var afterEnd = at;
        if (!Literal(line, ref at, ",\"after_checks\":"u8, ref problem))
        {
            return false;
        }

        var afterChecks = Value(line, ref at, PeeringMachineJson.ReadChecks);
        if (!Literal(line, ref at, ",\"effects\":"u8, ref problem))
        {
            return false;
        }

        var effects = Value(line, ref at, ReadEffects);
        if (!Literal(line, ref at, "}"u8, ref problem))
        {
            return false;
        }

        if (at != line.Length)
        {
            problem = $"text after the step object at byte {at}";
            return false;
        }

        parsed = new Parsed(step, from, to, e, null, beforeChecks, after, afterChecks, effects, afterStart, afterEnd);
        return true;
    }

    private static PgEffect[] ReadEffects(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw new WireFormatException("effects: expected an array", r.TokenStartIndex);
        }

        var effects = new List<PgEffect>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            effects.Add(PeeringMachineJson.ReadEffect(ref r));
        }

        return [.. effects];
    }

    private static T Skip<T>(ref int at, int length, T value)
    {
        at += length;
        return value;
    }

    private static T Value<T>(ReadOnlySpan<byte> line, ref int at, ValueReader<T> read)
    {
        var r = new Utf8JsonReader(line[at..]);
        r.Read();
        var value = read(ref r);
        at += (int)r.BytesConsumed;
        return value;
    }

    private static bool Literal(ReadOnlySpan<byte> line, ref int at, ReadOnlySpan<byte> expected, ref string problem)
    {
        if (!line[at..].StartsWith(expected))
        {
            var shown = expected.Length <= 40 ? Encoding.UTF8.GetString(expected) : Encoding.UTF8.GetString(expected[..37]) + "...";
            problem = $"expected '{shown}' at byte {at}";
            return false;
        }

        at += expected.Length;
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> line, ref int at, out long value, ref string problem)
    {
        if (!Utf8Parser.TryParse(line[at..], out value, out var consumed) || value < 0)
        {
            problem = $"expected a step number at byte {at}";
            return false;
        }

        at += consumed;
        return true;
    }

    private static bool State(ReadOnlySpan<byte> line, ref int at, out PgState state, ref string problem)
    {
        state = default;
        var rest = line[at..];
        var close = rest.Length > 1 && rest[0] == (byte)'"' ? rest[1..].IndexOf((byte)'"') : -1;
        if (close < 0 || !PeeringMachine.TryParseState(rest.Slice(1, close), out state))
        {
            problem = $"expected a state name at byte {at}";
            return false;
        }

        at += close + 2;
        return true;
    }

    private readonly record struct Parsed(
        long Step,
        PgState From,
        PgState To,
        PgEvent Event,
        PgSnapshot? Before,
        PeeringMachineChecks BeforeChecks,
        PgSnapshot After,
        PeeringMachineChecks AfterChecks,
        PgEffect[] Effects,
        int AfterStart,
        int AfterEnd);
}
