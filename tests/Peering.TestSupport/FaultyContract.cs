using System.Text.Json;
using Peering.Machine;
using Peering.StateMachines;
using Peering.StateMachines.Tools;

namespace Peering.TestSupport;

/// <summary>
/// A deliberate fault in the peering reducer, injected as a contract of its own (no source edit):
/// after a step, <see cref="Corrupt"/> may replace the snapshot the real reducer produced; the
/// machine then continues from the corrupted snapshot. The fault is in the in-place step, the pure
/// step, or both: in both it is a reducer bug the invariants must catch; in one, a determinism bug
/// the round trip must catch.
/// </summary>
public interface IFault
{
    /// <summary>A replacement after-snapshot for the step (<paramref name="before"/>, <paramref name="e"/>, <paramref name="after"/>), or null.</summary>
    static virtual PgSnapshot? Corrupt(PgSnapshot before, PgEvent e, PgSnapshot after) => null;

    /// <summary>Whether the in-place step has the fault.</summary>
    static virtual bool InFastPath => true;

    /// <summary>Whether the pure step has the fault.</summary>
    static virtual bool InPureStep => true;

    /// <summary>Invariant violations to add to the real ones on <paramref name="snapshot"/> (bit i for invariant i): a planted invariant bug.</summary>
    static virtual ulong Violations(PgSnapshot snapshot) => 0;
}

/// <summary>No fault: the real reducer through the faulty contract (the control).</summary>
public readonly struct NoFault : IFault;

/// <summary>A planted invariant bug: every Clean snapshot breaks invariant 0 (<c>sources_backed</c>).</summary>
public readonly struct CleanIsBad : IFault
{
    /// <inheritdoc/>
    public static ulong Violations(PgSnapshot snapshot) => snapshot.State == PgState.Clean ? 1UL : 0;
}

/// <summary>
/// "Replica recovery overshoots": a ReplicaRecoveryComplete in ReplicaActive whose sequence is above
/// the authority is accepted anyway (the real reducer ignores it, REDUCER.md §7.10), so the local PG
/// claims more journal than the authority (INVARIANTS.md §2: I3 seq_matches_census and I5
/// local_within_authority break). The shortest way there is three events: an Initialize as a replica,
/// a ReplicaActivate, and that ReplicaRecoveryComplete. In both steps.
/// </summary>
public readonly struct Overshoot : IFault
{
    /// <inheritdoc/>
    public static PgSnapshot? Corrupt(PgSnapshot before, PgEvent e, PgSnapshot after) =>
        e is ReplicaRecoveryComplete r && before.State == PgState.ReplicaActive && r.NewCommittedSeq > after.AuthSeq
            ? after with { LocalInfo = after.LocalInfo.WithProgress(after.LocalInfo.Image, r.NewCommittedSeq) }
            : null;
}

/// <summary><see cref="Overshoot"/> in the in-place step only: a determinism bug.</summary>
public readonly struct OvershootInFastPath : IFault
{
    /// <inheritdoc/>
    public static PgSnapshot? Corrupt(PgSnapshot before, PgEvent e, PgSnapshot after) => Overshoot.Corrupt(before, e, after);

    /// <inheritdoc/>
    public static bool InPureStep => false;
}

/// <summary><see cref="Overshoot"/> in the pure step only: a determinism bug.</summary>
public readonly struct OvershootInPureStep : IFault
{
    /// <inheritdoc/>
    public static PgSnapshot? Corrupt(PgSnapshot before, PgEvent e, PgSnapshot after) => Overshoot.Corrupt(before, e, after);

    /// <inheritdoc/>
    public static bool InFastPath => false;
}

/// <summary>
/// "Sealed metadata from nowhere": every ActivateCommitted in Clean leaves a sealed blob entry for
/// object 9 in the authority that no holder backs. The declared invariants I1-I8 do not look at blob
/// metadata, so only the traced image_invariant check (item 5) sees it.
/// </summary>
public readonly struct PhantomBlobMeta : IFault
{
    /// <inheritdoc/>
    public static PgSnapshot? Corrupt(PgSnapshot before, PgEvent e, PgSnapshot after) =>
        e is ActivateCommitted && after.State == PgState.Clean
            ? after with { AuthBlobMeta = Peering.Model.ObjectMap.Create<Peering.Model.BlobMetaEntry>([new Peering.Model.BlobMetaEntry(9, true, 1)]) }
            : null;
}

/// <summary>A reducer that throws on every PeerQueryTimeout.</summary>
public readonly struct ThrowsOnTimeout : IFault
{
    /// <inheritdoc/>
    public static PgSnapshot? Corrupt(PgSnapshot before, PgEvent e, PgSnapshot after) =>
        e is PeerQueryTimeout ? throw new InvalidOperationException("boom") : null;
}

/// <summary>The in-place side of a <see cref="FaultyContract{TFault}"/>: the real machine and the snapshot it continues from.</summary>
public sealed class FaultySession
{
    internal PeeringMachine Machine { get; set; } = new();

