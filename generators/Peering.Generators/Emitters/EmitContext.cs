using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters;

/// <summary>
/// Names shared by the JSON and canonical emitters of one machine: helper-method ids for every
/// wire type, the UTF-8 runs of keys, tags and names, and the synthetic checks record.
/// </summary>
internal sealed class EmitContext
{
    private readonly Dictionary<string, string> _idByType = new();
    private readonly HashSet<string> _usedIds = new() { "Boolean", "Int32", "UInt32", "Int64", "UInt64", "String", "State", "Event", "Effect" };
    private readonly Dictionary<(string Prefix, string Text, string Suffix), string> _runFields = new();
    private readonly List<string> _runDeclarations = new();

    public EmitContext(MachineModel model)
    {
        Model = model;
        Checks = new RecordSpec(
            model.ChecksTypeName,
            model.ChecksName,
            true,
            model.Checks.Select(c => new MemberSpec(c.Name, c.PropertyName, c.PropertyName, TypeRef.Primitive(WireKind.Boolean, "bool"))).ToEquatableArray());
        Records = model.Records.Concat(new[] { Checks }).ToList();
        RecordsByType = Records.ToDictionary(r => r.TypeName);
        foreach (var record in Records)
        {
            NamedId(new TypeRef(WireKind.Record, record.TypeName, SimpleName: record.SimpleName));
        }
    }

    public MachineModel Model { get; }

    /// <summary>The checks record struct, treated as one more wire record.</summary>
    public RecordSpec Checks { get; }

    public List<RecordSpec> Records { get; }

    public Dictionary<string, RecordSpec> RecordsByType { get; }

    /// <summary>The id of a record's helpers.</summary>
    public string RecordId(RecordSpec record) => NamedId(new TypeRef(WireKind.Record, record.TypeName, SimpleName: record.SimpleName));

    /// <summary>The id of a union case's helpers (its record's, when the case is a wire record).</summary>
    public string CaseId(CaseModel @case)
        => NamedId(new TypeRef(WireKind.Record, @case.TypeName, SimpleName: RecordsByType.TryGetValue(@case.TypeName, out var r) ? r.SimpleName : @case.TypeName));

    /// <summary>The id of the snapshot record's helpers; <c>Unknown</c> when the model has no such record (it was reported).</summary>
    public string SnapshotId => RecordsByType.TryGetValue(Model.SnapshotType, out var s) ? RecordId(s) : "Unknown";

    /// <summary>
    /// The unique identifier of a named type's helpers (a record, an enum, a collection): its simple name,
    /// numbered when two types share one. Every other kind's id is built by its <see cref="WireKinds.WireKindEmitter"/>.
    /// </summary>
    public string NamedId(TypeRef type)
    {
        var key = type.Kind + ":" + type.TypeName;
        if (_idByType.TryGetValue(key, out var id))
        {
            return id;
        }

        var baseName = Sanitize(type.SimpleName.Length > 0 ? type.SimpleName : type.TypeName);
        id = baseName;
        for (var n = 2; !_usedIds.Add(id); n++)
        {
            id = baseName + n;
        }

        _idByType[key] = id;
        return id;
    }

    /// <summary>
    /// A C# expression for the UTF-8 run <paramref name="prefix"/>, then <paramref name="text"/> as a JSON
    /// string (quoted, escaped as <c>JsonEncodedText.Encode</c> escapes it), then <paramref name="suffix"/>:
    /// a <c>u8</c> literal when the text needs no escaping (every identifier-like key, tag and name), else a
    /// static field encoded at run time (<see cref="RunFields"/>), so that the bytes are the encoder's.
    /// </summary>
    public string Run(string prefix, string text, string suffix)
    {
        if (text.All(IsPlain))
        {
            return Utf8Literal(prefix + "\"" + text + "\"" + suffix);
        }

        var run = (prefix, text, suffix);
        if (_runFields.TryGetValue(run, out var name))
        {
            return name;
        }

        name = "Run" + _runFields.Count + "_" + Sanitize(text).TrimStart('_');
        _runFields[run] = name;
        _runDeclarations.Add($"private static readonly byte[] {name} = EncodedRun({Literal(prefix)}, {Literal(text)}, {Literal(suffix)});");
        return name;
    }

    /// <summary>The declarations of the runs that are encoded at run time, in the order they were asked for.</summary>
    public IReadOnlyList<string> RunFields => _runDeclarations;

    // Characters JavaScriptEncoder.Default writes as they are (a conservative subset of printable ASCII).
    private static bool IsPlain(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.' or ' ';

    /// <summary>An identifier made of the letters, digits and underscores of <paramref name="text"/>.</summary>
    public static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Replace("global::", ""))
        {
            sb.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }

    /// <summary>An identifier as it must be written in C# (<c>@from</c>).</summary>
    public static string Escape(string identifier)
        => SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    /// <summary>A C# string literal.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>A C# UTF-8 string literal.</summary>
    public static string Utf8Literal(string text) => Literal(text) + "u8";
}
