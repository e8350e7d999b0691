using System.Text.Json;
using System.Text.Json.Serialization;

namespace Peering.StateMachines.Tools;

/// <summary>One field that differs in a round-trip or divergence failure, as written in summaries.</summary>
public sealed record DifferenceRecord(string Path, string Expected, string Actual);

/// <summary>
/// A failing cycle as <c>failures.json</c> and the JSON summary record it: which cycle (index and
/// seed, and the <c>TOOL generate</c> command that reproduces its trace), how it failed, and the
/// trace file (null when it could not be written).
/// </summary>
public sealed record FailureRecord(
    long Cycle,
    [property: JsonConverter(typeof(U64DecimalJson))] ulong Seed,
    long Events,
    string Profile,
    string Kind,
    long Step,
    string Event,
    string What,
    IReadOnlyList<string> Invariants,
    IReadOnlyList<DifferenceRecord> Differences,
    string? Trace,
    bool Reproduced,
    string Reproduce)
{
    /// <summary>For a cycle run by an external program: how it was run and how it ended (null otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExternalRecord? External { get; init; }

    /// <summary>The record of <paramref name="failure"/> in the cycle <paramref name="spec"/>; <paramref name="tool"/> regenerates its trace.</summary>
    public static FailureRecord Of(string tool, CycleSpec spec, string profile, CycleFailure failure, string? trace, bool reproduced) => new(
        spec.Index, spec.Seed, spec.EventsBound, profile, failure.KindName, failure.Step, failure.EventType, failure.What,
        failure.Invariants, [.. failure.Differences.Select(d => new DifferenceRecord(d.Path, d.Expected, d.Actual))], trace, reproduced,
        $"{tool} generate --profile {profile} --seed {spec.Seed} --events {spec.EventsBound}");
}

/// <summary>
/// How an external program ran one cycle (<c>replay-fuzz</c>): its command line, exit code (null when
/// it could not start or had to be killed), whether it ran out of time or wrote more than allowed,
/// how much it wrote, and the end of its standard error.
/// </summary>
public sealed record ExternalRecord(
    IReadOnlyList<string> Command,
    int? ExitCode,
    bool TimedOut,
    bool OutputLimitExceeded,
    long OutputBytes,
    string Stderr,
    long StderrBytes);

/// <summary>What the campaign was: everything that decides which cycles run and how they are checked.</summary>
public sealed record CampaignParameters(
    string Profile,
    [property: JsonConverter(typeof(U64DecimalJson))] ulong Seed,
    long Cycles,
    long EventMin,
    long EventMax,
    bool RoundTrip,
    IReadOnlyList<string> RequiredChecks,
    bool StopOnFirstFailure)
{
    /// <summary>For a campaign against an external program: its command template (null otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Against { get; init; }

    /// <summary>What the external program is given: <c>trace</c> (a profile, seed and bound; it writes the trace) or <c>events</c> (the events, on its standard input).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Input { get; init; }

    /// <summary>The parameters of <paramref name="s"/>.</summary>
    public static CampaignParameters Of(FuzzSettings s) =>
        new(s.Profile ?? "", s.Seed, s.Cycles, s.MinEvents, s.MaxEvents, s.RoundTrip, s.RequiredChecks, s.StopOnFirstFailure);

    /// <summary>Whether <paramref name="other"/> describes the same campaign (the lists compared by content).</summary>
    public bool SameAs(CampaignParameters other) =>
        this with { RequiredChecks = [] } == other with { RequiredChecks = [] } && RequiredChecks.SequenceEqual(other.RequiredChecks);
}

/// <summary>How long it took (not part of the result: it varies from run to run; merged as the longest shard).</summary>
public sealed record CampaignTiming(double Seconds, int Jobs, double StepsPerSecond);