    internal PgSnapshot Snapshot { get; set; } = PgSnapshot.Fresh;

    internal PgEffect[] Effects { get; set; } = [];

    internal SingleMove[] Moves { get; set; } = [];
}

/// <summary>How often each fault fired (per fault type, across every test that uses it).</summary>
public static class FaultCounter<TFault>
    where TFault : IFault
{
    private static int _fired;

    /// <summary>How many times the fault replaced a snapshot.</summary>
    public static int Fired => Volatile.Read(ref _fired);

    internal static void Fire() => Interlocked.Increment(ref _fired);
}

/// <summary>The peering contract with <typeparamref name="TFault"/> in its steps; everything else is <see cref="PeeringMachine.Contract"/>.</summary>
public readonly struct FaultyContract<TFault> : IMachineContract<FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>
    where TFault : IFault
{
    /// <summary>The types, for <c>ToolHost.Create</c>.</summary>
    public static MachineTypes<FaultyContract<TFault>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks> Types => default;

    /// <inheritdoc/>
    public static MachineDefinition Definition => PeeringMachine.Contract.Definition;

    /// <inheritdoc/>
    public static PgSnapshot Initial => PeeringMachine.Contract.Initial;

    /// <inheritdoc/>
    public static int StateIndex(PgState state) => (int)state;

    /// <inheritdoc/>
    public static PgState StateAt(int index) => (PgState)index;

    /// <inheritdoc/>
    public static string StateName(PgState state) => PeeringMachine.StateName(state);

    /// <inheritdoc/>
    public static bool TryParseState(ReadOnlySpan<byte> utf8Name, out PgState state) => PeeringMachine.TryParseState(utf8Name, out state);

    /// <inheritdoc/>
    public static int EventIndex(PgEvent e) => PeeringMachine.EventIndex(e);

    /// <inheritdoc/>
    public static int EffectIndex(PgEffect effect) => PeeringMachine.EffectIndex(effect);

    /// <inheritdoc/>
    public static bool TryGetMove(PgEffect effect, out SingleMove move) => PeeringMachine.Contract.TryGetMove(effect, out move);

    /// <inheritdoc/>
    public static FaultySession Restore(PgSnapshot snapshot)
    {
        var machine = new PeeringMachine(snapshot);
        return new FaultySession { Machine = machine, Snapshot = machine.TakeSnapshot() };
    }

    /// <inheritdoc/>
    public static void Step(FaultySession session, PgEvent e)
    {
        var before = session.Snapshot;
        session.Machine.Step(e);
        session.Effects = session.Machine.Effects.ToArray();
        session.Moves = session.Machine.Moves.ToArray();
        session.Snapshot = session.Machine.TakeSnapshot();
        if (TFault.InFastPath && TFault.Corrupt(before, e, session.Snapshot) is { } corrupted)
        {
            FaultCounter<TFault>.Fire();
            session.Machine = new PeeringMachine(corrupted);
            session.Snapshot = session.Machine.TakeSnapshot();
        }
    }

    /// <inheritdoc/>
    public static PgState StateOf(FaultySession session) => session.Machine.State;

    /// <inheritdoc/>
    public static ReadOnlySpan<PgEffect> EffectsOf(FaultySession session) => session.Effects;

    /// <inheritdoc/>
    public static ReadOnlySpan<SingleMove> MovesOf(FaultySession session) => session.Moves;

    /// <inheritdoc/>
    public static PgSnapshot SnapshotOf(FaultySession session) => session.Snapshot;

    /// <inheritdoc/>
    public static StepResult<PgState, PgEffect, PgSnapshot> Step(PgSnapshot before, PgEvent e)
    {
        var result = PeeringMachine.Step(before, e);
        return Faulted(before, e, result.After) is { } after ? result with { After = after } : result;
    }

    /// <inheritdoc/>
    public static PgSnapshot Step(PgSnapshot before, PgEvent e, out PgState from, out PgState to, out ReadOnlySpan<SingleMove> moves)
    {
        var after = PeeringMachine.Step(before, e, out from, out to, out moves);
        return Faulted(before, e, after) ?? after;
    }

    // The pure step's fault, if it has one for this step: the corrupted after-snapshot, counted.
    private static PgSnapshot? Faulted(PgSnapshot before, PgEvent e, PgSnapshot after)
    {
        if (!TFault.InPureStep || TFault.Corrupt(before, e, after) is not { } corrupted)
        {
            return null;
        }

        FaultCounter<TFault>.Fire();
        return new PeeringMachine(corrupted).TakeSnapshot();
    }

    /// <inheritdoc/>
    public static PeeringMachineChecks EvaluateChecks(PgSnapshot snapshot) => PeeringMachine.EvaluateChecks(snapshot);

    /// <inheritdoc/>
    public static bool CheckValue(in PeeringMachineChecks checks, int index) => PeeringMachine.Contract.CheckValue(checks, index);

    /// <inheritdoc/>
    public static ulong InvariantViolations(PgSnapshot snapshot) => PeeringMachine.Contract.InvariantViolations(snapshot) | TFault.Violations(snapshot);

    /// <inheritdoc/>
    public static void WriteEvent(CompactJsonWriter writer, PgEvent value) => PeeringMachineJson.WriteEvent(writer, value);

    /// <inheritdoc/>
    public static void WriteEffect(CompactJsonWriter writer, PgEffect value) => PeeringMachineJson.WriteEffect(writer, value);

    /// <inheritdoc/>
    public static void WriteSnapshot(CompactJsonWriter writer, PgSnapshot value) => PeeringMachineJson.WriteSnapshot(writer, value);

    /// <inheritdoc/>
    public static void WriteChecks(CompactJsonWriter writer, PeeringMachineChecks value) => PeeringMachineJson.WriteChecks(writer, value);

    /// <inheritdoc/>
    public static PgEvent ReadEvent(ref Utf8JsonReader reader) => PeeringMachineJson.ReadEvent(ref reader);

    /// <inheritdoc/>
    public static PgEffect ReadEffect(ref Utf8JsonReader reader) => PeeringMachineJson.ReadEffect(ref reader);

    /// <inheritdoc/>
    public static PgSnapshot ReadSnapshot(ref Utf8JsonReader reader) => PeeringMachineJson.ReadSnapshot(ref reader);

    /// <inheritdoc/>
    public static PeeringMachineChecks ReadChecks(ref Utf8JsonReader reader) => PeeringMachineJson.ReadChecks(ref reader);

    /// <inheritdoc/>
    public static PgEvent ParseEvent(ReadOnlySpan<byte> json) => PeeringMachineJson.ParseEvent(json);

    /// <inheritdoc/>
    public static void WriteTraceStep(
        CompactJsonWriter writer, long step, PgState from, PgState to, PgEvent e,
        ReadOnlySpan<byte> beforeJson, ReadOnlySpan<byte> beforeChecksJson, ReadOnlySpan<byte> afterJson, ReadOnlySpan<byte> afterChecksJson, ReadOnlySpan<PgEffect> effects)
        => PeeringMachineJson.WriteTraceStep(writer, step, from, to, e, beforeJson, beforeChecksJson, afterJson, afterChecksJson, effects);

    /// <inheritdoc/>
    public static void WriteTraceSummary(CompactJsonWriter writer, ulong seed, long events) => PeeringMachineJson.WriteTraceSummary(writer, seed, events);

    /// <inheritdoc/>
    public static TraceLine ParseTraceLine(ReadOnlySpan<byte> line) => PeeringMachineJson.ParseTraceLine(line);

    /// <inheritdoc/>
    public static bool TryReadTraceHeader(ReadOnlySpan<byte> line, out TraceHeader<PgState, PgEvent> header) => PeeringMachineJson.TryReadTraceHeader(line, out header);

    /// <inheritdoc/>
    public static bool TryReadCompactStep(
        ReadOnlySpan<byte> line, ReadOnlySpan<byte> beforeJson, PgSnapshot before, out CompactStep<PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks> step, out string problem)
        => PeeringMachineJson.TryReadCompactStep(line, beforeJson, before, out step, out problem);

    /// <inheritdoc/>
    public static void WriteCanonical(CanonicalWriter writer, PgSnapshot value) => PeeringMachineJson.WriteCanonical(writer, value);

    /// <inheritdoc/>
    public static void WriteCanonical(CanonicalWriter writer, PgEvent value) => PeeringMachineJson.WriteCanonical(writer, value);
}

