using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Model;

/// <summary>MODEL.md §3.2: the legacy committed_length normalization table, row by row.</summary>
public class NormalizationTests
{
    public static TheoryData<string, ObjectImage, ulong, ObjectImage, ulong> Table => new()
    {
        { "empty, 0", Img(), 0, Img(), 0 },
        { "empty, 57", Img(), 57, Img((0, 57)), 57 },
        { "{0:40}, 57: scalar overwritten", Img((0, 40)), 57, Img((0, 40)), 40 },
        { "{3:9}, 57: no object 0", Img((3, 9)), 57, Img((3, 9)), 0 },
        { "{0:0}, 57: zero entry makes the image non-empty", Img((0, 0)), 57, Img((0, 0)), 0 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Peer_info_is_normalized_on_construction(string row, ObjectImage image, ulong length, ObjectImage normImage, ulong normLength)
    {
        var info = new PeerInfo(3, 5, length, image, default, 1, 2);
        Assert.True(info.Image == normImage, row);
        Assert.Equal(normLength, info.CommittedLength);
        Assert.Equal(5ul, info.CommittedSeq);
        Assert.Equal((3, 1u, 2u), (info.Osd, info.LastEpochStarted, info.LastIntervalStarted));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Pg_info_is_normalized_on_construction(string row, ObjectImage image, ulong length, ObjectImage normImage, ulong normLength)
    {
        var info = new PgInfo(7, 5, length, image, default, 1, 2, 3, 4, 5, 6, 8);
        Assert.True(info.Image == normImage, row);
        Assert.Equal(normLength, info.CommittedLength);
        Assert.Equal((7ul, 3u, 4u, 5u, 6u, 8u), (info.Pgid, info.LastEpochClean, info.EpochCreated, info.SameIntervalSince, info.SameUpSince, info.SamePrimarySince));
    }

    [Fact]
    public void Normalization_is_idempotent()
    {
        var once = new PeerInfo(1, 9, 57, Img(), default, 0, 0);
        var twice = new PeerInfo(once.Osd, once.CommittedSeq, once.CommittedLength, once.Image, once.BlobMeta, 0, 0);
        Assert.Equal(once, twice);
    }
}
