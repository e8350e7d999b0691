using Peering.Machine;
using Peering.Traces;

namespace Peering.Generation;

/// <summary>Trace output formats of <c>peering generate</c>.</summary>
public enum TraceFormat
{
    /// <summary>The JSONL replay trace (TRACE-SCHEMA.md).</summary>
    Jsonl,

    /// <summary>The legacy text format (TRACE-SCHEMA.md §9).</summary>
    Legacy,
}

/// <summary>
/// One generated trace (GENERATOR.md §3): Initialize, then up to <c>--events</c> events each derived
/// from the current snapshot, stepped through the reducer's fast path and written as they go.
/// </summary>
public static class TraceGeneration
{
    /// <summary>Writes the trace for <paramref name="seed"/>; returns the number of step lines.</summary>
    public static long Write(Stream output, Profile profile, ulong seed, long maxEvents, TraceFormat format)
    {
        var generator = new EventGenerator(profile, new Rng(seed));
        var machine = new PeeringMachine();
        var encoder = new StepEncoder();
        var legacy = format == TraceFormat.Legacy ? new LegacyWriter(output) : null;
        var buffered = new BufferedStream(output, 1 << 16);

        PgEvent e = generator.BuildInitialize();
        var count = generator.DrawEventCount(maxEvents);
        long steps = 0;
        for (long i = 0; i <= Math.Max(count, 0); i++)
        {
            if (i > 0)
            {
                e = generator.Next(machine.TakeSnapshot());
            }

            var from = machine.State;
            machine.Apply(e);
            var after = machine.TakeSnapshot();
            var checks = PeeringMachine.EvaluateChecks(after);
            if (legacy is null)
            {
                buffered.Write(encoder.EncodeStep(i, from, machine.State, e, after, checks, machine.LastEffects));
                buffered.WriteByte((byte)'\n');
            }
            else
            {
                legacy.WriteStep(e, after, checks);
            }

            steps++;
        }

        if (legacy is null)
        {
            buffered.Write(encoder.EncodeSummary(seed, steps));
            buffered.WriteByte((byte)'\n');
        }

        buffered.Flush();
        legacy?.Flush();
        return steps;
    }
}
