using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace Peering.Analyzers.Tests;

public class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dump()
    {
        var src = Verify.Prelude + """
        [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
        public sealed partial class Door
        {
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Handles(typeof(Pull), typeof(Closed))] public sealed partial class Opened; [State] public sealed partial class Slamming;

            [Transition] private void Move(DoorState to) { State = to; }

            [Handler] private void On(Push e) { Move(DoorState.Slamming); }
            [Handler] private void On(Pull e) { Move(DoorState.Opened); Move(DoorState.Closed); }
        }
        """;
        var refs = typeof(Verify).GetField("Metadata", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null);
        var comp = CSharpCompilation.Create("x", new[] { CSharpSyntaxTree.ParseText(src), CSharpSyntaxTree.ParseText(Verify.Generated("Closed, Opened, Slamming")) },
            (ImmutableArray<MetadataReference>)refs!, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        foreach (var d in comp.GetDiagnostics()) output.WriteLine("C: " + d);
        var known = Peering.Analyzers.Model.KnownTypes.Create(comp)!;
        var door = comp.GetTypeByMetadataName("T.Door")!;
        var model = Peering.Analyzers.Model.MachineModel.Create(door, known)!;
        output.WriteLine($"states {model.Count} enum {model.StateEnum} consts {model.Constants.Count} tr {model.Transitions.Count} h {model.Handlers.Count}");
        foreach (var st in model.States) output.WriteLine($"C: {st.Name} handles {st.Handles.Length} permitted {st.Permitted.Format(model.Names)}");
        var tree = comp.SyntaxTrees[0];
        var sm = comp.GetSemanticModel(tree);
        var graphs = new Dictionary<IMethodSymbol, Peering.Analyzers.Flow.FlowGraph>(SymbolEqualityComparer.Default);
        foreach (var md in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
        {
            var op = sm.GetOperation(md)!;
            var sym = sm.GetDeclaredSymbol(md)!;
            output.WriteLine($"C: method {sym.Name} op {op.Kind} handler {model.Handlers.ContainsKey(sym)}");
            if (!model.Handlers.ContainsKey(sym)) continue;
            var cfg = Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create((Microsoft.CodeAnalysis.Operations.IMethodBodyOperation)op, default);
            var g = Peering.Analyzers.Flow.FlowGraph.Build(cfg, op, model, default);
            graphs[sym] = g;
            foreach (var b in g.Blocks) output.WriteLine($"C:   block steps {b.Steps.Length} succ {string.Join(",", b.Successors.Select(x => x.Destination))} reach {b.Reachable}");
        }
        new Peering.Analyzers.Flow.MachineChecker(model, graphs).Run(d => output.WriteLine("C: D " + d), default);
        var cwa = comp.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TransitionAnalyzer()));
        foreach (var d in await cwa.GetAllDiagnosticsAsync()) output.WriteLine("A: " + d);
    }
}
