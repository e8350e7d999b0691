using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using GeneratorDescriptors = Peering.Generators.Diagnostics.DiagnosticDescriptors;

namespace Peering.Analyzers.Tests;

/// <summary>
/// docs/toolkit.md and docs/architecture.md stay true: §4 lists every folder and names only types declared
/// there; the diagnostic tables and ranges list exactly the IDs (and severities) the generator and the analyzer report.
/// </summary>
public class ToolkitDocsTests
{
    private static readonly string[] CodeRoots = ["src/Peering.StateMachines", "src/Peering.StateMachines.Tools", "generators", "analyzers"];

    [Fact]
    public void The_where_things_live_table_lists_every_folder_and_only_types_declared_in_it()
    {
        var rows = TableRows(Section(Doc("toolkit.md"), "## 4. Where things live", "## 5."))
            .Select(cells => (Folder: cells[0].Trim('`'), Types: Backticked(cells[2]))).ToList();
        Assert.NotEmpty(rows);
        foreach (var (folder, types) in rows)
        {
            var directory = Path.Combine(ReducerTests.Root, folder);
            Assert.True(Directory.Exists(directory), $"docs/toolkit.md §4 names {folder}, which does not exist");
            var source = string.Join('\n', Directory.GetFiles(directory, "*.cs").Select(File.ReadAllText));
            foreach (var type in types)
            {
                Assert.True(
                    Regex.IsMatch(source, $@"\b(class|struct|interface|enum|record)\s+(struct\s+|class\s+)?{Regex.Escape(type)}\b"),
                    $"docs/toolkit.md §4 names `{type}` in {folder}, where no such type is declared");
            }
        }

        var folders = CodeRoots
            .SelectMany(root => Directory.GetDirectories(Path.Combine(ReducerTests.Root, root), "*", SearchOption.AllDirectories).Prepend(Path.Combine(ReducerTests.Root, root)))
            .Where(d => !Regex.IsMatch(d.Replace('\\', '/'), "/(bin|obj)(/|$)") && Directory.GetFiles(d, "*.cs").Length > 0)
            .Select(d => Path.GetRelativePath(ReducerTests.Root, d).Replace('\\', '/'));
        Assert.Empty(folders.Except(rows.Select(r => r.Folder)));
    }

    [Fact]
    public void The_generator_diagnostics_in_the_docs_are_its_descriptors()
    {
        var descriptors = GeneratorDescriptors.All.ToDictionary(d => d.Id, d => d.DefaultSeverity.ToString());
        AssertDocumented(descriptors, Section(Doc("toolkit.md"), "### Generator diagnostics", "## 3."), "generators/Peering.Generators");
        AssertRange(descriptors.Keys, "Generator");
    }

    [Fact]
    public void The_analyzer_diagnostics_in_the_docs_are_its_descriptors()
    {
        var descriptors = new TransitionAnalyzer().SupportedDiagnostics.ToDictionary(d => d.Id, d => d.DefaultSeverity.ToString());
        AssertDocumented(descriptors, Section(Doc("toolkit.md"), "## 3. What the analyzer checks", "## 4."), "analyzers/Peering.Analyzers");
        AssertRange(descriptors.Keys, "Analyzer");
    }

    /// <summary>The docs table (ID, severity) and the release tracking files list exactly these IDs.</summary>
    private static void AssertDocumented(Dictionary<string, string> descriptors, string section, string project)
    {
        var documented = TableRows(section).Where(c => Regex.IsMatch(c[0], "^PSM[0-9]{3}$")).ToDictionary(c => c[0], c => c[1]);
        Assert.Equal(descriptors.OrderBy(p => p.Key, StringComparer.Ordinal), documented.OrderBy(p => p.Key, StringComparer.Ordinal));

        var released = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(ReducerTests.Root, project, f)))
            .Select(l => Regex.Match(l, @"^(PSM[0-9]{3})\s*\|[^|]*\|\s*(\w+)\s*\|"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(descriptors.OrderBy(p => p.Key, StringComparer.Ordinal), released.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    /// <summary>docs/architecture.md gives the range as PSMaaa-PSMbbb in the stage table: the first and last ID, with none missing between.</summary>
    private static void AssertRange(IEnumerable<string> ids, string stage)
    {
        var numbers = ids.Select(id => int.Parse(id[3..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
        var row = File.ReadAllLines(Path.Combine(ReducerTests.Root, "docs", "architecture.md")).Single(l => l.StartsWith($"| {stage} |", StringComparison.Ordinal) && l.Contains("PSM", StringComparison.Ordinal));
        Assert.Contains($"PSM{numbers[0]:000}-PSM{numbers[^1]:000}", row, StringComparison.Ordinal);
    }

    private static string Doc(string name) => File.ReadAllText(Path.Combine(ReducerTests.Root, "docs", name));

    private static string Section(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no '{start}' heading");
        var to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        return to < 0 ? text[from..] : text[from..to];
    }

    /// <summary>The cells of each body row of the markdown tables in <paramref name="text"/> (not the header or the rule).</summary>
    private static IEnumerable<string[]> TableRows(string text) =>
        text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 3 && c[0] is not ("ID" or "Folder"));

    private static IEnumerable<string> Backticked(string cell) => Regex.Matches(cell, "`([A-Za-z_][A-Za-z0-9_]*)`").Select(m => m.Groups[1].Value);
}
