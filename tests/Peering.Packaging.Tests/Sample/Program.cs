using Sample;

var turnstile = new Turnstile();
turnstile.Dispatch(new Coin(25));                          // Locked -> Unlocked
turnstile.DispatchChecked(new Push(), out var invariants); // Unlocked -> Locked
Console.WriteLine($"{Turnstile.StateName(turnstile.State)}, invariants hold: {invariants.AllHold}");

// The pure step: a snapshot and an event in, the next snapshot and the effects out.
var step = Turnstile.Step(turnstile.TakeSnapshot(), new Push());
Console.WriteLine($"{step.From} -> {step.To}, coins {step.After.Coins}, effects: {string.Join(", ", step.Effects)}");
