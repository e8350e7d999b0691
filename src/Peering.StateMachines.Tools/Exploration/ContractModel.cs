namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>Bounded exhaustive exploration of this machine over a world it supplies.</summary>
    public static class Exploration
    {
        /// <summary>
        /// The exploration model of this machine in <paramref name="world"/>: the fresh snapshot as origin,
        /// the world's set-up events and alphabet, the generated pure step with its single moves, the
        /// declared invariants, and counterexamples written as replayable traces.
        /// </summary>
        public static IExplorationModel<TSnapshot, TEvent> Model(IExplorationWorld<TSnapshot, TEvent> world) => new ContractModel(world);

        /// <summary>Explores <paramref name="world"/> within <paramref name="options"/>' bounds.</summary>
        public static ExplorationResult<TSnapshot, TEvent> Run(IExplorationWorld<TSnapshot, TEvent> world, ExplorationOptions options) =>
            Explorer.Run(Model(world), options);

        /// <summary>The steps re-executed from the fresh snapshot as trace lines, then a summary line (seed 0).</summary>
        public static void WriteTrace(Stream output, IReadOnlyList<PathStep<TSnapshot, TEvent>> steps)
        {
            var encoder = new StepEncoder();
            for (var i = 0; i < steps.Count; i++)
            {
                var r = TContract.Step(steps[i].Before, steps[i].Event);
                output.Write(encoder.EncodeStep(i, r.From, r.To, steps[i].Event, r.After, TContract.EvaluateChecks(r.After), r.Effects));
                output.WriteByte((byte)'\n');
            }

            output.Write(encoder.EncodeSummary(0, steps.Count));
            output.WriteByte((byte)'\n');
        }

        private sealed class ContractModel(IExplorationWorld<TSnapshot, TEvent> world) : IExplorationModel<TSnapshot, TEvent>
        {
            public MachineDefinition Definition => TContract.Definition;

            public TSnapshot Origin => TContract.Initial;

            public IReadOnlyList<TEvent> InitialEvents { get; } = world.InitialEvents;

            public void AddEvents(TSnapshot snapshot, List<TEvent> events) => world.AddEvents(snapshot, events);

            public StepOutcome<TSnapshot> Step(TSnapshot before, TEvent e)
            {
                var after = TContract.Step(before, e, out var from, out var to, out var moves);
                return new StepOutcome<TSnapshot>(after, TContract.StateIndex(from), TContract.StateIndex(to), moves);
            }

            public int EventIndex(TEvent e) => TContract.EventIndex(e);

            public void WriteCanonical(CanonicalWriter writer, TSnapshot snapshot) => TContract.WriteCanonical(writer, snapshot);

            public ulong InvariantViolations(TSnapshot snapshot) => TContract.InvariantViolations(snapshot);

            public void WriteTrace(Stream output, IReadOnlyList<PathStep<TSnapshot, TEvent>> steps) => Exploration.WriteTrace(output, steps);
        }
    }
}
