using System.Linq;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters;

/// <summary>
/// <c>M.Checks.g.cs</c>: the checks record struct (one bool per <c>[Check]</c>), the invariants struct
/// (one bool per <c>[Invariant]</c> and a violation mask), <c>EvaluateChecks</c> and <c>EvaluateInvariants</c>.
/// </summary>
internal static class ChecksEmitter
{
    public static string Emit(MachineModel m)
    {
        var w = new SourceWriter();
        MachineEmitter.BeginNamespace(w, m);
        w.Block($$"""
            /// <summary>
            /// The checks of <see cref="{{m.Name}}"/> evaluated on one snapshot (the trace's checks object), one
            /// value per [Check] in declaration order.
            /// </summary>
            """);
        foreach (var check in m.Checks)
        {
            w.Line($"/// <param name=\"{check.PropertyName}\">The check <c>{MachineEmitter.Xml(check.Name)}</c>.</param>");
        }

        w.Block($$"""
            {{m.Accessibility}} readonly record struct {{m.ChecksName}}({{string.Join(", ", m.Checks.Select(c => "bool " + c.PropertyName))}});

            /// <summary>
            /// The invariants of <see cref="{{m.Name}}"/> evaluated on one snapshot: bit i of
            /// <see cref="ViolationMask"/> is set when invariant i (declaration order) is false.
            /// </summary>
            /// <param name="ViolationMask">Bit i set when invariant i does not hold.</param>
            {{m.Accessibility}} readonly record struct {{m.InvariantsName}}(ulong ViolationMask)
            {
                /// <summary>The invariant names, in declaration order (bit order of <see cref="ViolationMask"/>).</summary>
                public static global::System.Collections.Immutable.ImmutableArray<string> Names { get; } = [{{string.Join(", ", m.Invariants.Select(i => EmitContext.Literal(i.Name)))}}];
            """);
        w.Indent();
        for (var i = 0; i < m.Invariants.Count; i++)
        {
            w.Block($$"""

                /// <summary>Whether the invariant <c>{{MachineEmitter.Xml(m.Invariants[i].Name)}}</c> holds.</summary>
                public bool {{m.Invariants[i].PropertyName}} => (ViolationMask & (1UL << {{i}})) == 0;
                """);
        }

        w.Unindent();
        w.Block($$"""

                /// <summary>Whether every invariant holds.</summary>
                public bool AllHold => ViolationMask == 0;

                /// <summary>The names of the invariants that do not hold, in declaration order.</summary>
                public global::System.Collections.Generic.IEnumerable<string> Violations()
                {
                    for (var i = 0; i < Names.Length; i++)
                    {
                        if ((ViolationMask & (1UL << i)) != 0)
                        {
                            yield return Names[i];
                        }
                    }
                }
            }

            partial class {{m.Name}}
            {
                /// <summary>Every [Check] evaluated on <paramref name="snapshot"/>, in declaration order.</summary>
            """);
        w.Indent();
        var evaluateChecks = $"public static {m.ChecksTypeName} EvaluateChecks({m.SnapshotType} snapshot)";
        if (m.Checks.Count == 0)
        {
            w.Line(evaluateChecks + " => new();");
        }
        else if (m.Checks.Any(c => c.TakesContext))
        {
            // One context per evaluation, shared by every check that takes it ([CheckContext]).
            w.Block($$"""
                {{evaluateChecks}}
                {
                    var context = {{m.Step.ContextFactory}}(snapshot);
                    return new(
                """);
            w.Indent().Indent();
            EmitCheckArguments(w, m);
            w.Unindent().Close();
        }
        else
        {
            w.Line(evaluateChecks + " => new(");
            w.Indent();
            EmitCheckArguments(w, m);
            w.Unindent();
        }

        w.Block($$"""

            /// <summary>Every [Invariant] evaluated on <paramref name="snapshot"/>, in declaration order.</summary>
            public static {{m.InvariantsTypeName}} EvaluateInvariants({{m.SnapshotType}} snapshot)
            {
            """);
        w.Indent();
        if (m.Invariants.Any(i => i.TakesContext))
        {
            w.Line($"var context = {m.Step.ContextFactory}(snapshot);");
        }

        w.Line("ulong violations = 0;");
        for (var i = 0; i < m.Invariants.Count; i++)
        {
            w.Block($$"""
                if (!{{Call(m.Invariants[i])}})
                {
                    violations |= 1UL << {{i}};
                }

                """);
        }

        w.Line($"return new {m.InvariantsTypeName}(violations);");
        w.Close();
        w.Close();
        return SourceWriter.Header() + w;
    }

    private static void EmitCheckArguments(SourceWriter w, MachineModel m)
    {
        for (var i = 0; i < m.Checks.Count; i++)
        {
            w.Line($"{m.Checks[i].PropertyName}: {Call(m.Checks[i])}{(i == m.Checks.Count - 1 ? ");" : ",")}");
        }
    }

    private static string Call(PredicateModel p) => p.Call + (p.TakesContext ? "(snapshot, context)" : "(snapshot)");
}