/// <summary>
/// The machine-readable summary of a campaign or of some of its shards (<c>--json FILE</c>). Every
/// field except <see cref="Timing"/> is the same whatever the job count, and is additive over
/// shards: <see cref="Merge"/> of the summaries of shards 1/N..N/N equals the unsharded summary.
/// </summary>
public sealed record CampaignSummary(
    string Format,
    CampaignParameters Campaign,
    int ShardCount,
    IReadOnlyList<int> Shards,
    long CyclesRun,
    long Steps,
    [property: JsonConverter(typeof(DigestJson))] ulong Digest,
    IReadOnlyList<FailureRecord> Failures,
    bool Interrupted,
    bool StoppedAtFirstFailure,
    string? OutputError,
    CampaignTiming Timing)
{
    /// <summary>The value of <see cref="Format"/> for the campaigns of <paramref name="tool"/>: <c>TOOL-fuzz-summary/3</c>.</summary>
    public static string FormatOf(string tool) => tool + "-fuzz-summary/3";

    /// <summary>Whether every shard of the campaign is in this summary.</summary>
    public bool Complete => Shards.Count == ShardCount;

    /// <summary>The JSON text (indented).</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SummaryJson.Default.CampaignSummary);

    /// <summary>Reads a summary of <paramref name="tool"/>'s campaigns.</summary>
    /// <exception cref="FormatException">Not a summary of this format.</exception>
    public static CampaignSummary FromJson(ReadOnlySpan<byte> json, string tool) => Read(json, FormatOf(tool));

    /// <summary>Reads a summary whose <see cref="Format"/> is <paramref name="formatName"/>.</summary>
    /// <exception cref="FormatException">Not a summary of this format.</exception>
    public static CampaignSummary Read(ReadOnlySpan<byte> json, string formatName)
    {
        CampaignSummary? summary;
        try
        {
            summary = JsonSerializer.Deserialize(json, SummaryJson.Default.CampaignSummary);
        }
        catch (JsonException e)
        {
            // The field, not the serializer's message (which names .NET types).
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $"{e.Path[2..]}: ";
            throw new FormatException(e.Path is null && e.LineNumber is null
                ? "not a fuzz summary: not JSON"
                : $"{field}not a value of the summary format {formatName} (line {e.LineNumber + 1})", e);
        }

        if (summary is null || summary.Format != formatName)
        {
            throw new FormatException($"format: not {formatName}");
        }

        // Every field present, and every count one that a campaign can have written.
        var problem = summary.Campaign is null ? "campaign: missing"
            : summary.Shards is null ? "shards: missing"
            : summary.Failures is null ? "failures: missing"
            : summary.Timing is null ? "timing: missing"
            : summary.ShardCount < 1 ? $"shard_count: {summary.ShardCount} is not a shard count"
            : summary.Shards.FirstOrDefault(k => k < 1 || k > summary.ShardCount) is var bad && bad != 0 ? $"shards: {bad} is not a shard of {summary.ShardCount}"
            : summary.Shards.Count == 0 ? "shards: none"
            : summary.CyclesRun < 0 ? $"cycles_run: {summary.CyclesRun} is negative"
            : summary.Steps < 0 ? $"steps: {summary.Steps} is negative"
            : summary.Campaign.Cycles < 1 ? $"campaign.cycles: {summary.Campaign.Cycles} is not a cycle count"
            : summary.CyclesRun > summary.Campaign.Cycles ? $"cycles_run: {summary.CyclesRun} is more than the campaign's {summary.Campaign.Cycles} cycles"
            : summary.Failures.Any(f => f is null) ? "failures: a null record"
            : null;
        return problem is null ? summary : throw new FormatException(problem);
    }

    /// <summary>
    /// Merges the summaries of distinct shards of one campaign: counts, steps and the digest add,
    /// failures are listed by cycle; the timing is the longest shard's.
    /// </summary>
    /// <exception cref="FormatException">The summaries are of different campaigns or repeat a shard.</exception>
    public static CampaignSummary Merge(IReadOnlyList<CampaignSummary> parts)
    {
        if (parts.Count == 0)
        {
            throw new FormatException("nothing to merge");
        }

        var first = parts[0];
        var shards = new SortedSet<int>();
        foreach (var part in parts)
        {
            if (part.Format != first.Format || !part.Campaign.SameAs(first.Campaign) || part.ShardCount != first.ShardCount)
            {
                throw new FormatException("the summaries are of different campaigns (profile, seed, cycles, event range, checks or shard count differ)");
            }

            foreach (var k in part.Shards)
            {
                if (!shards.Add(k))
                {
                    throw new FormatException($"shard {k}/{first.ShardCount} is in more than one summary");
                }
            }
        }

        long steps, cycles;
        try
        {
            steps = checked(parts.Sum(p => p.Steps));
            cycles = checked(parts.Sum(p => p.CyclesRun));
        }
        catch (OverflowException)
        {
            throw new FormatException("steps: the shards' counts overflow when added");
        }

        var seconds = parts.Max(p => p.Timing.Seconds);
        return new CampaignSummary(
            first.Format,
            first.Campaign,
            first.ShardCount,
            [.. shards],
            cycles,
            steps,
            parts.Aggregate(0UL, (d, p) => unchecked(d + p.Digest)),
            [.. parts.SelectMany(p => p.Failures).OrderBy(f => f.Cycle)],
            parts.Any(p => p.Interrupted),
            parts.Any(p => p.StoppedAtFirstFailure),
            parts.Select(p => p.OutputError).FirstOrDefault(e => e is not null),
            new CampaignTiming(seconds, parts.Sum(p => p.Timing.Jobs), steps / Math.Max(seconds, 1e-9)));
    }

    /// <summary>A cycle's contribution to <see cref="Digest"/> (a sum, so that shards add up).</summary>
    public static ulong DigestOf(long index, long steps, ulong finalHash) =>
        Rng.Derive(finalHash ^ (ulong)steps, (ulong)index);
}

/// <summary>The JSON contract of summaries and <c>failures.json</c>: snake_case keys, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CampaignSummary))]
[JsonSerializable(typeof(List<FailureRecord>))]
internal sealed partial class SummaryJson : JsonSerializerContext;

/// <summary>
/// A u64 written as a JSON string of its decimal digits, as the command line writes it (<c>--seed</c>):
/// above 2^53 a JSON number is not exact in most readers (JavaScript, jq). A number is read too
/// (<c>failures.json</c> of earlier versions).
/// </summary>
internal sealed class U64DecimalJson : JsonConverter<ulong>
{
    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetUInt64(out var n) => n,
            JsonTokenType.String when ulong.TryParse(reader.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new JsonException("not a u64 in decimal digits"),
        };

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A digest written as a JSON string of 16 lower-case hex digits, as the text summary writes it.</summary>
internal sealed class DigestJson : JsonConverter<ulong>
{
    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: 16 } hex
            && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            ? ulong.Parse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture)
            : throw new JsonException("not a digest of 16 hex digits");

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
}
