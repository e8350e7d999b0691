namespace Peering.Machine;

/// <summary>
/// The reducer as the trace tools drive it: a running machine on the fast path and the pure
/// snapshot-first step. The fuzzer, the round-trip verifier and the shrinker take it as a
/// dependency, so that a test can hand them a reducer with a deliberate fault (a seam, not a
/// source edit). <see cref="PeeringReducer.Instance"/> is the real one.
/// </summary>
public interface IReducer
{
    /// <summary>A fresh machine (the state of <see cref="PgSnapshot.Fresh"/>) for the fast path.</summary>
    IReducerSession Start();

    /// <summary>The pure step (REDUCER.md §6): never changes <paramref name="before"/>.</summary>
    StepResult Step(PgSnapshot before, PgEvent e);
}

/// <summary>A running machine: <see cref="PeeringMachine.Apply"/> and <see cref="PeeringMachine.TakeSnapshot"/>.</summary>
public interface IReducerSession
{
    /// <summary>The current state.</summary>
    PgState State { get; }

    /// <summary>The last step's effects in emission order (valid until the next <see cref="Apply"/>).</summary>
    ReadOnlySpan<PgEffect> LastEffects { get; }

    /// <summary>Applies <paramref name="e"/> in place.</summary>
    void Apply(PgEvent e);

    /// <summary>The current snapshot.</summary>
    PgSnapshot TakeSnapshot();
}

/// <summary>The real reducer: <see cref="PeeringMachine"/>.</summary>
public sealed class PeeringReducer : IReducer
{
    private PeeringReducer()
    {
    }

    /// <summary>The one instance.</summary>
    public static PeeringReducer Instance { get; } = new();

    /// <inheritdoc/>
    public IReducerSession Start() => new PeeringMachine();

    /// <inheritdoc/>
    public StepResult Step(PgSnapshot before, PgEvent e) => PeeringMachine.Step(before, e);
}

public sealed partial class PeeringMachine : IReducerSession
{
    /// <inheritdoc/>
    void IReducerSession.Apply(PgEvent e) => Apply(e);
}
