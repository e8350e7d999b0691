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
    private readonly ArrayBufferWriter<byte> _before = new(4096);
    private readonly ArrayBufferWriter<byte> _beforeChecks = new(128);
    private readonly ArrayBufferWriter<byte> _after = new(4096);
    private readonly ArrayBufferWriter<byte> _afterChecks = new(128);
    private readonly Utf8JsonWriter _lineWriter;
    private readonly Utf8JsonWriter _afterWriter;
    private readonly Utf8JsonWriter _afterChecksWriter;

    /// <summary>An encoder positioned at the start of a trace.</summary>
    public StepEncoder()
    {
        _lineWriter = new Utf8JsonWriter(_line, WriterOptions);
        _afterWriter = new Utf8JsonWriter(_after, WriterOptions);
        _afterChecksWriter = new Utf8JsonWriter(_afterChecks, WriterOptions);
        Reset();
    }

    /// <summary>Starts a new trace: the next <c>before</c> is the fresh snapshot.</summary>
    public void Reset()
    {
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
        _line.ResetWrittenCount();
        _lineWriter.Reset(_line);
        PeeringMachineJson.WriteTraceStep(
            _lineWriter, step, from, to, e, _before.WrittenSpan, _beforeChecks.WrittenSpan, after, afterChecks, effects);
        _lineWriter.Flush();

        _after.ResetWrittenCount();
        _afterWriter.Reset(_after);
        PeeringMachineJson.WriteSnapshot(_afterWriter, after);
        _afterWriter.Flush();
        _afterChecks.ResetWrittenCount();
        _afterChecksWriter.Reset(_afterChecks);
        PeeringMachineJson.WriteChecks(_afterChecksWriter, afterChecks);
        _afterChecksWriter.Flush();
        Swap();
        return _line.WrittenSpan;
    }

    /// <summary>The summary line (without newline); valid until the next call.</summary>
    public ReadOnlySpan<byte> EncodeSummary(ulong seed, long events)
    {
        _line.ResetWrittenCount();
        _lineWriter.Reset(_line);
        PeeringMachineJson.WriteTraceSummary(_lineWriter, seed, events);
        _lineWriter.Flush();
        return _line.WrittenSpan;
    }

    private void Swap()
    {
        _before.ResetWrittenCount();
        _before.Write(_after.WrittenSpan);
        _beforeChecks.ResetWrittenCount();
        _beforeChecks.Write(_afterChecks.WrittenSpan);
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
