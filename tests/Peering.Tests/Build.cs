using Peering.Model;

namespace Peering.Tests;

/// <summary>Short builders for hand-made values in tests.</summary>
internal static class Build
{
    /// <summary>An image from (obj, len) pairs given in ascending object order.</summary>
    public static ObjectImage Img(params (ulong Obj, ulong Len)[] entries) =>
        ObjectMap.Create<ImageEntry>(entries.Select(e => new ImageEntry(e.Obj, e.Len)).ToArray());

    /// <summary>An authority image from (obj, osd, len) triples in ascending object order.</summary>
    public static AuthorityImage Src(params (ulong Obj, int Osd, ulong Len)[] entries) =>
        ObjectMap.Create<AuthorityEntry>(entries.Select(e => new AuthorityEntry(e.Obj, e.Osd, e.Len)).ToArray());

    /// <summary>A peer report.</summary>
    public static PeerInfo Peer(int osd, ulong seq, ObjectImage image, uint les = 0, uint lis = 0) =>
        new(osd, seq, 0, image, default, les, lis);

    /// <summary>A local PG info with a sequence, an image and LES/LIS.</summary>
    public static PgInfo Local(ulong seq, ObjectImage image, uint les = 0, uint lis = 0, ulong pgid = 1) =>
        new(pgid, seq, 0, image, default, les, lis, 0, 0, 0, 0, 0);

    /// <summary>An OSD list.</summary>
    public static ValueList<int> Osds(params int[] ids) => ValueList.Create<int>(ids);

    /// <summary>A peer map from infos in ascending OSD order.</summary>
    public static PeerMap Peers(params PeerInfo[] peers) => PeerMap.Create(peers);
}
