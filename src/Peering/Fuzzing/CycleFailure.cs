using Peering.Machine;
using Peering.Traces;

namespace Peering.Fuzzing;

/// <summary>How a fuzz cycle (or a shrink candidate) fails.</summary>
public enum FailureKind
{
    /// <summary>A declared invariant (I1-I8) is false after a step.</summary>
    Invariant,

    /// <summary><c>after_checks.image_invariant</c> is false (a failure only with <c>--require-image-invariant</c>).</summary>
    ImageInvariant,

    /// <summary>The JSONL round trip disagrees: the serializer, the reader or the pure step differs from the fast path.</summary>
    RoundTrip,

    /// <summary>A recorded trace disagrees with the reducer (replay divergence; shrinking only).</summary>
    Divergence,

    /// <summary>The reducer threw.</summary>
    Exception,
}

/// <summary>
/// What failed, where: the step, its event type, a one-line description and, for a round trip or
/// divergence, the fields that differ (JSON paths with the expected and actual values).
/// </summary>
public sealed record CycleFailure(
    FailureKind Kind,
    long Step,
    string EventType,
    string What,
    IReadOnlyList<string> Invariants,
    IReadOnlyList<FieldDifference> Differences)
{
    /// <summary>The kind as written in summaries: <c>invariant</c>, <c>image-invariant</c>, <c>round-trip</c>, <c>divergence</c>, <c>exception</c>.</summary>
    public string KindName => KindNames[(int)Kind];

    private static readonly string[] KindNames = ["invariant", "image-invariant", "round-trip", "divergence", "exception"];

    /// <summary>An invariant violation after <paramref name="step"/>.</summary>
    public static CycleFailure Violation(long step, PgEvent e, PeeringMachineInvariants invariants)
    {
        var names = invariants.Violations().ToArray();
        return new(FailureKind.Invariant, step, EventName(e), $"invariant {string.Join(", ", names)} violated", names, []);
    }

    /// <summary><c>image_invariant</c> false after <paramref name="step"/>.</summary>
    public static CycleFailure ImageInvariantFalse(long step, PgEvent e) =>
        new(FailureKind.ImageInvariant, step, EventName(e), "after_checks.image_invariant is false", [], []);

    /// <summary>The reducer threw at <paramref name="step"/>.</summary>
    public static CycleFailure Threw(long step, PgEvent e, Exception exception) =>
        new(FailureKind.Exception, step, EventName(e), $"the reducer threw {exception.GetType().Name}: {exception.Message}", [], []);

    /// <summary>The wire tag of <paramref name="e"/>'s type.</summary>
    public static string EventName(PgEvent e) => PeeringMachine.Definition.Events[PeeringMachine.EventIndex(e)];

    /// <summary>One line: <c>step 12 (PeerInfoReceived): invariant peer_plans_exact violated</c>.</summary>
    public override string ToString() => $"step {Step} ({EventType}): {What}";

    /// <summary>The description with one indented line per differing field.</summary>
    public string Describe() =>
        string.Join(Environment.NewLine, Differences.Select(d => $"  {d.Path}: expected {d.Expected}, actual {d.Actual}").Prepend(ToString()));

    /// <summary>
    /// Whether <paramref name="other"/> fails the same way: the same kind and event type, and the same
    /// violated invariants or the same differing fields (array indices ignored, since shrinking moves them).
    /// </summary>
    public bool SameWayAs(CycleFailure other) =>
        Kind == other.Kind
        && EventType == other.EventType
        && Invariants.SequenceEqual(other.Invariants)
        && (Kind is not (FailureKind.RoundTrip or FailureKind.Divergence)
            || (What == other.What && Paths(this).SequenceEqual(Paths(other))))
        && (Kind != FailureKind.Exception || ExceptionType(What) == ExceptionType(other.What));

    private static IEnumerable<string> Paths(CycleFailure f) =>
        f.Differences.Select(d => System.Text.RegularExpressions.Regex.Replace(d.Path, @"\[\d+\]", "[]")).Distinct().Order(StringComparer.Ordinal);

    private static string ExceptionType(string what) => what.Split(':')[0];
}
