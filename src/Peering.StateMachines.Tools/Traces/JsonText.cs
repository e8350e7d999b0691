using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>JSON text in the trace format's writer options.</summary>
public static class JsonText
{
    /// <summary>Writer options for trace output: compact, and no escaping beyond what JSON requires (the reference writer's).</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// What <paramref name="write"/> writes through a <see cref="Utf8JsonWriter"/>, as compact UTF-8: for free-form
    /// JSON (reports, edited nodes). A machine's values go through its generated writers and <see cref="CompactJsonWriter"/>.
    /// </summary>
    public static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
