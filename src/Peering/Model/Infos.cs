namespace Peering.Model;

/// <summary>
/// What a peer reports about itself (MODEL.md §2.6). Normalized on construction (MODEL.md §3.2):
/// the legacy scalar <c>committed_length</c> only stands in for an empty image, and afterwards
/// always equals the image's object-0 length. Every <c>Norm(...)</c> of the spec is therefore
/// already applied to every value of this type.
/// </summary>
public sealed record PeerInfo
{
    /// <summary>A normalized peer info.</summary>
    public PeerInfo(
        int osd,
        ulong committedSeq,
        ulong committedLength,
        ObjectImage image,
        BlobMetaImage blobMeta,
        uint lastEpochStarted,
        uint lastIntervalStarted)
    {
        Osd = osd;
        CommittedSeq = committedSeq;
        Image = Images.Effective(image, committedLength);
        CommittedLength = Image.L0();
        BlobMeta = blobMeta;
        LastEpochStarted = lastEpochStarted;
        LastIntervalStarted = lastIntervalStarted;
    }

    /// <summary>A peer with every field at its default: what an unknown acting replica looks like.</summary>
    public static PeerInfo Unknown(int osd) => new(osd, 0, 0, default, default, 0, 0);

    /// <summary>The reporting OSD (-1 by default).</summary>
    public int Osd { get; }

    /// <summary>Committed journal prefix.</summary>
    public ulong CommittedSeq { get; }

    /// <summary>Object-0 length of <see cref="Image"/> (the legacy scalar, normalized).</summary>
    public ulong CommittedLength { get; }

    /// <summary>The effective committed image.</summary>
    public ObjectImage Image { get; }

    /// <summary>Blob finalization metadata.</summary>
    public BlobMetaImage BlobMeta { get; }

    /// <summary>Last epoch started.</summary>
    public uint LastEpochStarted { get; }

    /// <summary>Last interval started.</summary>
    public uint LastIntervalStarted { get; }

    /// <summary>This info reported under another OSD id (the census and the peer map key by OSD).</summary>
    public PeerInfo WithOsd(int osd) =>
        osd == Osd ? this : new(osd, CommittedSeq, CommittedLength, Image, BlobMeta, LastEpochStarted, LastIntervalStarted);
}

/// <summary>
/// The local, durable PG metadata (MODEL.md §2.7), normalized on construction like <see cref="PeerInfo"/>.
/// The last five epochs and <see cref="Pgid"/> are carried verbatim; the reducer never reads them.
/// </summary>
public sealed record PgInfo
{
    /// <summary>A normalized PG info.</summary>
    public PgInfo(
        ulong pgid,
        ulong committedSeq,
        ulong committedLength,
        ObjectImage image,
        BlobMetaImage blobMeta,
        uint lastEpochStarted,
        uint lastIntervalStarted,
        uint lastEpochClean,
        uint epochCreated,
        uint sameIntervalSince,
        uint sameUpSince,
        uint samePrimarySince)
    {
        Pgid = pgid;
        CommittedSeq = committedSeq;
        Image = Images.Effective(image, committedLength);
        CommittedLength = Image.L0();
        BlobMeta = blobMeta;
        LastEpochStarted = lastEpochStarted;
        LastIntervalStarted = lastIntervalStarted;
        LastEpochClean = lastEpochClean;
        EpochCreated = epochCreated;
        SameIntervalSince = sameIntervalSince;
        SameUpSince = sameUpSince;
        SamePrimarySince = samePrimarySince;
    }

