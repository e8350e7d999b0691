using System.Collections.Generic;

namespace Peering.Generators.Emitters;

/// <summary>
/// One generated class being written: its body, the static fields hoisted to its top, and the helpers
/// already emitted (a helper is shared by every member of its type).
/// </summary>
internal sealed class EmitTarget
{
    private readonly HashSet<string> _helpers = new();

    public EmitTarget(EmitContext context) => Context = context;

    public EmitContext Context { get; }

    public SourceWriter Writer { get; } = new();

    /// <summary>Static field declarations, in the order they were asked for.</summary>
    public List<string> Fields { get; } = new();

    /// <summary>True the first time a helper named by <paramref name="id"/> is asked for.</summary>
    public bool FirstUse(string id) => _helpers.Add(id);
}
