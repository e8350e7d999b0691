using Peering.StateMachines;
using System.Collections.Immutable;

namespace Peering.TestMachines;

/// <summary>
/// What a generic explorer needs to run the door: the initial snapshot, a pure step function, a
/// finite event alphabet per snapshot, and the planted invariant violation it must find.
/// </summary>
public static class DoorExploration
{
    /// <summary>The invariant the planted bug breaks (see <see cref="Door"/>).</summary>
    public const string PlantedInvariant = "bolt_only_when_closed";

    /// <summary>
    /// The minimal number of events from <see cref="Initial"/> after which <see cref="PlantedInvariant"/>
    /// first fails: <c>Lock, Kick, Kick, Kick</c>. No shorter sequence breaks any invariant.
    /// </summary>
    public const int PlantedViolationDepth = 4;

    /// <summary>A shortest sequence reaching the planted violation (each event is in the alphabet).</summary>
    public static ImmutableArray<DoorEvent> PlantedViolationSequence { get; } =
        [new LockDoor("brass", null), new Kick(7), new Kick(7), new Kick(7)];

    /// <summary>Every event an explorer tries (before filtering by state).</summary>
    public static ImmutableArray<DoorEvent> Alphabet { get; } =
    [
        new Open(3),
        new Close(Slam: false),
        new Close(Slam: true),
        new LockDoor("brass", null),
        new LockDoor("iron", 2),
        new Unlock("brass"),
        new Unlock("iron"),
        new Kick(7),
        new KnockEvent([1, 2]),
    ];

    /// <summary>The door's exploration world: the fresh door as the one initial configuration, <see cref="EventsWorthTrying"/> as the alphabet.</summary>
    public static IExplorationWorld<DoorSnapshot, DoorEvent> World { get; } = new DoorWorld();

    /// <summary>
    /// The door's event source for fuzzing (one profile, <c>default</c>): each event drawn uniformly from
    /// <see cref="EventsWorthTrying"/> of the snapshot before it, <c>maxEvents</c> events per trace.
    /// </summary>
    public static IEventSource<DoorSnapshot, DoorEvent> Events { get; } = EventSource.Create<DoorSnapshot, DoorEvent>((snapshot, rng) =>
    {
        var worth = EventsWorthTrying(snapshot);
        return worth.IsEmpty ? Alphabet[rng.Uniform(0, Alphabet.Length - 1)] : worth[rng.Uniform(0, worth.Length - 1)];
    });

    /// <summary>The fresh door's snapshot.</summary>
    public static DoorSnapshot Initial { get; } = new Door().TakeSnapshot();

    /// <summary>
    /// The events worth trying from <paramref name="snapshot"/>: the members of <see cref="Alphabet"/>
    /// that its state handles (an ignored event changes nothing). A finite set.
    /// </summary>
    public static ImmutableArray<DoorEvent> EventsWorthTrying(DoorSnapshot snapshot)
    {
        var state = (int)snapshot.State;
        var builder = ImmutableArray.CreateBuilder<DoorEvent>();
        foreach (var e in Alphabet)
        {
            var index = Door.EventIndex(e);
            foreach (var pair in Door.Definition.Handled)
            {
                if (pair.State == state && pair.Event == index)
                {
                    builder.Add(e);
                    break;
                }
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>One step, purely (the generated <see cref="Door.Step(DoorSnapshot, DoorEvent)"/>), as a tuple.</summary>
    public static (DoorSnapshot After, DoorState From, DoorState To, DoorEffect[] Effects) Step(DoorSnapshot before, DoorEvent e)
    {
        var r = Door.Step(before, e);
        return (r.After, r.From, r.To, r.Effects);
    }

    private sealed class DoorWorld : IExplorationWorld<DoorSnapshot, DoorEvent>
    {
        public IReadOnlyList<DoorEvent> InitialEvents => [];

        public void AddEvents(DoorSnapshot snapshot, List<DoorEvent> events) => events.AddRange(EventsWorthTrying(snapshot));
    }
}
