using System.Text;

namespace Peering.StateMachines.Tests;

/// <summary>Small helpers: write through the generated writers into a string; UTF-8 bytes of a string.</summary>
internal static class TestJson
{
    public static string Write(Action<CompactJsonWriter> write) => Encoding.UTF8.GetString(CompactJsonWriter.Encode(write));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The fresh door's snapshot, written by hand from the declarations (last_force omitted: null).</summary>
    public const string FreshSnapshot =
        """{"state":"Closed","bolted":false,"key":"","turns":0,"kicks":0,"opens":0,"frame":{"material":"Oak","dent_count":0},"keys_tried":[]}""";
}
