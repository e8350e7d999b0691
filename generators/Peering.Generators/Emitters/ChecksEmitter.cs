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

        w.Line("/// <summary>");
        w.Line("/// The checks of <see cref=\"" + m.Name + "\"/> evaluated on one snapshot (the trace's checks object), one");
        w.Line("/// value per [Check] in declaration order.");
        w.Line("/// </summary>");
        foreach (var check in m.Checks)
        {
            w.Line("/// <param name=\"" + check.PropertyName + "\">The check <c>" + MachineEmitter.Xml(check.Name) + "</c>.</param>");
        }

        w.Line(m.Accessibility + " readonly record struct " + m.ChecksName + "(" + string.Join(", ", m.Checks.Select(c => "bool " + c.PropertyName)) + ");");
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// The invariants of <see cref=\"" + m.Name + "\"/> evaluated on one snapshot: bit i of");
        w.Line("/// <see cref=\"ViolationMask\"/> is set when invariant i (declaration order) is false.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"ViolationMask\">Bit i set when invariant i does not hold.</param>");
        w.Open(m.Accessibility + " readonly record struct " + m.InvariantsName + "(ulong ViolationMask)");
        w.Line("/// <summary>The invariant names, in declaration order (bit order of <see cref=\"ViolationMask\"/>).</summary>");
        w.Line("public static global::System.Collections.Immutable.ImmutableArray<string> Names { get; } = [" + string.Join(", ", m.Invariants.Select(i => EmitContext.Literal(i.Name))) + "];");
        for (var i = 0; i < m.Invariants.Count; i++)
        {
            w.Line();
            w.Line("/// <summary>Whether the invariant <c>" + MachineEmitter.Xml(m.Invariants[i].Name) + "</c> holds.</summary>");
            w.Line("public bool " + m.Invariants[i].PropertyName + " => (ViolationMask & (1UL << " + i + ")) == 0;");
        }

        w.Line();
        w.Line("/// <summary>Whether every invariant holds.</summary>");
        w.Line("public bool AllHold => ViolationMask == 0;");
        w.Line();
        w.Line("/// <summary>The names of the invariants that do not hold, in declaration order.</summary>");
        w.Open("public global::System.Collections.Generic.IEnumerable<string> Violations()");
        w.Open("for (var i = 0; i < Names.Length; i++)");
        w.Open("if ((ViolationMask & (1UL << i)) != 0)");
        w.Line("yield return Names[i];");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Line();

        w.Open("partial class " + m.Name);
        w.Line("/// <summary>Every [Check] evaluated on <paramref name=\"snapshot\"/>, in declaration order.</summary>");
        var checksContext = m.Checks.Any(c => c.TakesContext);
        if (m.Checks.Count == 0)
        {
            w.Line("public static " + m.ChecksTypeName + " EvaluateChecks(" + m.SnapshotType + " snapshot) => new();");
        }
        else if (checksContext)
        {
            // One context per evaluation, shared by every check that takes it ([CheckContext]).
            w.Open("public static " + m.ChecksTypeName + " EvaluateChecks(" + m.SnapshotType + " snapshot)");
            w.Line("var context = " + m.Step.ContextFactory + "(snapshot);");
            w.Line("return new(");
            w.Indent();
            EmitCheckArguments(w, m);
            w.Unindent();
            w.Close();
        }
        else
        {
            w.Line("public static " + m.ChecksTypeName + " EvaluateChecks(" + m.SnapshotType + " snapshot) => new(");
            w.Indent();
            EmitCheckArguments(w, m);
            w.Unindent();
        }

        w.Line();
        w.Line("/// <summary>Every [Invariant] evaluated on <paramref name=\"snapshot\"/>, in declaration order.</summary>");
        w.Open("public static " + m.InvariantsTypeName + " EvaluateInvariants(" + m.SnapshotType + " snapshot)");
        if (m.Invariants.Any(i => i.TakesContext))
        {
            w.Line("var context = " + m.Step.ContextFactory + "(snapshot);");
        }

        w.Line("ulong violations = 0;");
        for (var i = 0; i < m.Invariants.Count; i++)
        {
            w.Open("if (!" + Call(m.Invariants[i]) + ")");
            w.Line("violations |= 1UL << " + i + ";");
            w.Close();
            w.Line();
        }

        w.Line("return new " + m.InvariantsTypeName + "(violations);");
        w.Close();
        w.Close();
        return SourceWriter.Header() + w;
    }

    private static void EmitCheckArguments(SourceWriter w, MachineModel m)
    {
        for (var i = 0; i < m.Checks.Count; i++)
        {
            w.Line(m.Checks[i].PropertyName + ": " + Call(m.Checks[i]) + (i == m.Checks.Count - 1 ? ");" : ","));
        }
    }

    private static string Call(PredicateModel p) => p.Call + (p.TakesContext ? "(snapshot, context)" : "(snapshot)");
}
