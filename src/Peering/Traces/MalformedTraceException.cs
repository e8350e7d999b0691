namespace Peering.Traces;

/// <summary>
/// Input that is not a well-formed trace. <see cref="Exception.Message"/> is the one-line report
/// <c>FILE:LINE:COLUMN: what is wrong (JSON path)</c>.
/// </summary>
public sealed class MalformedTraceException(string file, long line, long column, string problem, string path = "")
    : Exception($"{file}:{line}:{column}: {problem}" + (path.Length > 0 ? $" ({path})" : ""))
{
    /// <summary>The input's name.</summary>
    public string File { get; } = file;

    /// <summary>1-based line number.</summary>
    public long Line { get; } = line;

    /// <summary>1-based byte column within the line.</summary>
    public long Column { get; } = column;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;

    /// <summary>The JSON path of the offending value, empty when the line as a whole is at fault.</summary>
    public string JsonPath { get; } = path;
}