    /// <summary>All fields at their defaults.</summary>
    public static PgInfo Empty { get; } = new(0, 0, 0, default, default, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The PG id carried in the info (need not equal the machine's).</summary>
    public ulong Pgid { get; }

    /// <summary>Committed journal prefix.</summary>
    public ulong CommittedSeq { get; }

    /// <summary>Object-0 length of <see cref="Image"/>.</summary>
    public ulong CommittedLength { get; }

    /// <summary>The effective committed image.</summary>
    public ObjectImage Image { get; }

    /// <summary>Blob finalization metadata.</summary>
    public BlobMetaImage BlobMeta { get; }

    /// <summary>Last epoch started (LES).</summary>
    public uint LastEpochStarted { get; }

    /// <summary>Last interval started (LIS).</summary>
    public uint LastIntervalStarted { get; }

    /// <summary>Carried verbatim.</summary>
    public uint LastEpochClean { get; }

    /// <summary>Carried verbatim.</summary>
    public uint EpochCreated { get; }

    /// <summary>Carried verbatim.</summary>
    public uint SameIntervalSince { get; }

    /// <summary>Carried verbatim.</summary>
    public uint SameUpSince { get; }

    /// <summary>Carried verbatim.</summary>
    public uint SamePrimarySince { get; }

    /// <summary>This info with a new committed image and sequence (the length follows the image).</summary>
    public PgInfo WithProgress(ObjectImage image, ulong committedSeq) =>
        new(Pgid, committedSeq, 0, image, BlobMeta, LastEpochStarted, LastIntervalStarted, LastEpochClean, EpochCreated, SameIntervalSince, SameUpSince, SamePrimarySince);

    /// <summary>This info with new blob metadata.</summary>
    public PgInfo WithBlobMeta(BlobMetaImage blobMeta) =>
        new(Pgid, CommittedSeq, CommittedLength, Image, blobMeta, LastEpochStarted, LastIntervalStarted, LastEpochClean, EpochCreated, SameIntervalSince, SameUpSince, SamePrimarySince);

    /// <summary>This info with new last-epoch-started and last-interval-started.</summary>
    public PgInfo WithStarted(uint lastEpochStarted, uint lastIntervalStarted) =>
        new(Pgid, CommittedSeq, CommittedLength, Image, BlobMeta, lastEpochStarted, lastIntervalStarted, LastEpochClean, EpochCreated, SameIntervalSince, SameUpSince, SamePrimarySince);
}

/// <summary>An acting or up set (MODEL.md §2.8): an ordered OSD list, possibly with repeats or negative ids.</summary>
public sealed record ActingSet(ValueList<int> Osds, uint Epoch)
{
    /// <summary>The empty set at epoch 0.</summary>
    public static ActingSet Empty { get; } = new(default, 0);

    /// <summary>The first OSD, or -1 for an empty list.</summary>
    public int Primary => Osds.IsEmpty ? -1 : Osds[0];

    /// <summary>Number of entries, repeats counted.</summary>
    public int Size => Osds.Count;

    /// <summary>Whether <paramref name="osd"/> occurs anywhere in the list.</summary>
    public bool Contains(int osd) => Osds.Contains(osd);

    /// <summary>Same interval: the OSD lists are equal element by element (the epoch is not compared).</summary>
    public bool SameOsds(ActingSet other) => Osds == other.Osds;
}

/// <summary>One byte range <c>[FromLength, ToLength)</c> of object <see cref="Obj"/> to copy from <see cref="Source"/> (MODEL.md §2.4).</summary>
public readonly record struct ObjRecovery(ulong Obj, int Source, ulong FromLength, ulong ToLength);

/// <summary>The recovery work for one short acting replica (MODEL.md §2.5).</summary>
public readonly record struct PeerRecoveryPlan(int Target, ulong PeerCommittedSeq, ulong AuthoritativeSeq, ValueList<ObjRecovery> Recoveries);

/// <summary>An element of the <c>ScheduleRecovery</c> effect (MODEL.md §2.9).</summary>
public readonly record struct RecoveryTarget(
    int Osd,
    ulong PeerLength,
    ulong AuthoritativeLength,
    ulong PeerCommittedSeq,
    ulong AuthoritativeSeq,
    ValueList<ObjRecovery> Recoveries);
