using System.Text;

namespace Peering.StateMachines.Tools;

/// <summary>
/// Input that is not a well-formed trace. <see cref="Exception.Message"/> is the one-line report
/// <c>FILE:LINE:COLUMN: what is wrong (JSON path)</c>: whatever comes from the input (a key, a
/// name, a number, the path) is shown with control characters escaped and cut to a bounded length,
/// so the report is always one short line (docs/trace-input.md).
/// </summary>
public sealed class MalformedTraceException(string file, long line, long column, string problem, string path = "")
    : Exception(Format(file, line, column, problem, path))
{
    /// <summary>The longest problem or path shown, in characters; longer ones are cut with an ellipsis.</summary>
    public const int MaxShownLength = 160;

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

    private static string Format(string file, long line, long column, string problem, string path) =>
        $"{Printable(file, int.MaxValue)}:{line}:{column}: {Printable(problem, MaxShownLength)}"
        + (path.Length > 0 ? $" ({Printable(path, MaxShownLength)})" : "");

    /// <summary>
    /// <paramref name="text"/> on one line: control characters, line and paragraph separators and
    /// unpaired surrogates escaped as <c>\uXXXX</c>, cut after <paramref name="max"/> characters.
    /// </summary>
    internal static string Printable(string text, int max)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                clean = false;
                break;
            }
        }

        if (clean && text.Length <= max)
        {
            return text;
        }

        var sb = new StringBuilder();
        var i = 0;
        for (; i < text.Length && sb.Length < max; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (NeedsEscape(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return i < text.Length ? sb.Append('…').ToString() : sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029';
}
