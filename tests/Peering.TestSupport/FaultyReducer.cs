using Peering.Machine;

namespace Peering.TestSupport;

/// <summary>
/// The real reducer with a deliberate fault, injected through the tools' <see cref="IReducer"/>
/// seam (no source edit): after every step, a corruption function may replace the snapshot the
/// real reducer produced; the machine then continues from the corrupted snapshot (restored with
/// <see cref="PeeringMachine(PgSnapshot)"/>). The fault is in the fast path, the pure step, or both:
/// in both it is a reducer bug the invariants must catch; in one, a determinism bug the round trip
/// must catch.
/// </summary>
public sealed class FaultyReducer : IReducer
{
    private readonly Func<PgSnapshot, PgEvent, PgSnapshot, PgSnapshot?> _corrupt;
    private readonly bool _inFastPath;
    private readonly bool _inPureStep;
    private int _fired;

    /// <summary>A reducer whose steps go through <paramref name="corrupt"/>(before, event, after): a replacement after, or null.</summary>
    public FaultyReducer(Func<PgSnapshot, PgEvent, PgSnapshot, PgSnapshot?> corrupt, bool inFastPath = true, bool inPureStep = true)
    {
        _corrupt = corrupt;
        _inFastPath = inFastPath;
        _inPureStep = inPureStep;
    }

    /// <summary>How many times the fault fired.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>
    /// "Replica recovery overshoots": a ReplicaRecoveryComplete in ReplicaActive whose sequence is
    /// above the authority is accepted anyway (the real reducer ignores it, REDUCER.md §7.10), so the
    /// local PG claims more journal than the authority (INVARIANTS.md §2: I3 seq_matches_census and
    /// I5 local_within_authority break). The shortest way there is three events: an Initialize as a
    /// replica, a ReplicaActivate, and that ReplicaRecoveryComplete.
    /// </summary>
    public static FaultyReducer OvershootingReplicaRecovery(bool inFastPath = true, bool inPureStep = true) => new(
        (before, e, after) => e is ReplicaRecoveryComplete r && before.State == PgState.ReplicaActive && r.NewCommittedSeq > after.AuthSeq
            ? after with { LocalInfo = after.LocalInfo.WithProgress(after.LocalInfo.Image, r.NewCommittedSeq) }
            : null,
        inFastPath,
        inPureStep);

    /// <summary>
    /// "Sealed metadata from nowhere": every ActivateCommitted in Clean leaves a sealed blob entry
    /// for object 9 in the authority that no holder backs. The declared invariants I1-I8 do not look
    /// at blob metadata, so only the traced image_invariant check (item 5) sees it.
    /// </summary>
    public static FaultyReducer PhantomBlobMeta() => new(
        (before, e, after) => e is ActivateCommitted && after.State == PgState.Clean
            ? after with { AuthBlobMeta = ObjectMapOf(new Peering.Model.BlobMetaEntry(9, true, 1)) }
            : null);

    /// <inheritdoc/>
    public IReducerSession Start() => new Session(this);

    /// <inheritdoc/>
    public StepResult Step(PgSnapshot before, PgEvent e)
    {
        var result = PeeringMachine.Step(before, e);
        if (!_inPureStep || _corrupt(before, e, result.After) is not { } corrupted)
        {
            return result;
        }

        Interlocked.Increment(ref _fired);
        return result with { After = new PeeringMachine(corrupted).TakeSnapshot() };
    }

    private static BlobMetaImage ObjectMapOf(Peering.Model.BlobMetaEntry entry) => Peering.Model.ObjectMap.Create<Peering.Model.BlobMetaEntry>([entry]);

    private sealed class Session(FaultyReducer owner) : IReducerSession
    {
        private PeeringMachine _machine = new();
        private PgSnapshot _snapshot = PgSnapshot.Fresh;
        private PgEffect[] _effects = [];

        public PgState State => _machine.State;

        public ReadOnlySpan<PgEffect> LastEffects => _effects;

        public void Apply(PgEvent e)
        {
            var before = _snapshot;
            _machine.Apply(e);
            _effects = _machine.LastEffects.ToArray();
            _snapshot = _machine.TakeSnapshot();
            if (owner._inFastPath && owner._corrupt(before, e, _snapshot) is { } corrupted)
            {
                Interlocked.Increment(ref owner._fired);
                _machine = new PeeringMachine(corrupted);
                _snapshot = _machine.TakeSnapshot();
            }
        }

        public PgSnapshot TakeSnapshot() => _snapshot;
    }
}
