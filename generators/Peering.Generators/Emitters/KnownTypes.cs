namespace Peering.Generators.Emitters;

/// <summary>
/// The fully qualified names of the types generated code uses, as it writes them; emitters import this
/// class statically so that templates read <c>{{CompactJsonWriter}}</c> rather than a string alias.
/// </summary>
internal static class KnownTypes
{
    public const string Runtime = "global::Peering.StateMachines";
    public const string SystemTextJson = "global::System.Text.Json";

    public const string Utf8JsonReader = SystemTextJson + ".Utf8JsonReader";
    public const string JsonTokenType = SystemTextJson + ".JsonTokenType";
    public const string JsonException = SystemTextJson + ".JsonException";

    public const string WireFormatException = Runtime + ".WireFormatException";
    public const string CompactJsonWriter = Runtime + ".CompactJsonWriter";
    public const string CanonicalWriter = Runtime + ".CanonicalWriter";
    public const string TraceLine = Runtime + ".TraceLine";
    public const string TraceSummary = Runtime + ".TraceSummary";
    public const string MachineDefinition = Runtime + ".MachineDefinition";
    public const string TransitionGuard = Runtime + ".TransitionGuard";
    public const string SingleMove = Runtime + ".SingleMove";

    public const string ReadOnlySpan = "global::System.ReadOnlySpan";
    public const string ByteSpan = ReadOnlySpan + "<byte>";
    public const string MemoryExtensions = "global::System.MemoryExtensions";
    public const string Exception = "global::System.Exception";
    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string ArgumentException = "global::System.ArgumentException";
    public const string ArgumentOutOfRangeException = "global::System.ArgumentOutOfRangeException";
    public const string InvalidOperationException = "global::System.InvalidOperationException";
}
