namespace Peering.Generators.Tests;

/// <summary>Machines the baseline and caching tests run the generator over.</summary>
internal static class TestSources
{
    /// <summary>The smallest machine: global namespace, two states, one event, no checks, invariants or snapshot factory.</summary>
    public const string Minimal = """
        using Peering.StateMachines;

        internal abstract record SwitchEvent;
        [Event] internal sealed record Toggle : SwitchEvent;

        internal abstract record SwitchEffect;
        [Effect] internal sealed record Clicked(SwitchState To) : SwitchEffect;

        internal sealed record SwitchSnapshot(SwitchState State);

        [StateMachine(typeof(SwitchEvent), typeof(SwitchEffect), typeof(SwitchSnapshot))]
        internal sealed partial class Switch
        {
            [State, Handles(typeof(Toggle), typeof(On))]
            public sealed partial class Off;

            [State, Handles(typeof(Toggle), typeof(Off))]
            public sealed partial class On;

            public SwitchEffect? Last { get; private set; }

            [Transition]
            private void Move(SwitchState to)
            {
                Last = new Clicked(to);
                State = to;
            }

            [Handler]
            private void Handle(Toggle e) => Move(State == SwitchState.Off ? SwitchState.On : SwitchState.Off);
        }
        """;

    /// <summary>
    /// A machine whose events, effects and snapshot use every supported wire type: the primitives,
    /// every nullable, the state enum (named by StateTypeName) plain, nullable and in a list, another
    /// enum, a record, a record struct, a class with one constructor (keyword parameter, [WireName] on a
    /// property), arrays (nested, of records, of nullables), ImmutableArray, [CollectionBuilder] types
    /// (with and without Count, generic), [WireName], [WireIgnore], explicit tags, a record without a
    /// parameter list, and members typed as the event base (written with their tag).
    /// </summary>
    public const string AllWireTypes = """
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using Peering.StateMachines;

        // The generated code documents its public members; the declarations here need not.
        #pragma warning disable CS1591

        namespace Gadgets;

        public enum Color { Red, Green, Blue = 5 }

        public sealed record Point(int X, int Y);

        public readonly record struct Span(long Start, long End);

        public sealed class Link
        {
            public Link(int @from, int to)
            {
                From = @from;
                To = to;
            }

            public int From { get; }

            [WireName("target")]
            public int To { get; }
        }

        [System.Runtime.CompilerServices.CollectionBuilder(typeof(Bag), nameof(Create))]
        public sealed class Bag : IEnumerable<Point>
        {
            private readonly Point[] _items;

            private Bag(Point[] items) => _items = items;

            public static Bag Create(ReadOnlySpan<Point> items) => new(items.ToArray());

            public IEnumerator<Point> GetEnumerator() => ((IEnumerable<Point>)_items).GetEnumerator();

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        [System.Runtime.CompilerServices.CollectionBuilder(typeof(SortedBuilder), nameof(SortedBuilder.Create))]
        public sealed class Sorted<T> : IEnumerable<T>
        {
            private readonly T[] _items;

            internal Sorted(T[] items) => _items = items;

            public int Count => _items.Length;

            public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        public static class SortedBuilder
        {
            public static Sorted<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
        }

        public abstract record GadgetEvent;

        [Event]
        public sealed record Configure(
            bool Enabled,
            int Level,
            uint Mask,
            long Offset,
            ulong Serial,
            string Name,
            bool? MaybeEnabled,
            int? MaybeLevel,
            uint? MaybeMask,
            long? MaybeOffset,
            ulong? MaybeSerial,
            Color? MaybeColor,
            Color Color,
            Point Origin,
            Span Window,
            Link Link,
            int[] Levels,
            ImmutableArray<string> Names,
            Point[] Points,
            int[][] Grid,
            int?[] Sparse,
            Bag Bag,
            Sorted<ulong> Serials,
            Sorted<Color> Colors,
            [WireName("renamed")] int Original,
            [WireIgnore] string Note = "") : GadgetEvent;

        [Event("go")]
        public sealed record Go() : GadgetEvent;

        [Event]
        public sealed record Halt : GadgetEvent;

        public abstract record GadgetEffect;

        [Effect]
        public sealed record Reported(GadgetMode Mode, GadgetMode? Previous, ImmutableArray<GadgetMode> History) : GadgetEffect;

        [Effect("replay")]
        public sealed record Replayed(GadgetEvent Event, GadgetEvent[] Events) : GadgetEffect;

        public sealed record GadgetSnapshot(GadgetMode Mode, int Count, Point Cursor, Sorted<int> Marks);

        [StateMachine(typeof(GadgetEvent), typeof(GadgetEffect), typeof(GadgetSnapshot), StateTypeName = "GadgetMode")]
        public sealed partial class Gadget
        {
            [State]
            [Handles(typeof(Configure), typeof(Running))]
            [Handles(typeof(Go), typeof(Running))]
            [Ignores(typeof(Halt))]
            public sealed partial class Idle;

            [State("running")]
            [Handles(typeof(Halt), typeof(Idle))]
            [Ignores(typeof(Configure), typeof(Go))]
            public sealed partial class Running;

            private readonly List<GadgetEffect> _effects = new();

            public Gadget()
            {
            }

            public Gadget(GadgetSnapshot snapshot) => State = snapshot.Mode;

            [Transition]
            private void Move(GadgetMode to)
            {
                _effects.Add(new Reported(to, State, ImmutableArray.Create(State, to)));
                State = to;
            }

            [Handler]
            private void On(Configure e) => Move(GadgetMode.Running);

            [Handler]
            private void On(Go e) => Move(GadgetMode.Running);

            [Handler]
            private void On(Halt e) => Move(GadgetMode.Idle);

            [Procedure(typeof(Running))]
            private void Stop() => Move(GadgetMode.Idle);

            [SnapshotFactory]
            public GadgetSnapshot Snapshot() => new(State, _effects.Count, new Point(0, 0), SortedBuilder.Create<int>([]));
        }

        // What several checks share, computed once per evaluation.
        public sealed class GadgetFacts(GadgetSnapshot s)
        {
            public bool Running { get; } = s.Mode == GadgetMode.Running;
        }

        public static class GadgetRules
        {
            [CheckContext]
            public static GadgetFacts Facts(GadgetSnapshot s) => new(s);

            [Invariant("count_non_negative")]
            public static bool CountNonNegative(GadgetSnapshot s) => s.Count >= 0;

            [Check("running")]
            public static bool IsRunning(GadgetSnapshot s, GadgetFacts facts) => facts.Running;

            [Check("at_origin")]
            internal static bool AtOrigin(GadgetSnapshot s) => s.Cursor == new Point(0, 0);
        }
        """;
}
