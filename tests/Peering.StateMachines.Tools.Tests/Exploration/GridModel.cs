
namespace Peering.StateMachines.Tools.Tests;

/// <summary>A point on the grid 0..Max x 0..Max.</summary>
internal sealed record GridPoint(int X, int Y);

/// <summary>A move of the point (clamped to the grid).</summary>
internal sealed record GridMove(int Dx, int Dy);

/// <summary>
/// A hand-countable model (no generated machine): one state, two events, Right and Up, from (0, 0).
/// The points at depth d are those with x + y = d, so the level sizes are known by hand. The
/// invariant <c>allowed</c> fails on the points in <see cref="Forbidden"/>.
/// </summary>
internal sealed class GridModel(int max, params GridPoint[] forbidden) : IExplorationModel<GridPoint, GridMove>
{
    public static readonly GridMove Right = new(1, 0);
    public static readonly GridMove Up = new(0, 1);

    public IReadOnlyList<GridPoint> Forbidden { get; } = forbidden;

    public MachineDefinition Definition { get; } = new(
        "Grid",
        ["On"],
        ["Right", "Up"],
        [],
        [new HandledPair(0, 0, []), new HandledPair(0, 1, [])],
        [],
        [],
        [],
        ["allowed"],
        []);

    public GridPoint Origin { get; } = new(0, 0);

    public IReadOnlyList<GridMove> InitialEvents => [];

    public void AddEvents(GridPoint snapshot, List<GridMove> events)
    {
        events.Add(Right);
        events.Add(Up);
    }

    /// <summary>A point whose steps throw (a model bug), or null.</summary>
    public GridPoint? Throws { get; init; }

    public StepOutcome<GridPoint> Step(GridPoint before, GridMove e) => before == Throws
        ? throw new InvalidOperationException("a step from " + before + " failed")
        : new(new GridPoint(Math.Min(max, before.X + e.Dx), Math.Min(max, before.Y + e.Dy)), 0, 0, []);

    public int EventIndex(GridMove e) => e.Dx == 1 ? 0 : 1;

    public void WriteCanonical(CanonicalWriter writer, GridPoint snapshot)
    {
        writer.WriteInt64(snapshot.X);
        writer.WriteInt64(snapshot.Y);
    }

    public ulong InvariantViolations(GridPoint snapshot) => Forbidden.Contains(snapshot) ? 1UL : 0UL;

    public void WriteTrace(Stream output, IReadOnlyList<PathStep<GridPoint, GridMove>> steps)
    {
        using var writer = new StreamWriter(output, leaveOpen: true);
        foreach (var step in steps)
        {
            writer.WriteLine($"{step.Before.X},{step.Before.Y} {(step.Event == Right ? "Right" : "Up")} {step.After.X},{step.After.Y}");
        }
    }
}
