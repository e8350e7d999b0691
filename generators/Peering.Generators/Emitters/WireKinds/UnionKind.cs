using System;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters.WireKinds;

/// <summary>
/// The machine's event or effect base: an object tagged by its <c>"type"</c> key in JSON, its declaration
/// index then its members canonically. The union's own methods (<c>WriteEvent</c>, <c>ReadEvent</c>,
/// <c>Canonical_Event</c>, ...) come from the machine's cases; a member of the base type only calls them.
/// </summary>
internal sealed class UnionKind : WireKindEmitter
{
    public static readonly UnionKind Event = new("Event");
    public static readonly UnionKind Effect = new("Effect");

    private readonly string _name;

    private UnionKind(string name) => _name = name;

    public override string Id(TypeRef type, EmitContext context) => _name;

    public override void WriteJsonValue(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"Write{_name}(w, {expr});");

    public override string ReadJson(TypeRef type, EmitContext context) => $"Read{_name}(ref r)";

    public override void WriteCanonical(EmitTarget target, string expr, TypeRef type, string local)
        => target.Writer.Line($"Canonical_{_name}(w, {expr});");

    /// <summary>
    /// A method <paramref name="signature"/> switching on the case of <c>value</c>, derived cases first so that
    /// a derived label is reachable (<see cref="CaseOrder"/>); <paramref name="caseBody"/> writes a case (index, case)
    /// on <c>v</c> and returns.
    /// </summary>
    public static void EmitCaseSwitch(SourceWriter w, string signature, string what, EquatableArray<CaseModel> cases, Func<int, CaseModel, string> caseBody)
    {
        w.Open(signature);
        w.Open("switch (value)");
        foreach (var i in CaseOrder.DerivedFirst(cases))
        {
            w.Line($"case {cases[i].TypeName} v:");
            w.Indent().Block(caseBody(i, cases[i])).Unindent();
        }

        w.Block($$"""
            default:
                throw UnknownCase(value, {{EmitContext.Literal(what.ToLowerInvariant())}});
            """);
        w.Close();
        w.Close();
        w.Line();
    }
}
