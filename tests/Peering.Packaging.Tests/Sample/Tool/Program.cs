using Peering.StateMachines;
using Peering.StateMachines.Tools;
using Sample;

// The turnstile as a command-line tool: replay, fuzz, shrink, explore, diagram, stats and generate.
return ToolHost.Create(Turnstile.Types, "turnstile")
    .WithEvents(EventSource.Create<TurnstileSnapshot, TurnstileEvent>((_, rng) => rng.OneIn(2) ? new Push() : new Coin(25)))
    .WithExploration(new CoinsAndPushes(), "a coin and a push in every state")
    .Run(args);

// What explore tries from every snapshot.
sealed class CoinsAndPushes : IExplorationWorld<TurnstileSnapshot, TurnstileEvent>
{
    public IReadOnlyList<TurnstileEvent> InitialEvents => [];

    public void AddEvents(TurnstileSnapshot snapshot, List<TurnstileEvent> events) => events.AddRange([new Coin(25), new Push()]);
}
