using Peering.StateMachines;

namespace Sample;

public abstract record TurnstileEvent;
[Event] public sealed record Coin(int Cents) : TurnstileEvent;
[Event] public sealed record Push : TurnstileEvent;

public abstract record TurnstileEffect;
[Effect] public sealed record Beep(string Tone) : TurnstileEffect;

public sealed record TurnstileSnapshot(TurnstileState State, long Coins);

[StateMachine(typeof(TurnstileEvent), typeof(TurnstileEffect), typeof(TurnstileSnapshot))]
public sealed partial class Turnstile
{
    // For each state and each event, one decision: Handles (with the states the handler may move to) or Ignores.
    [State, Handles(typeof(Coin), typeof(Unlocked)), Handles(typeof(Push))]
    public sealed partial class Locked;

    [State, Handles(typeof(Push), typeof(Locked)), Ignores(typeof(Coin))]
    public sealed partial class Unlocked;

    private long _coins;

    public Turnstile()
    {
    }

    // Restores a turnstile from its snapshot: the pure step and the trace tools start from any snapshot.
    public Turnstile(TurnstileSnapshot snapshot)
    {
        State = snapshot.State;
        _coins = snapshot.Coins;
    }

    [Transition]
    private void Move(TurnstileState to) => State = to;

    [Handler]
    private void On(Coin e)
    {
        _coins++;
        Move(TurnstileState.Unlocked);
    }

    [Handler]
    private void On(Push e)
    {
        if (State == TurnstileState.Locked)
        {
            Emit(new Beep("low"));
        }
        else
        {
            Move(TurnstileState.Locked);
        }
    }

    [SnapshotFactory]
    public TurnstileSnapshot TakeSnapshot() => new(State, _coins);
}

public static class TurnstileRules
{
    [Invariant("coins_not_negative")]
    public static bool CoinsNotNegative(TurnstileSnapshot s) => s.Coins >= 0;
}
