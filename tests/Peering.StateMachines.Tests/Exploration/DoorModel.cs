using System.Text.Json;
using Peering.StateMachines.Exploration;
using Peering.TestMachines;

namespace Peering.StateMachines.Tests.Exploration;

/// <summary>The door as an exploration model, through what the door's own <see cref="DoorExploration"/> provides.</summary>
internal sealed class DoorModel : IExplorationModel<DoorSnapshot, DoorEvent>
{
    public MachineDefinition Definition => Door.Definition;

    public DoorSnapshot Origin => DoorExploration.Initial;

    public IReadOnlyList<DoorEvent> InitialEvents => [];

    public void AddEvents(DoorSnapshot snapshot, List<DoorEvent> events) => events.AddRange(DoorExploration.EventsWorthTrying(snapshot));

    public StepOutcome<DoorSnapshot> Step(DoorSnapshot before, DoorEvent e)
    {
        var (after, from, to, effects) = DoorExploration.Step(before, e);
        var moves = effects.OfType<Moved>().Select(m => new SingleMove((int)m.From, (int)m.To)).ToArray();
        return new StepOutcome<DoorSnapshot>(after, (int)from, (int)to, moves);
    }

    public int EventIndex(DoorEvent e) => Door.EventIndex(e);

    public void WriteCanonical(CanonicalWriter writer, DoorSnapshot snapshot) => DoorJson.WriteCanonical(writer, snapshot);

    public ulong InvariantViolations(DoorSnapshot snapshot) => Door.EvaluateInvariants(snapshot).ViolationMask;

    public void WriteTrace(Stream output, IReadOnlyList<PathStep<DoorSnapshot, DoorEvent>> steps)
    {
        using var w = new Utf8JsonWriter(output);
        for (var i = 0; i < steps.Count; i++)
        {
            var (after, from, to, effects) = DoorExploration.Step(steps[i].Before, steps[i].Event);
            DoorJson.WriteTraceStep(
                w, i, from, to, steps[i].Event, steps[i].Before, Door.EvaluateChecks(steps[i].Before), after, Door.EvaluateChecks(after), effects);
            w.Flush();
            w.Reset();
            output.WriteByte((byte)'\n');
        }

        DoorJson.WriteTraceSummary(w, 0, steps.Count);
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
