namespace Peering.StateMachines;

/// <summary>
/// A JSON value that does not fit the declared wire format: malformed JSON, a missing, duplicate or
/// unknown key, a value of the wrong JSON type or out of its field's range, an unknown tag or name.
/// </summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception at a byte offset of the parsed input (-1 if unknown).</summary>
    public WireFormatException(string problem, long bytePosition, string path = "")
        : base(problem)
    {
        Problem = problem;
        BytePosition = bytePosition;
        Path = path;
    }

    /// <summary>What is wrong, in a few words.</summary>
    public string Problem { get; }

    /// <summary>Zero-based byte offset of the offending token in the parsed input, or -1.</summary>
    public long BytePosition { get; }

    /// <summary>The JSON path of the offending value (<c>$.after.peer_info[2].image</c>), empty if unknown.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string Message => Path.Length == 0 ? Problem : $"{Problem} ({Path})";

    /// <summary>This error with its JSON path found by <see cref="JsonPathLocator"/>.</summary>
    public WireFormatException Located(ReadOnlySpan<byte> json) =>
        Path.Length != 0 || BytePosition < 0
            ? this
            : new WireFormatException(Problem, BytePosition, JsonPathLocator.PathAt(json, BytePosition));
}
