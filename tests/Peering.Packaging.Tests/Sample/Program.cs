using System.Buffers;
using System.Text;
using System.Text.Json;
using Peering.Machine;
using Sample;

var turnstile = new Turnstile();
turnstile.Dispatch(new Push());
Console.WriteLine($"after Push: {Turnstile.StateName(turnstile.State)}, effects: {string.Join(", ", turnstile.Effects)}");
turnstile.Dispatch(new Coin(25));
Console.WriteLine($"after Coin: {Turnstile.StateName(turnstile.State)}");
turnstile.DispatchChecked(new Push(), out var invariants);
Console.WriteLine($"after Push: {Turnstile.StateName(turnstile.State)}, invariants hold: {invariants.AllHold}");

var json = new ArrayBufferWriter<byte>();
using (var writer = new Utf8JsonWriter(json))
{
    TurnstileJson.WriteSnapshot(writer, turnstile.TakeSnapshot());
}

Console.WriteLine(Encoding.UTF8.GetString(json.WrittenSpan));
Console.WriteLine($"declared moves: {string.Join(", ", Turnstile.Definition.Transitions.Select(t => $"{Turnstile.Definition.States[t.From]} -> {Turnstile.Definition.States[t.To]}"))}");

// The reducer library, and the alias its build props add.
ObjectImage image = ObjectImage.Empty;
Console.WriteLine($"peering states: {PeeringMachine.Definition.States.Length}, image entries: {image.Count}");
