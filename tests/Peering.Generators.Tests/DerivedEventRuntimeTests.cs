namespace Peering.Generators.Tests;

/// <summary>
/// An [Event] derived from an [Event] declared before it is a legal machine: the generated type
/// switches test the derived type first, so each event reaches its own handler, index, tag and
/// canonical index (declaration order is unchanged).
/// </summary>
public sealed class DerivedEventRuntimeTests
{
    private const string Machine = """
        using System.Collections.Generic;
        using Peering.StateMachines;

        namespace Kin;

        public abstract record E;
        [Event] public record Parent(int X) : E;
        [Event("kid")] public sealed record Child(int X, int Y) : Parent(X);
        public abstract record F;
        public sealed record N(KinMachineState State);

        [StateMachine(typeof(E), typeof(F), typeof(N))]
        public sealed partial class KinMachine
        {
            [State, Handles(typeof(Parent)), Handles(typeof(Child))] public sealed partial class Only;

            public List<string> Ran { get; } = new();

            [Transition] private void Move(KinMachineState to) => State = to;
            [Handler] private void On(Parent e) => Ran.Add("parent");
            [Handler] private void On(Child e) => Ran.Add("child");
        }

        public static class Harness
        {
            public static string Run()
            {
                var m = new KinMachine();
                m.Dispatch(new Parent(1));
                m.Dispatch(new Child(1, 2));
                var w = new CompactJsonWriter();
                w.Raw("["u8);
                KinMachineJson.WriteEvent(w, new Parent(1));
                w.Separator();
                KinMachineJson.WriteEvent(w, new Child(1, 2));
                w.Raw("]"u8);

                var canonical = new CanonicalWriter();
                KinMachineJson.WriteCanonical(canonical, new Child(1, 2));
                return string.Join(" ", m.Ran) + " " + KinMachine.EventIndex(new Parent(1)) + " " + KinMachine.EventIndex(new Child(1, 2))
                    + " " + System.Text.Encoding.UTF8.GetString(w.Written) + " " + System.Convert.ToHexString(canonical.Written);
            }
        }
        """;

    [Fact]
    public void Each_event_reaches_its_own_handler_index_and_tag()
    {
        var harness = References.Load("kin", Machine).GetType("Kin.Harness")!;
        var text = (string)harness.GetMethod("Run")!.Invoke(null, null)!;

        // Child: index 1, tag "kid", canonical index 01 then x 1 -> 02, y 2 -> 04.
        Assert.Equal("""parent child 0 1 [{"type":"Parent","x":1},{"type":"kid","x":1,"y":2}] 010204""", text);
    }
}
