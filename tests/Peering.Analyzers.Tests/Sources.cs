namespace Peering.Analyzers.Tests;

/// <summary>Pieces of test machines.</summary>
internal static class Sources
{
    /// <summary>The machine declaration and its transition method; the test appends states and members, then "}".</summary>
    public const string Door = """
        [StateMachine(typeof(Ev), typeof(Fx), typeof(Snap))]
        public sealed partial class Door
        {
            [Transition] private void Move(DoorState to) { State = to; }

        """;
}
