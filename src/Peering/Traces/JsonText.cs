using System.Buffers;
using System.Text.Json;

namespace Peering.Traces;

/// <summary>Small helpers for JSON text in the trace format's writer options.</summary>
public static class JsonText
{
    /// <summary>What <paramref name="write"/> writes, as compact UTF-8 (<see cref="StepEncoder.WriterOptions"/>).</summary>
    public static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, StepEncoder.WriterOptions))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