/// <summary>The trace tools over <see cref="FaultyContract{TFault}"/>: what a test drives to see a fault found.</summary>
public static class Faulty<TFault>
    where TFault : IFault
{
    /// <summary>A fuzz cycle runner over the peering event source.</summary>
    public static MachineTools<FaultyContract<TFault>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.CycleRunner Runner(FuzzSettings settings) =>
        new(settings, Peering.Generation.PeeringEvents.Instance);

    /// <summary>A campaign over the peering event source, as <c>peering fuzz</c> runs it.</summary>
    public static MachineTools<FaultyContract<TFault>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.Campaign Campaign(
        FuzzSettings settings, FailureStore? store = null, int jobs = 0) =>
        new(settings, Peering.Generation.PeeringEvents.Instance, "peering", store, jobs);

    /// <summary>A shrinker.</summary>
    public static MachineTools<FaultyContract<TFault>, FaultySession, PgState, PgEvent, PgEffect, PgSnapshot, PeeringMachineChecks>.Shrinker Shrinker(ShrinkOptions? options = null) =>
        new(options);
}

/// <summary>The in-place step as the tests drive it.</summary>
public static class MachineSteps
{
    /// <summary>One in-place step of <paramref name="machine"/>; its effects.</summary>
    public static PgEffect[] Apply(this PeeringMachine machine, PgEvent e)
    {
        machine.Step(e);
        return machine.Effects.ToArray();
    }
}
