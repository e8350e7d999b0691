using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Peering.StateMachines.Tools;

/// <summary>The text formats <see cref="MachineDiagram"/> writes.</summary>
public enum DiagramFormat
{
    /// <summary>A Mermaid <c>stateDiagram-v2</c> (renders in GitHub Markdown).</summary>
    Mermaid,

    /// <summary>A Graphviz <c>digraph</c>.</summary>
    Dot,
}

/// <summary>
/// Draws a declared machine (<see cref="MachineDefinition"/>) as a state diagram: every state, in
/// declaration order; an arrow into the first state (the generated <c>State</c> property starts there);
/// and one edge per permitted single move (from, to), ordered by the states' indexes (a declared target
/// equal to its source is not drawn: a transition to the current state is not a move), labelled
/// with the events whose handlers declare it (in event declaration order) followed by
/// <c>(continues)</c> when the source state's <see cref="ContinuesAttribute"/> declares it. With a
/// <see cref="TransitionCoverage"/>, each label item that moves exercised is followed by
/// <c>×N</c> (how many), an edge that moves took only through the state-level set gets a last item
/// <c>(state-level) ×N</c>, and the diagram ends with comments: the coverage figures, every declared
/// transition never reached, every state-level move, and every observed move that matches no
/// declaration (<see cref="CoverageReport"/>). Lines end with <c>\n</c>; the output depends only on its inputs.
/// </summary>
public static partial class MachineDiagram
{
    /// <summary>The label item of a move declared by <see cref="ContinuesAttribute"/>.</summary>
    public const string ContinuesLabel = "(continues)";

    /// <summary>The label item counting <see cref="TransitionCoverage.StateLevel"/> moves of an edge.</summary>
    public const string StateLevelLabel = "(state-level)";

