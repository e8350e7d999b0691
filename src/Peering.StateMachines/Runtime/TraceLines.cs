namespace Peering.StateMachines;

/// <summary>One line of a JSONL trace: a step or the closing summary.</summary>
public abstract record TraceLine;

/// <summary>
/// A step line: the event, the snapshot before and after it with their checks, the state names and
/// the effects in emission order.
/// </summary>
public sealed record TraceStep<TState, TEvent, TSnapshot, TChecks, TEffect>(
    long Step,
    TState FromState,
    TState ToState,
    TEvent Event,
    TSnapshot Before,
    TChecks BeforeChecks,
    TSnapshot After,
    TChecks AfterChecks,
    TEffect[] Effects) : TraceLine
    where TState : struct, Enum;

/// <summary>The summary line closing a trace: the generator's seed and the number of step lines.</summary>
public sealed record TraceSummary(ulong Seed, long Events) : TraceLine;
