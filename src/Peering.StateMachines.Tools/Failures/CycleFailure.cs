
namespace Peering.StateMachines.Tools;

/// <summary>How a fuzz cycle (or a shrink candidate) fails.</summary>
public enum FailureKind
{
    /// <summary>A declared invariant is false after a step.</summary>
    Invariant,

    /// <summary>A required check is false in <c>after_checks</c> (a failure only with <c>--require-check</c>).</summary>
    Check,

    /// <summary>The JSONL round trip disagrees: the serializer, the reader or the pure step differs from the in-place step.</summary>
    RoundTrip,

    /// <summary>A recorded trace disagrees with the machine (replay divergence; shrinking only).</summary>
    Divergence,

    /// <summary>The machine threw.</summary>
    Exception,

    // How an external program can fail a cycle (replay-fuzz), besides a divergence or a false required check.

    /// <summary>Its output is not a well-formed trace (the trace input rules, docs/trace-input.md).</summary>
    Malformed,

    /// <summary>Its trace is not the one asked for: another seed in the summary line, a second trace, or other events than those sent.</summary>
    Mismatch,

    /// <summary>Its output stopped before the trace's summary line.</summary>
    Truncated,

    /// <summary>It exited with a code other than 0.</summary>
    Exit,

    /// <summary>It did not finish within the cycle's time limit, and was killed.</summary>
    Timeout,

    /// <summary>It wrote more than the cycle's output limit, and was killed.</summary>
    OutputLimit,

    /// <summary>It could not be started.</summary>
    Start,
}

/// <summary>
/// What failed, where: the step, its event type, a one-line description, the invariants (or the
/// required check) that are false and, for a round trip or divergence, the fields that differ (JSON
/// paths with the expected and actual values).
/// </summary>
public sealed record CycleFailure(
    FailureKind Kind,
    long Step,
    string EventType,
    string What,
    IReadOnlyList<string> Invariants,
    IReadOnlyList<FieldDifference> Differences)
{
    /// <summary>The kind as written in summaries: <c>invariant</c>, <c>check</c>, <c>round-trip</c>, <c>divergence</c>, <c>exception</c>, and for an external program <c>malformed</c>, <c>mismatch</c>, <c>truncated</c>, <c>exit</c>, <c>timeout</c>, <c>output-limit</c>, <c>start</c>.</summary>
    public string KindName => KindNames[(int)Kind];

    private static readonly string[] KindNames =
        ["invariant", "check", "round-trip", "divergence", "exception", "malformed", "mismatch", "truncated", "exit", "timeout", "output-limit", "start"];

    /// <summary>The invariants named by <paramref name="violations"/> (bit i for invariant i of <paramref name="definition"/>) are false after <paramref name="step"/>.</summary>
    public static CycleFailure Violation(long step, string eventType, MachineDefinition definition, ulong violations)
    {
        var names = definition.Invariants.Where((_, i) => (violations & (1UL << i)) != 0).ToArray();
        return new(FailureKind.Invariant, step, eventType, $"invariant {string.Join(", ", names)} violated", names, []);
    }

    /// <summary>The required check <paramref name="check"/> is false after <paramref name="step"/>.</summary>
    public static CycleFailure CheckFalse(long step, string eventType, string check) =>
        new(FailureKind.Check, step, eventType, $"after_checks.{check} is false", [check], []);

    /// <summary>The machine threw at <paramref name="step"/>.</summary>
    public static CycleFailure Threw(long step, string eventType, Exception exception) =>
        new(FailureKind.Exception, step, eventType, $"the machine threw {exception.GetType().Name}: {exception.Message}", [], []);

    /// <summary>A failure of the external program as a whole, at no particular step (<see cref="Step"/> is -1).</summary>
    public static CycleFailure External(FailureKind kind, string what) => new(kind, -1, "", what, [], []);

    /// <summary>One line: <c>step 12 (PeerInfoReceived): invariant peer_plans_exact violated</c>.</summary>
    public override string ToString() => Step < 0 ? What : $"step {Step} ({EventType}): {What}";

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
