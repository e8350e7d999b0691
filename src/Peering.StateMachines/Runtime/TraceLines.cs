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
    TEffect[] Effects) : TraceLine;

/// <summary>The summary line closing a trace: the generator's seed and the number of step lines.</summary>
public sealed record TraceSummary(ulong Seed, long Events) : TraceLine;

/// <summary>
/// What the header reader takes from a line without reading its snapshots: a summary (with its seed
/// and count) or a step's number, states and event.
/// </summary>
public readonly record struct TraceHeader<TState, TEvent>(bool IsSummary, long Step, TState From, TState To, TEvent Event, ulong Seed, long Events);

/// <summary>
/// A step line read by the strict reader of the compact form: everything but the <c>before</c>
/// (which the reader compared as bytes), and where the <c>after</c> value lies in the line.
/// </summary>
public readonly record struct CompactStep<TState, TEvent, TEffect, TSnapshot, TChecks>(
    long Step,
    TState From,
    TState To,
    TEvent Event,
    TChecks BeforeChecks,
    TSnapshot After,
    TChecks AfterChecks,
    TEffect[] Effects,
    int AfterStart,
    int AfterEnd);