    /// <summary>Renders <paramref name="machine"/> in <paramref name="format"/>.</summary>
    public static string Render(MachineDefinition machine, DiagramFormat format, TransitionCoverage? coverage = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        if (coverage is not null && !ReferenceEquals(coverage.Definition, machine))
        {
            throw new ArgumentException("the coverage was collected for another machine definition", nameof(coverage));
        }

        return format switch
        {
            DiagramFormat.Mermaid => Mermaid(machine, coverage),
            DiagramFormat.Dot => Dot(machine, coverage),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>One edge: a (from, to) pair with the declared transitions it stands for, in label order.</summary>
    private sealed record Edge(int From, int To, IReadOnlyList<DeclaredTransition> Items);

    private static List<Edge> Edges(MachineDefinition machine) =>
        machine.Transitions
            .Where(t => t.From != t.To)
            .Distinct()
            .GroupBy(t => (t.From, t.To))
            .OrderBy(g => g.Key.From)
            .ThenBy(g => g.Key.To)
            .Select(g => new Edge(g.Key.From, g.Key.To, g.OrderBy(t => t.IsContinuation ? int.MaxValue : t.Event).ToList()))
            .ToList();

    private static string Counted(string text, long count) =>
        count > 0 ? text + " ×" + count.ToString(CultureInfo.InvariantCulture) : text;

    private static string Label(MachineDefinition machine, Edge edge, TransitionCoverage? coverage)
    {
        var items = edge.Items.Select(t => Counted(t.IsContinuation ? ContinuesLabel : machine.Events[t.Event], coverage?.Count(t) ?? 0)).ToList();
        var stateLevel = coverage?.StateLevelCount(edge.From, edge.To) ?? 0;
        if (stateLevel > 0)
        {
            items.Add(Counted(StateLevelLabel, stateLevel));
        }

        return string.Join(", ", items);
    }

    private static bool Exercised(Edge edge, TransitionCoverage coverage) =>
        edge.Items.Any(t => coverage.Count(t) > 0) || coverage.StateLevelCount(edge.From, edge.To) > 0;

    private static string Mermaid(MachineDefinition machine, TransitionCoverage? coverage)
    {
        var ids = new string[machine.States.Length];
        var sb = new StringBuilder();
        sb.Append("stateDiagram-v2\n");
        for (var s = 0; s < machine.States.Length; s++)
        {
            var name = machine.States[s];
            if (PlainIdentifier().IsMatch(name) && !MermaidKeywords.Contains(name))
            {
                ids[s] = name;
                sb.Append("    ").Append(name).Append('\n');
            }
            else
            {
                ids[s] = "s" + s.ToString(CultureInfo.InvariantCulture);
                sb.Append("    state \"").Append(MermaidText(name)).Append("\" as ").Append(ids[s]).Append('\n');
            }
        }

        if (machine.States.Length > 0)
        {
            sb.Append("    [*] --> ").Append(ids[0]).Append('\n');
        }

        foreach (var edge in Edges(machine))
        {
            var label = Label(machine, edge, coverage);
            sb.Append("    ").Append(ids[edge.From]).Append(" --> ").Append(ids[edge.To]).Append(" : ").Append(MermaidText(label)).Append('\n');
        }

        AppendCoverage(sb, "    %% ", machine, coverage);
        return sb.ToString();
    }

    private static string Dot(MachineDefinition machine, TransitionCoverage? coverage)
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(DotId(machine.Name)).Append(" {\n");
        sb.Append("    rankdir=LR;\n");
        sb.Append("    node [shape=box, style=rounded];\n");
        sb.Append("    \"[*]\" [shape=point, label=\"\"];\n");
        foreach (var state in machine.States)
        {
            sb.Append("    ").Append(DotId(state)).Append(";\n");
        }

        if (machine.States.Length > 0)
        {
            sb.Append("    \"[*]\" -> ").Append(DotId(machine.States[0])).Append(";\n");
        }

        foreach (var edge in Edges(machine))
        {
            var label = Label(machine, edge, coverage);
            var attributes = new List<string> { "label=" + DotId(label) };
            if (edge.Items.All(t => t.IsContinuation))
            {
                attributes.Add("style=dashed");
            }

            if (coverage is not null)
            {
                attributes.Add(Exercised(edge, coverage) ? "penwidth=2" : "color=gray, fontcolor=gray");
            }

            sb.Append("    ").Append(DotId(machine.States[edge.From])).Append(" -> ").Append(DotId(machine.States[edge.To]))
                .Append(" [").Append(string.Join(", ", attributes)).Append("];\n");
        }

        AppendCoverage(sb, "    // ", machine, coverage);
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void AppendCoverage(StringBuilder sb, string comment, MachineDefinition machine, TransitionCoverage? coverage)
    {
        if (coverage is null)
        {
            return;
        }

        foreach (var line in CoverageReport(coverage))
        {
            sb.Append(comment).Append(line).Append('\n');
        }
    }

    /// <summary>
    /// The coverage figures as plain lines: a summary, then <c>not reached: ...</c> for every declared
    /// transition no move matched, <c>state-level: ... ×N</c> for every move permitted only through its
    /// source's state-level set, and <c>not declared: ... ×N</c> for every move that matches no declaration.
    /// </summary>
    public static IEnumerable<string> CoverageReport(TransitionCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var declared = coverage.Declared.Length;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"coverage: {coverage.Exercised} of {ToolText.Count(declared, "declared transition")} exercised by {ToolText.Count(coverage.Moves, "move")} in {ToolText.Count(coverage.Steps, "step")}");
        foreach (var t in coverage.Unreached)
        {
            yield return "not reached: " + coverage.Describe(t);
        }

        foreach (var (move, count) in coverage.StateLevel)
        {
            yield return "state-level: " + coverage.Describe(move) + " ×" + count.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (move, count) in coverage.Undeclared)
        {
            yield return "not declared: " + coverage.Describe(move) + " ×" + count.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static readonly HashSet<string> MermaidKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "state", "note", "direction", "class", "classDef", "end", "style", "click", "fork", "join", "choice",
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();

    // Mermaid entity codes for the characters that end or split a label or a quoted name.
    private static string MermaidText(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '#' => "#35;",
                '"' => "#quot;",
                ':' => "#58;",
                ';' => "#59;",
                '\n' or '\r' => " ",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string DotId(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
