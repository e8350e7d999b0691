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
        private static readonly byte[] InitialJson = CompactJsonWriter.Encode(w => TContract.WriteSnapshot(w, TContract.Initial));
        private static readonly byte[] InitialChecksJson = CompactJsonWriter.Encode(w => TContract.WriteChecks(w, TContract.EvaluateChecks(TContract.Initial)));

        private readonly CompactJsonWriter _line = new(8192);

        // Double-buffered: after encoding a step, its after becomes the next step's before by a swap.
        private CompactJsonWriter _before = new(4096);
        private TSnapshot _beforeSnapshot = TContract.Initial;
        private CompactJsonWriter _beforeChecks = new(128);
        private CompactJsonWriter _after = new(4096);
        private CompactJsonWriter _afterChecks = new(128);

        /// <summary>An encoder positioned at the start of a trace.</summary>
        public StepEncoder() => Reset();

        /// <summary>The encoding of the last <c>after</c> (the next step's <c>before</c>); valid until the next call.</summary>
        public ReadOnlySpan<byte> BeforeJson => _before.Written;

        /// <summary>Starts a new trace: the next <c>before</c> is the fresh snapshot.</summary>
        public void Reset()
        {
            _beforeSnapshot = TContract.Initial;
            _before.Reset();
            _before.Raw(InitialJson);
            _beforeChecks.Reset();
            _beforeChecks.Raw(InitialChecksJson);
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
                _after.Reset();
                TContract.WriteSnapshot(_after, after);
                _afterChecks.Reset();
                TContract.WriteChecks(_afterChecks, afterChecks);
            }

            var afterJson = unchanged ? _before : _after;
            var afterChecksJson = unchanged ? _beforeChecks : _afterChecks;
            _line.Reset();
            TContract.WriteTraceStep(_line, step, from, to, e, _before.Written, _beforeChecks.Written, afterJson.Written, afterChecksJson.Written, effects);
            if (!unchanged)
            {
                (_before, _after) = (_after, _before);
                (_beforeChecks, _afterChecks) = (_afterChecks, _beforeChecks);
                _beforeSnapshot = after;
            }

            return _line.Written;
        }

        /// <summary>The summary line (without newline); valid until the next call.</summary>
        public ReadOnlySpan<byte> EncodeSummary(ulong seed, long events)
        {
            _line.Reset();
            TContract.WriteTraceSummary(_line, seed, events);
            return _line.Written;
        }
    }
}
