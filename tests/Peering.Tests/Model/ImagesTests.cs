using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Model;

/// <summary>MODEL.md §3: image helpers and their zero/empty edges (§5).</summary>
public class ImagesTests
{
    [Fact]
    public void Len_reads_absent_and_zero_entries_as_zero()
    {
        var img = Img((0, 0), (4, 12));
        Assert.Equal(0ul, img.Len(0));
        Assert.Equal(0ul, img.Len(1));
        Assert.Equal(12ul, img.Len(4));
        Assert.False(img.IsEmpty);
    }

    [Fact]
    public void Single_is_empty_for_zero_length()
    {
        Assert.True(Images.Single(5, 0).IsEmpty);
        Assert.Equal(Img((5, 3)), Images.Single(5, 3));
        Assert.Equal(Img((0, 9)), Images.Img0(9));
    }

    [Fact]
    public void Join_takes_the_pointwise_maximum_and_inserts_zero_entries_the_left_lacks()
    {
        var a = Img((0, 10), (2, 5));
        var b = Img((0, 4), (1, 0), (2, 7), (3, 1));
        Assert.Equal(Img((0, 10), (1, 0), (2, 7), (3, 1)), Images.Join(a, b));
        Assert.Equal(a, Images.Join(a, Img()));
    }

    [Fact]
    public void Clamp_cuts_to_the_bound_and_drops_objects_the_bound_lacks_and_zero_results()
    {
        var bound = Img((0, 5), (1, 0), (2, 100));
        var img = Img((0, 9), (1, 7), (2, 3), (3, 4), (4, 0));
        Assert.Equal(Img((0, 5), (2, 3)), Images.Clamp(bound, img));
    }

    [Fact]
    public void Prefix_ignores_zero_entries_on_the_left_and_extra_entries_on_the_right()
    {
        Assert.True(Images.IsPrefix(Img((0, 5), (7, 0)), Img((0, 5), (1, 3))));
        Assert.False(Images.IsPrefix(Img((0, 6)), Img((0, 5))));
        Assert.False(Images.IsPrefix(Img((1, 1)), Img((0, 5))));
        Assert.True(Images.Same(Img((0, 5), (3, 0)), Img((0, 5))));
        Assert.False(Images.Same(Img((0, 5)), Img((0, 5), (1, 1))));
    }

    [Fact]
    public void Gaps_list_each_short_object_with_its_source_and_never_a_zero_length_authority()
    {
        var sources = Src((0, 2, 120), (1, 4, 0), (3, 1, 8));
        var gaps = Images.Gaps(Img((0, 57), (3, 8)), sources);
        Assert.Equal([new ObjRecovery(0, 2, 57, 120)], gaps.AsSpan().ToArray());
        Assert.True(Images.Gaps(Img((0, 200)), Src((0, 1, 120))).IsEmpty);
    }

    [Fact]
    public void Values_and_SourcesOf_drop_zero_lengths()
    {
        Assert.Equal(Img((0, 3)), Authority.Values(Src((0, 1, 3), (1, 2, 0))));
        Assert.Equal(Src((0, 7, 3)), Images.SourcesOf(7, Img((0, 3), (1, 0))));
    }

    [Fact]
    public void Wire_builder_rejects_repeated_or_unordered_objects()
    {
        Assert.Throws<ArgumentException>(() => Img((1, 1), (1, 2)));
        Assert.Throws<ArgumentException>(() => Img((2, 1), (1, 2)));
    }
}
