using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>An output of the reducer (REDUCER.md §3), in emission order within a step.</summary>
public abstract record PgEffect;

/// <summary>Query a probe target.</summary>
[Effect]
public sealed record SendQuery(int Target, ulong Pgid, uint Epoch) : PgEffect;

/// <summary>Declared by the model; the reducer never emits it.</summary>
[Effect]
public sealed record SendNotify(int Target, ulong Pgid, PeerInfo Info, uint Epoch) : PgEffect;

/// <summary>Send the primary's authority to an acting replica.</summary>
[Effect]
public sealed record SendActivate(
    int Target,
    ulong Pgid,
    PeerInfo AuthInfo,
    AuthorityImage AuthSources,
    BlobMetaImage AuthBlobMeta,
    ulong AuthoritativeSeq,
    uint ActivationEpoch) : PgEffect;

/// <summary>Activate the PG locally with this authority.</summary>
[Effect("ActivatePG")]
public sealed record ActivatePg(
    ulong Pgid,
    ulong AuthoritativeSeq,
    ulong AuthoritativeLength,
    ObjectImage AuthoritativeImage,
    BlobMetaImage AuthoritativeBlobMeta,
    uint ActivationEpoch) : PgEffect;

/// <summary>Deactivate the PG.</summary>
[Effect("DeactivatePG")]
public sealed record DeactivatePg(ulong Pgid) : PgEffect;

/// <summary>Start recovery of these targets.</summary>
[Effect]
public sealed record ScheduleRecovery(ulong Pgid, ValueList<RecoveryTarget> Targets) : PgEffect;

/// <summary>Cancel outstanding recovery.</summary>
[Effect]
public sealed record CancelRecovery(ulong Pgid) : PgEffect;

/// <summary>The PG is clean.</summary>
[Effect]
public sealed record MarkClean(ulong Pgid) : PgEffect;

/// <summary>Persist the local PG info.</summary>
[Effect]
public sealed record PersistState(ulong Pgid, PgInfo Info) : PgEffect;

/// <summary>Ask the monitor for up_thru at this epoch.</summary>
[Effect]
public sealed record RequestUpThru(uint Epoch) : PgEffect;

/// <summary>Ask for a different acting set.</summary>
[Effect]
public sealed record RequestActingChange(ulong Pgid, ValueList<int> WantActing) : PgEffect;

/// <summary>Heartbeat these OSDs (the acting list verbatim).</summary>
[Effect]
public sealed record UpdateHeartbeats(ValueList<int> Peers) : PgEffect;

/// <summary>Publish the PG's statistics as they are at emission.</summary>
[Effect]
public sealed record PublishStats(
    ulong Pgid,
    PgState State,
    ulong CommittedSeq,
    ulong AuthoritativeSeq,
    ulong CommittedLength,
    ObjectImage Image,
    ObjectImage AuthoritativeImage,
    BlobMetaImage AuthoritativeBlobMeta,
    int ActingSize,
    int UpSize) : PgEffect;

/// <summary>Delete the PG.</summary>
[Effect("DeletePG")]
public sealed record DeletePg(ulong Pgid) : PgEffect;

/// <summary>A state change and why (REDUCER.md §8).</summary>
[Effect, TransitionLog]
public sealed record LogTransition(ulong Pgid, PgState From, PgState To, string Reason) : PgEffect;
