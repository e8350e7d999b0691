using Peering.Machine;
using Peering.StateMachines;
using Peering.StateMachines.Exploration;
using Peering.Traces;

namespace Peering.Exploration;

/// <summary>
/// The peering reducer as an exploration model: the fresh snapshot as origin, the world's Initialize
/// events as set-up, the alphabet of <see cref="EventAlphabet"/>, the pure <see cref="PeeringMachine.Step"/>
/// with its <see cref="LogTransition"/> effects as the single moves, the declared invariants I1-I8,
/// and counterexamples as replayable JSONL traces (TRACE-SCHEMA.md).
/// </summary>
public sealed class PeeringExplorationModel : IExplorationModel<PgSnapshot, PgEvent>
{
    private readonly EventAlphabet _alphabet;

    /// <summary>The model of <paramref name="world"/>.</summary>
    public PeeringExplorationModel(ExplorationWorld world)
    {
        _alphabet = new EventAlphabet(world);
        InitialEvents = world.InitialEvents();
    }

    /// <summary>The world.</summary>
    public ExplorationWorld World => _alphabet.World;

    /// <inheritdoc/>
    public MachineDefinition Definition => PeeringMachine.Definition;

    /// <inheritdoc/>
    public PgSnapshot Origin => PgSnapshot.Fresh;

    /// <inheritdoc/>
    public IReadOnlyList<PgEvent> InitialEvents { get; }

    /// <inheritdoc/>
    public void AddEvents(PgSnapshot snapshot, List<PgEvent> events) => _alphabet.AddEvents(snapshot, events);

    /// <inheritdoc/>
    public StepOutcome<PgSnapshot> Step(PgSnapshot before, PgEvent e)
    {
        var r = PeeringMachine.Step(before, e);
        return new StepOutcome<PgSnapshot>(r.After, (int)r.From, (int)r.To, Moves(r.Effects));
    }

    /// <summary>The single moves of a step: its <see cref="LogTransition"/> effects, in order.</summary>
    public static SingleMove[] Moves(ReadOnlySpan<PgEffect> effects)
    {
        var count = 0;
        foreach (var effect in effects)
        {
            if (effect is LogTransition)
            {
                count++;
            }
        }

        if (count == 0)
        {
            return [];
        }

        var moves = new SingleMove[count];
        count = 0;
        foreach (var effect in effects)
        {
            if (effect is LogTransition t)
            {
                moves[count++] = new SingleMove((int)t.From, (int)t.To);
            }
        }

        return moves;
    }

    /// <inheritdoc/>
    public int EventIndex(PgEvent e) => PeeringMachine.EventIndex(e);

    /// <inheritdoc/>
    public void WriteCanonical(CanonicalWriter writer, PgSnapshot snapshot) => PeeringMachineJson.WriteCanonical(writer, snapshot);

    /// <inheritdoc/>
    public ulong InvariantViolations(PgSnapshot snapshot) => PeeringMachine.EvaluateInvariants(snapshot).ViolationMask;

    /// <summary>The steps re-executed from the fresh snapshot as trace lines, then a summary line (seed 0).</summary>
    public void WriteTrace(Stream output, IReadOnlyList<PathStep<PgSnapshot, PgEvent>> steps)
    {
        var encoder = new StepEncoder();
        for (var i = 0; i < steps.Count; i++)
        {
            var r = PeeringMachine.Step(steps[i].Before, steps[i].Event);
            output.Write(encoder.EncodeStep(i, r.From, r.To, steps[i].Event, r.After, PeeringMachine.EvaluateChecks(r.After), r.Effects));
            output.WriteByte((byte)'\n');
        }

        output.Write(encoder.EncodeSummary(0, steps.Count));
        output.WriteByte((byte)'\n');
    }
}
