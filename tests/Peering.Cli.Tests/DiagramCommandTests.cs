using System.Reflection;
using System.Text.RegularExpressions;
using Peering.Cli.Commands;
using Peering.Machine;
using Peering.StateMachines;

namespace Peering.Cli.Tests;

/// <summary>
/// <c>peering diagram</c> on the peering machine: its edges against the declarations read back by
/// reflection from the [State]/[Handles]/[Continues] attributes (not from the generated data the
/// command draws), coverage marking from one small reference trace worked by hand, and the README's
/// embedded diagram kept equal to the command's output.
/// </summary>
public sealed partial class DiagramCommandTests
{
    /// <summary>The repository root (the directory holding Peering.sln above the test binaries).</summary>
    internal static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Peering.sln not found above " + AppContext.BaseDirectory);
    }

    private static (int Exit, string Out, string Err) Run(DiagramFormat format, params string[]? coverage)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        string[] args = ["diagram", "--format", format == DiagramFormat.Dot ? "dot" : "mermaid", .. coverage is null ? [] : (string[])["--coverage", .. coverage]];
        var exit = PeeringTool.Create().Run(args, ToolEnvironment.Capture(stdout, stderr));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The declared single moves (from, to, event tag or null for a continuation), read off the
    /// attributes: each state's own Handles, and the machine's default Handles of every event the
    /// state neither handles nor ignores itself (docs/toolkit.md §1).
    /// </summary>
    private static List<(string From, string To, string? Event)> DeclaredByAttributes()
    {
        var defaults = typeof(PeeringMachine).GetCustomAttributes<HandlesAttribute>().ToList();
        var states = typeof(PeeringMachine).GetNestedTypes()
            .Where(t => t.GetCustomAttribute<StateAttribute>() is not null)
            .OrderBy(t => t.MetadataToken)
            .ToList();
        string StateName(Type t) => t.GetCustomAttribute<StateAttribute>()!.Name ?? t.Name;
        string EventTag(Type t) => t.GetCustomAttribute<EventAttribute>()!.Tag ?? t.Name;
        var moves = new List<(string, string, string?)>();
        foreach (var state in states)
        {
            var own = state.GetCustomAttributes<HandlesAttribute>().ToList();
            var decided = own.Select(h => h.Event).Concat(state.GetCustomAttributes<IgnoresAttribute>().SelectMany(i => i.Events)).ToHashSet();
            foreach (var handles in own.Concat(defaults.Where(d => !decided.Contains(d.Event))))
            {
                moves.AddRange(handles.To.Where(t => t != state).Select(t => (StateName(state), StateName(t), (string?)EventTag(handles.Event))));
            }

            foreach (var continues in state.GetCustomAttributes<ContinuesAttribute>())
            {
                moves.AddRange(continues.To.Where(t => t != state).Select(t => (StateName(state), StateName(t), (string?)null)));
            }
        }

        return moves.Distinct().ToList();
    }

    [GeneratedRegex(@"^    (\w+) --> (\w+) : (.+)$")]
    private static partial Regex EdgeLine();

    private static Dictionary<(string From, string To), string[]> Edges(string mermaid) =>
        mermaid.Split('\n')
            .Select(l => EdgeLine().Match(l))
            .Where(m => m.Success)
            .ToDictionary(m => (m.Groups[1].Value, m.Groups[2].Value), m => m.Groups[3].Value.Split(", "));

    [Fact]
    public void Mermaid_draws_every_declared_move_and_nothing_else()
    {
        var (exit, output, err) = Run(DiagramFormat.Mermaid, null);
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        var lines = output.Split('\n');
        Assert.Equal("stateDiagram-v2", lines[0]);
        string[] states = ["Initial", "Reset", "GetPeerInfo", "WaitUpThru", "Active", "Recovering", "Clean", "Stray", "ReplicaActive", "Down", "Incomplete", "Deleting"];
        Assert.Equal(states.Select(s => "    " + s), lines[1..13]);
        Assert.Equal("    [*] --> Initial", lines[13]);

        var declared = DeclaredByAttributes();
        var edges = Edges(output);
        var expected = declared
            .GroupBy(d => (d.From, d.To))
            .ToDictionary(g => g.Key, g => g.Select(d => d.Event ?? "(continues)").ToHashSet());
        Assert.Equal(expected.Keys.Order(), edges.Keys.Order());
        foreach (var (pair, items) in edges)
        {
            Assert.True(expected[pair].SetEquals(items), $"{pair}: drawn [{string.Join(", ", items)}], declared [{string.Join(", ", expected[pair])}]");
        }

        // Continuations (REDUCER.md: a step that reaches Active moves on to Recovering or Clean) are marked.
        Assert.Equal(["(continues)"], edges[("Active", "Recovering")]);
        Assert.Equal(["AllReplicasRecovered", "(continues)"], edges[("Active", "Clean")]);
        // Initialize to the state the machine is already in is no move, and is not drawn.
        Assert.DoesNotContain(("GetPeerInfo", "GetPeerInfo"), edges.Keys);
        Assert.DoesNotContain(("Stray", "Stray"), edges.Keys);
        // Nothing enters Reset or Initial.
        Assert.DoesNotContain(edges.Keys, k => k.To is "Reset" or "Initial");
    }

    [Fact]
    public void Dot_draws_the_same_edges_with_continuations_dashed()
    {
        var (exit, output, _) = Run(DiagramFormat.Dot, null);
        Assert.Equal(0, exit);
        Assert.StartsWith("digraph \"PeeringMachine\" {\n", output);
        Assert.EndsWith("}\n", output);
        Assert.Contains("    \"Active\" -> \"Recovering\" [label=\"(continues)\", style=dashed];\n", output);
        Assert.Contains("    \"Active\" -> \"Clean\" [label=\"AllReplicasRecovered, (continues)\"];\n", output);
        var pairs = DeclaredByAttributes().Select(d => (d.From, d.To)).Distinct().Count();
        Assert.Equal(pairs, output.Split('\n').Count(l => l.Contains("\" -> \"", StringComparison.Ordinal) && !l.Contains("[*]", StringComparison.Ordinal)));
    }

    /// <summary>
    /// lean-core seed 13 (a copy of ../shared/conformance/lean-core/seed-13.jsonl.gz): 34 steps, 16
    /// single moves, read off its LogTransition effects: step 0 Initial -> GetPeerInfo on Initialize;
    /// 1 GetPeerInfo -> Active on PeerQueryTimeout, Active -> Recovering continuing; 2 Recovering -> Clean
    /// on RecoveryComplete; 10 Clean -> GetPeerInfo on AdvanceMap; 12 GetPeerInfo -> WaitUpThru on
    /// PeerInfoReceived; 17 WaitUpThru -> Stray on AdvanceMap; 24 Stray -> GetPeerInfo on AdvanceMap;
    /// 25 GetPeerInfo -> WaitUpThru on PeerInfoReceived; 26 WaitUpThru -> Active on UpThruUpdated,
    /// Active -> Recovering continuing; 27 Recovering -> Clean on AllReplicasRecovered; 29 Clean ->
    /// GetPeerInfo and GetPeerInfo -> WaitUpThru, both on AdvanceMap (both declared for it); 31
    /// WaitUpThru -> Active on UpThruUpdated, Active -> Clean continuing. 12 distinct declared moves.
    /// </summary>
    [Fact]
    public void Coverage_of_a_reference_trace_marks_what_it_exercised()
    {
        var trace = Path.Combine(RepoRoot, "tests", "Peering.Cli.Tests", "TestData", "lean-core-seed-13.jsonl.gz");
        var (exit, output, err) = Run(DiagramFormat.Mermaid, trace);
        Assert.True(exit == 0, err);
        var declared = DeclaredByAttributes().Count;
        var summary = $"coverage: 12 of {declared} declared transitions exercised by 16 moves in 34 steps";
        Assert.Equal(summary + "\n", err);
        Assert.Contains("    %% " + summary + "\n", output);

        var edges = Edges(output);
        Assert.Equal(["Initialize ×1", "AdvanceMap"], edges[("Initial", "GetPeerInfo")]);
        Assert.Equal(["Initialize", "AdvanceMap", "PeerInfoReceived", "PeerQueryTimeout ×1"], edges[("GetPeerInfo", "Active")]);
        Assert.Equal(["Initialize", "AdvanceMap ×1", "PeerInfoReceived ×2", "PeerQueryTimeout"], edges[("GetPeerInfo", "WaitUpThru")]);
        Assert.Equal(["(continues) ×2"], edges[("Active", "Recovering")]);
        Assert.Equal(["AllReplicasRecovered", "(continues) ×1"], edges[("Active", "Clean")]);
        Assert.Equal(["RecoveryComplete ×1", "AllReplicasRecovered ×1"], edges[("Recovering", "Clean")]);
        Assert.Equal(["Initialize", "AdvanceMap ×2"], edges[("Clean", "GetPeerInfo")]);
        Assert.Equal(["Initialize", "AdvanceMap ×1"], edges[("WaitUpThru", "Stray")]);
        Assert.Equal(["Initialize", "AdvanceMap ×1"], edges[("Stray", "GetPeerInfo")]);
        Assert.Contains("UpThruUpdated ×2", edges[("WaitUpThru", "Active")]);
        Assert.Equal(10, edges.Values.Count(items => items.Any(i => i.Contains('×'))));

        var notReached = output.Split('\n').Where(l => l.StartsWith("    %% not reached: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(declared - 12, notReached.Count);
        Assert.Contains("    %% not reached: Active -> Clean on AllReplicasRecovered", notReached);
        Assert.Contains("    %% not reached: Stray -> ReplicaActive on ReplicaActivate", notReached);
        Assert.DoesNotContain("not declared", output);
    }

    [Fact]
    public void Coverage_errors_have_their_exit_codes()
    {
        Assert.Equal(ExitCodes.Usage, Run(DiagramFormat.Mermaid, Path.Combine(Path.GetTempPath(), "no-such-trace-" + Guid.NewGuid() + ".jsonl")).Exit);
        Assert.Equal(ExitCodes.Usage, Run(DiagramFormat.Mermaid, []).Exit);
        var bad = Path.Combine(Path.GetTempPath(), "malformed-" + Guid.NewGuid() + ".jsonl");
        File.WriteAllText(bad, "{\"kind\":\"step\",\n");
        try
        {
            var (exit, output, err) = Run(DiagramFormat.Mermaid, bad);
            Assert.Equal(ExitCodes.Malformed, exit);
            Assert.Equal("", output);
            Assert.StartsWith(bad + ":1:", err);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void Command_line_parses_format_and_coverage()
    {
        var tool = PeeringTool.Create();
        Assert.Equal(ExitCodes.Usage, tool.Run(["diagram", "--format", "svg"], ToolEnvironment.Capture(TextWriter.Null, TextWriter.Null)));
        var parsed = tool.Build(ToolEnvironment.Capture(TextWriter.Null, TextWriter.Null)).Parse(["diagram", "--format", "dot", "--coverage", "a.jsonl", "b.jsonl"]);
        Assert.Empty(parsed.Errors);
    }

    /// <summary>README.md embeds the Mermaid diagram; it must be exactly what <c>peering diagram</c> prints.</summary>
    [Fact]
    public void Readme_embeds_the_current_diagram()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md")).ReplaceLineEndings("\n");
        const string open = "```mermaid\n";
        var start = readme.IndexOf(open, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no ```mermaid block");
        var end = readme.IndexOf("```", start + open.Length, StringComparison.Ordinal);
        var embedded = readme[(start + open.Length)..end];
        var (_, output, _) = Run(DiagramFormat.Mermaid, null);
        Assert.True(embedded == output, "README.md's ```mermaid block differs from `peering diagram --format mermaid`; paste the command's output into it:\n" + output);
    }
}
