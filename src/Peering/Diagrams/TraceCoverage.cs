using Peering.Machine;
using Peering.StateMachines.Diagrams;
using Peering.Traces;

namespace Peering.Diagrams;

/// <summary>
/// Transition coverage of peering traces against the declared machine: every <c>LogTransition</c>
/// effect of a step is one single move, made by the step's event, matched as
/// <see cref="TransitionCoverage"/> describes.
/// </summary>
public static class TraceCoverage
{
    /// <summary>
    /// Reads every step of <paramref name="inputs"/> (<see cref="TraceReader.ReadSteps"/>; a malformed
    /// trace throws <see cref="MalformedTraceException"/>) and records its moves.
    /// </summary>
    public static TransitionCoverage Collect(IEnumerable<TraceInput> inputs)
    {
        var coverage = new TransitionCoverage(PeeringMachine.Definition);
        var moves = new List<(int From, int To)>();
        foreach (var input in inputs)
        {
            foreach (var line in TraceReader.ReadSteps(input))
            {
                var step = line.Step;
                moves.Clear();
                foreach (var effect in step.Effects)
                {
                    if (effect is LogTransition log)
                    {
                        moves.Add(((int)log.From, (int)log.To));
                    }
                }

                coverage.AddStep(PeeringMachine.EventIndex(step.Event), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(moves));
            }
        }

        return coverage;
    }
}
