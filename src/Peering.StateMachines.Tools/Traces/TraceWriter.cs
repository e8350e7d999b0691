namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>Writes stepped traces as JSONL (what <c>TOOL generate</c> prints).</summary>
    public static class TraceWriter
    {
        /// <summary>Writes every step of <paramref name="trace"/> as it is stepped, then its summary line; returns the number of step lines.</summary>
        public static long Write(Stream output, SteppedTrace trace)
        {
            var encoder = new StepEncoder();
            var buffered = new BufferedStream(output, 1 << 20);
            var checks = default(TChecks);
            while (trace.MoveNext())
            {
                // A step that changed nothing keeps the snapshot instance, and so its checks.
                if (trace.Step == 0 || !ReferenceEquals(trace.After, trace.Before))
                {
                    checks = TContract.EvaluateChecks(trace.After);
                }

                buffered.Write(encoder.EncodeStep(trace.Step, trace.From, trace.To, trace.Event, trace.After, checks, trace.Effects));
                buffered.WriteByte((byte)'\n');
            }

            var steps = trace.Step + 1;
            buffered.Write(encoder.EncodeSummary(trace.Seed, steps));
            buffered.WriteByte((byte)'\n');
            buffered.Flush();
            return steps;
        }

        /// <summary>The trace <c>TOOL generate --profile P --seed S --events E</c> writes; returns the number of step lines.</summary>
        public static long Generate(Stream output, IEventSource<TSnapshot, TEvent> source, string profile, ulong seed, long maxEvents) =>
            Write(output, SteppedTrace.Generated(source, profile, seed, maxEvents));

        /// <summary>The trace of a fixed event sequence (summary seed <paramref name="seed"/>); returns the number of step lines.</summary>
        public static long Write(Stream output, IReadOnlyList<TEvent> events, ulong seed = 0) => Write(output, SteppedTrace.Of(events, seed));
    }
}
