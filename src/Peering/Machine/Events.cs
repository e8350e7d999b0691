using Peering.Model;
using Peering.StateMachines;

namespace Peering.Machine;

/// <summary>An input of the reducer (REDUCER.md §2). Wire tag: the type name.</summary>
public abstract record PgEvent;

/// <summary>(Re)starts the machine in a new configuration; accepted in every state.</summary>
[Event]
public sealed record Initialize(
    ulong Pgid,
    int Whoami,
    uint Epoch,
    ActingSet Acting,
    ActingSet Up,
    int PoolSize,
    int PoolMinSize,
    PgInfo LocalInfo,
    ValueList<int> PriorOsds) : PgEvent;

/// <summary>A new OSD map: same interval, pool change or new interval.</summary>
[Event]
public sealed record AdvanceMap(
    uint NewEpoch,
    ActingSet NewActing,
    ActingSet NewUp,
    int NewPoolSize,
    int NewPoolMinSize,
    ValueList<int> PriorOsds) : PgEvent;

/// <summary>A peer's report; <see cref="Info"/>'s own osd may differ from the transport sender <see cref="From"/>.</summary>
[Event]
public sealed record PeerInfoReceived(int From, PeerInfo Info, uint QueryEpoch) : PgEvent;

/// <summary>A probe that did not answer.</summary>
[Event]
public sealed record PeerQueryTimeout(int Peer) : PgEvent;

/// <summary>The monitor confirmed up_thru at <see cref="Epoch"/>.</summary>
[Event]
public sealed record UpThruUpdated(uint Epoch) : PgEvent;

/// <summary>The activation was committed.</summary>
[Event]
public sealed record ActivateCommitted() : PgEvent;

/// <summary>One recovery target finished.</summary>
[Event]
public sealed record RecoveryComplete(int Peer, uint Epoch) : PgEvent;

/// <summary>A batch of recovery targets finished.</summary>
[Event]
public sealed record AllReplicasRecovered(uint Epoch, ValueList<int> Peers) : PgEvent;

/// <summary>The primary's authority, installed by a replica.</summary>
[Event]
public sealed record ReplicaActivate(
    int From,
    PeerInfo AuthInfo,
    AuthorityImage AuthSources,
    BlobMetaImage AuthBlobMeta,
    ulong AuthoritativeSeq,
    uint ActivationEpoch) : PgEvent;

/// <summary>A replica's local recovery finished; <see cref="RecoveredImage"/> is raw (not normalized).</summary>
[Event]
public sealed record ReplicaRecoveryComplete(
    ulong NewCommittedSeq,
    ulong NewCommittedLength,
    ObjectImage RecoveredImage,
    uint ActivationEpoch) : PgEvent;

/// <summary>Deletion requested; accepted in every state.</summary>
[Event]
public sealed record DeleteStart() : PgEvent;

/// <summary>Deletion finished; always a no-op.</summary>
[Event]
public sealed record DeleteComplete() : PgEvent;
