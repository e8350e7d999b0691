namespace Peering.StateMachines;

/// <summary>One move the machine made inside a step, from one state to another (state indices).</summary>
public readonly record struct SingleMove(int From, int To);

/// <summary>
/// What one pure step did: the snapshots before and after it, the states before and after, the
/// effects in emission order and the single moves in order (more than one when the step passed
/// through states; none when it did not move).
/// </summary>
public sealed record StepResult<TState, TEffect, TSnapshot>(
    TSnapshot Before,
    TSnapshot After,
    TState From,
    TState To,
    TEffect[] Effects,
    SingleMove[] Moves);
