using System.Buffers;
using System.Text.Json;

namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Encodes trace lines in the trace format (TRACE-SCHEMA.md): compact, keys in schema order. It
    /// keeps the previous step's <c>after</c> and <c>after_checks</c> bytes, which are the next step's
    /// <c>before</c> and <c>before_checks</c> verbatim, so each snapshot is encoded once; a step that
    /// returns the same snapshot instance (it changed nothing) reuses them for its <c>after</c> too.
    /// </summary>
    public sealed class StepEncoder
    {
        private static readonly byte[] InitialJson = JsonText.Encode(w => TContract.WriteSnapshot(w, TContract.Initial));
        private static readonly byte[] InitialChecksJson = JsonText.Encode(w => TContract.WriteChecks(w, TContract.EvaluateChecks(TContract.Initial)));

        private readonly ArrayBufferWriter<byte> _line = new(8192);
        private readonly Utf8JsonWriter _writer;

        // Double-buffered: after encoding a step, its after becomes the next step's before by a swap.
        private ArrayBufferWriter<byte> _before = new(4096);
        private TSnapshot _beforeSnapshot = TContract.Initial;
        private ArrayBufferWriter<byte> _beforeChecks = new(128);
        private ArrayBufferWriter<byte> _after = new(4096);
        private ArrayBufferWriter<byte> _afterChecks = new(128);

        /// <summary>An encoder positioned at the start of a trace.</summary>
        public StepEncoder()
        {
            _writer = new Utf8JsonWriter(_line, JsonText.WriterOptions);
            Reset();
        }

        /// <summary>The encoding of the last <c>after</c> (the next step's <c>before</c>); valid until the next call.</summary>
        public ReadOnlySpan<byte> BeforeJson => _before.WrittenSpan;

        /// <summary>Starts a new trace: the next <c>before</c> is the fresh snapshot.</summary>
        public void Reset()
        {
            _beforeSnapshot = TContract.Initial;
            _before.ResetWrittenCount();
            _before.Write(InitialJson);
            _beforeChecks.ResetWrittenCount();
            _beforeChecks.Write(InitialChecksJson);
        }

        /// <summary>
        /// The step line (without newline) for the next step; valid until the next call. The
        /// <paramref name="after"/> snapshot becomes the following step's <c>before</c>.
        /// </summary>
        public ReadOnlySpan<byte> EncodeStep(long step, TState from, TState to, TEvent e, TSnapshot after, TChecks afterChecks, ReadOnlySpan<TEffect> effects)
        {
            var unchanged = ReferenceEquals(after, _beforeSnapshot);
            if (!unchanged)
            {
                Begin(_after);
                TContract.WriteSnapshot(_writer, after);
                _writer.Flush();
                Begin(_afterChecks);
                TContract.WriteChecks(_writer, afterChecks);
                _writer.Flush();
            }

            var afterJson = unchanged ? _before : _after;
            var afterChecksJson = unchanged ? _beforeChecks : _afterChecks;
            Begin(_line);
            TContract.WriteTraceStep(_writer, step, from, to, e, _before.WrittenSpan, _beforeChecks.WrittenSpan, afterJson.WrittenSpan, afterChecksJson.WrittenSpan, effects);
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
            TContract.WriteTraceSummary(_writer, seed, events);
            _writer.Flush();
            return _line.WrittenSpan;
        }

        private void Begin(ArrayBufferWriter<byte> buffer)
        {
            buffer.ResetWrittenCount();
            _writer.Reset(buffer);
        }
    }
}
