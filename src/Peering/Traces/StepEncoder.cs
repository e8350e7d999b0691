using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Peering.Machine;

namespace Peering.Traces;

/// <summary>
/// Encodes trace lines in the reference format (TRACE-SCHEMA.md): compact, keys in schema order.
/// It keeps the previous step's <c>after</c> and <c>after_checks</c> bytes, which are the next
/// step's <c>before</c> and <c>before_checks</c> verbatim, so each snapshot is encoded once.
/// </summary>
public sealed class StepEncoder
{
    /// <summary>Writer options for trace output: compact, and no escaping beyond what JSON requires.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly byte[] FreshSnapshotJson = Encode(w => PeeringMachineJson.WriteSnapshot(w, PgSnapshot.Fresh));
    private static readonly byte[] FreshChecksJson = Encode(w => PeeringMachineJson.WriteChecks(w, PeeringMachine.EvaluateChecks(PgSnapshot.Fresh)));

    private readonly ArrayBufferWriter<byte> _line = new(8192);
    private readonly Utf8JsonWriter _writer;

    // Double-buffered: after encoding a step, its after becomes the next step's before by a swap.
    private ArrayBufferWriter<byte> _before = new(4096);
    private PgSnapshot _beforeSnapshot = PgSnapshot.Fresh;
    private ArrayBufferWriter<byte> _beforeChecks = new(128);
    private ArrayBufferWriter<byte> _after = new(4096);
    private ArrayBufferWriter<byte> _afterChecks = new(128);

    /// <summary>An encoder positioned at the start of a trace.</summary>
    public StepEncoder()
    {
        _writer = new Utf8JsonWriter(_line, WriterOptions);
        Reset();
    }

    /// <summary>Starts a new trace: the next <c>before</c> is the fresh snapshot.</summary>
    public void Reset()
    {
        _beforeSnapshot = PgSnapshot.Fresh;
        _before.ResetWrittenCount();
        _before.Write(FreshSnapshotJson);
        _beforeChecks.ResetWrittenCount();
        _beforeChecks.Write(FreshChecksJson);
    }

    /// <summary>
    /// The step line (without newline) for the next step; valid until the next call. The
    /// <paramref name="after"/> snapshot becomes the following step's <c>before</c>.
    /// </summary>
    public ReadOnlySpan<byte> EncodeStep(
        long step, PgState from, PgState to, PgEvent e, PgSnapshot after, PeeringMachineChecks afterChecks, ReadOnlySpan<PgEffect> effects)
    {
        // A step that changed nothing returns the same snapshot instance (about half of all
        // steps): its encoding is the before's, byte for byte.
        var unchanged = ReferenceEquals(after, _beforeSnapshot);
        if (!unchanged)
        {
            Begin(_after);
            PeeringMachineJson.WriteSnapshot(_writer, after);
            _writer.Flush();
            Begin(_afterChecks);
            PeeringMachineJson.WriteChecks(_writer, afterChecks);
            _writer.Flush();
        }

        var afterJson = unchanged ? _before : _after;
        var afterChecksJson = unchanged ? _beforeChecks : _afterChecks;
        Begin(_line);
        PeeringMachineJson.WriteTraceStep(
            _writer, step, from, to, e, _before.WrittenSpan, _beforeChecks.WrittenSpan, afterJson.WrittenSpan, afterChecksJson.WrittenSpan, effects);
        _writer.Flush();
        if (!unchanged)
        {
            (_before, _after) = (_after, _before);
            (_beforeChecks, _afterChecks) = (_afterChecks, _beforeChecks);
            _beforeSnapshot = after;
        }

        return _line.WrittenSpan;
    }

    /// <summary>The summary line (without newline); valid until the next call.</summary>
    public ReadOnlySpan<byte> EncodeSummary(ulong seed, long events)
    {
        Begin(_line);
        PeeringMachineJson.WriteTraceSummary(_writer, seed, events);
        _writer.Flush();
        return _line.WrittenSpan;
    }

    private void Begin(ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        _writer.Reset(buffer);
    }

    private static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
