using Peering.Machine;
using Peering.StateMachines;

namespace Peering.ReaderFuzz;

/// <summary>What reading one input did.</summary>
public enum ReadOutcome
{
    /// <summary>A well-formed trace that agrees with the reducer.</summary>
    Agrees,

    /// <summary>A well-formed trace that disagrees (replay exit code 1).</summary>
    Diverges,

    /// <summary>Malformed input (exit code 3).</summary>
    Malformed,
}

/// <summary>
/// Feeds one input to the entry points the tools use: <see cref="Replayer.Run"/> (replay) and
/// <see cref="PeeringTools.TraceReader.ReadSteps"/> (stats, shrink, diagram coverage), and each line to
/// <see cref="PeeringMachineJson.ParseTraceLine"/>. The only exceptions allowed are the documented
/// ones, <see cref="MalformedTraceException"/> (and <see cref="WireFormatException"/> from the line
/// parser); anything else escapes to the caller as a bug. The readers must also agree: when replay
/// calls an input malformed, the stream reader reports exactly the same line.
/// </summary>
public static class ReaderTarget
{
    /// <summary>Reads <paramref name="input"/> (named <paramref name="name"/>; a .gz name is decompressed).</summary>
    /// <exception cref="InconsistentReadersException">The two readers disagree about a malformed input.</exception>
    public static ReadOutcome Read(string name, byte[] input)
    {
        ReadOutcome outcome;
        string? replayError = null;
        try
        {
            var report = new PeeringTools.Replayer().Run([TraceInput.Memory(name, input)]);
            outcome = report.Divergence is null ? ReadOutcome.Agrees : ReadOutcome.Diverges;
        }
        catch (MalformedTraceException e)
        {
            outcome = ReadOutcome.Malformed;
            replayError = e.Message;
        }

        string? readerError = null;
        try
        {
            foreach (var _ in PeeringTools.TraceReader.ReadSteps(TraceInput.Memory(name, input)))
            {
            }
        }
        catch (MalformedTraceException e)
        {
            readerError = e.Message;
        }

        if (replayError is not null && replayError != readerError)
        {
            throw new InconsistentReadersException($"replay: {replayError} / stream reader: {readerError ?? "accepted"}");
        }

        return outcome;
    }

    /// <summary>Parses one line on its own with the generated parser.</summary>
    public static void ParseLine(byte[] line)
    {
        try
        {
            PeeringMachineJson.ParseTraceLine(line);
        }
        catch (WireFormatException)
        {
        }
    }
}

/// <summary>Replay and the stream reader disagree about a malformed input (a bug).</summary>
public sealed class InconsistentReadersException(string message) : Exception(message);
