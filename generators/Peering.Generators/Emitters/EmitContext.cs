using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Peering.Generators.Model;

namespace Peering.Generators.Emitters;

/// <summary>
/// Names shared by the JSON and canonical emitters of one machine: helper-method ids for every
/// wire type, the static fields of encoded keys and tags, and the synthetic checks record.
/// </summary>
internal sealed class EmitContext
{
    private readonly Dictionary<string, string> _idByType = new();
    private readonly HashSet<string> _usedIds = new() { "Boolean", "Int32", "UInt32", "Int64", "UInt64", "String", "State", "Event", "Effect" };
    private readonly Dictionary<string, string> _keyFields = new();
    private readonly HashSet<string> _usedKeyFields = new();

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

    /// <summary>The static field holding the encoded JSON key <paramref name="key"/>.</summary>
    public string KeyField(string key)
    {
        if (_keyFields.TryGetValue(key, out var field))
        {
            return field;
        }

        var baseName = "Key_" + Sanitize(key);
        field = baseName;
        for (var n = 2; !_usedKeyFields.Add(field); n++)
        {
            field = baseName + n;
        }

        _keyFields[key] = field;
        return field;
    }

    public IEnumerable<KeyValuePair<string, string>> KeyFields => _keyFields;

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
