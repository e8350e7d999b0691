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
    public static long Write(Stream output, Profile profile, ulong seed, long maxEvents, TraceFormat format, IReducer? reducer = null)
    {
        var trace = new GeneratedTrace(profile, seed, maxEvents, reducer);
        if (format == TraceFormat.Legacy)
        {
            var legacy = new LegacyWriter(output);
            while (trace.MoveNext())
            {
                legacy.WriteStep(trace.Event, trace.After, PeeringMachine.EvaluateChecks(trace.After));
            }

            legacy.Flush();
            return trace.StepCount;
        }

        var encoder = new StepEncoder();
        var buffered = new BufferedStream(output, 1 << 20);
        var checks = default(PeeringMachineChecks);
        while (trace.MoveNext())
        {
            // A step that changed nothing keeps the snapshot instance, and so its checks.
            if (!ReferenceEquals(trace.After, trace.Before) || trace.Step == 0)
            {
                checks = PeeringMachine.EvaluateChecks(trace.After);
            }

            buffered.Write(encoder.EncodeStep(trace.Step, trace.From, trace.To, trace.Event, trace.After, checks, trace.Effects));
            buffered.WriteByte((byte)'\n');
        }

        buffered.Write(encoder.EncodeSummary(seed, trace.StepCount));
        buffered.WriteByte((byte)'\n');
        buffered.Flush();
        return trace.StepCount;
    }
}
