namespace Peering.Model;

// The model's sets and maps are SortedArray under the spec's names (build/Peering.Reducer.props):
// OsdSet, PeerMap, ObjectImage, AuthorityImage, BlobMetaImage. What sets each apart is its key.

/// <summary>The key of an <c>OsdSet</c> element: the OSD id itself, in ascending signed order (negative ids first), as the reference iterates and writes sets.</summary>
public readonly struct OsdKey : ISortKey<int, int>
{
    /// <inheritdoc/>
    public static int KeyOf(int id) => id;

    /// <inheritdoc/>
    public static string KeyName => "OSD id";
}

/// <summary>The key of a <c>PeerMap</c> element (<c>peer_info</c>, TRACE-SCHEMA.md §5.1 key 14): each info's own <see cref="PeerInfo.Osd"/>.</summary>
public readonly struct PeerKey : ISortKey<PeerInfo, int>
{
    /// <inheritdoc/>
    public static int KeyOf(PeerInfo peer) => peer.Osd;

    /// <inheritdoc/>
    public static string KeyName => "peer";
}

/// <summary>An entry of a map keyed by object id.</summary>
public interface IObjectEntry
{
    /// <summary>The object id.</summary>
    ulong Obj { get; }
}

/// <summary>
/// The key of an object-keyed map (an image, an authority image, blob metadata: MODEL.md §2.1-2.3):
/// the entry's object id, in ascending unsigned order. "Empty" means no entries at all: an explicit
/// zero-length entry makes an image non-empty (MODEL.md §5).
/// </summary>
public readonly struct ObjectKey<T> : ISortKey<T, ulong>
    where T : IObjectEntry
{
    /// <inheritdoc/>
    public static ulong KeyOf(T entry) => entry.Obj;

    /// <inheritdoc/>
    public static string KeyName => "object";
}

/// <summary>Builds object-keyed maps in code that is generic over the entry (elsewhere, <c>ObjectImage.Create</c> and the like read better).</summary>
public static class ObjectMap
{
    /// <inheritdoc cref="SortedArray{T, TKey, TSortKey}.Create(ReadOnlySpan{T})"/>
    public static SortedArray<T, ulong, ObjectKey<T>> Create<T>(ReadOnlySpan<T> entries)
        where T : IObjectEntry =>
        SortedArray<T, ulong, ObjectKey<T>>.Create(entries);
}

/// <summary>One object of an image: its readable prefix length.</summary>
public readonly record struct ImageEntry(ulong Obj, ulong Len) : IObjectEntry;

/// <summary>One object of an authority image: the OSD backing it and the authoritative length (MODEL.md §2.2).</summary>
public readonly record struct AuthorityEntry(ulong Obj, int Osd, ulong Len) : IObjectEntry;

/// <summary>Blob-level finalization metadata of one object (MODEL.md §2.3); absent <see cref="FinalLen"/> is not written.</summary>
public readonly record struct BlobMetaEntry(ulong Obj, bool Sealed, ulong? FinalLen) : IObjectEntry;
