namespace Peering.StateMachines.Tools;

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Transition coverage of recorded traces against the declared machine: the single moves of a step
    /// are its <see cref="TransitionLogAttribute"/> effects, in order; a machine without such an effect
    /// counts the step's <c>from_state -&gt; to_state</c> as its one move when the two differ. Each move
    /// is matched as <see cref="TransitionCoverage"/> describes.
    /// </summary>
    public static class TraceCoverage
    {
        private static readonly bool LogsMoves = !TContract.Definition.TransitionLogs.IsEmpty;

        /// <summary>
        /// Reads every step of <paramref name="inputs"/> (<see cref="TraceReader.ReadSteps"/>; a malformed
        /// trace throws <see cref="MalformedTraceException"/>) and records its moves.
        /// </summary>
        public static TransitionCoverage Collect(IEnumerable<TraceInput> inputs)
        {
            var coverage = new TransitionCoverage(TContract.Definition);
            var moves = new List<(int From, int To)>();
            foreach (var input in inputs)
            {
                foreach (var line in TraceReader.ReadSteps(input))
                {
                    var step = line.Step;
                    moves.Clear();
                    if (LogsMoves)
                    {
                        foreach (var effect in step.Effects)
                        {
                            if (TContract.TryGetMove(effect, out var move))
                            {
                                moves.Add((move.From, move.To));
                            }
                        }
                    }
                    else if (!SameState(step.FromState, step.ToState))
                    {
                        moves.Add((TContract.StateIndex(step.FromState), TContract.StateIndex(step.ToState)));
                    }

                    coverage.AddStep(TContract.EventIndex(step.Event), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(moves));
                }
            }

            return coverage;
        }
    }
}
