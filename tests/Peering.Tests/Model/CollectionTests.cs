using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Model;

/// <summary>
/// The model's list, sets and maps: one implementation under the spec's names. Orders come from
/// REDUCER.md ("sets and maps iterate in ascending key order; lists iterate in list order") and
/// MODEL.md §2 (object ids are unsigned, OSD ids signed).
/// </summary>
public class CollectionTests
{
    [Fact]
    public void Indexing_an_empty_or_default_value_is_an_index_error_not_a_null_reference()
    {
        Assert.Throws<IndexOutOfRangeException>(() => default(ValueList<int>)[0]);
        Assert.Throws<IndexOutOfRangeException>(() => default(OsdSet)[0]);
        Assert.Throws<IndexOutOfRangeException>(() => default(PeerMap)[0]);
        Assert.Throws<IndexOutOfRangeException>(() => default(ObjectImage)[0]);
        Assert.Throws<IndexOutOfRangeException>(() => AuthorityImage.Empty[0]);
    }

    [Fact]
    public void Indexing_past_either_end_is_an_index_error()
    {
        Assert.Throws<IndexOutOfRangeException>(() => Osds(4, 5)[2]);
        Assert.Throws<IndexOutOfRangeException>(() => Osds(4, 5)[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => OsdSet.Of([4, 5])[2]);
        Assert.Throws<IndexOutOfRangeException>(() => Img((0, 3))[1]);
        Assert.Throws<IndexOutOfRangeException>(() => Peers(Peer(1, 0, default))[-1]);
    }

    [Fact]
    public void An_osd_set_is_ascending_in_signed_order_without_repeats()
    {
        var set = OsdSet.Of([3, -1, 0, 3, int.MinValue]);
        Assert.Equal([int.MinValue, -1, 0, 3], set.AsSpan().ToArray());
        Assert.Equal([int.MinValue, -1, 0, 2, 3], set.Add(2).AsSpan().ToArray());
    }

    [Fact]
    public void Object_maps_are_ascending_in_unsigned_object_order()
    {
        var image = Img((0, 1)).Set(new ImageEntry(ulong.MaxValue, 2)).Set(new ImageEntry(1UL << 63, 3));
        Assert.Equal([0, 1UL << 63, ulong.MaxValue], image.AsSpan().ToArray().Select(e => e.Obj));
        Assert.Throws<ArgumentException>(() => Img((ulong.MaxValue, 1), (1, 1)));
    }

    [Fact]
    public void Changing_a_value_leaves_the_original_as_it_was()
    {
        var set = OsdSet.Of([1]);
        var list = Osds(1);
        var image = Img((0, 5));
        _ = (set.Add(2), list.Add(2), image.Set(new ImageEntry(0, 9)));
        Assert.Equal([1], set.AsSpan().ToArray());
        Assert.Equal([1], list.AsSpan().ToArray());
        Assert.Equal(5UL, image.Len(0));
    }

    [Fact]
    public void Set_replaces_the_entry_of_the_same_key_and_add_keeps_it()
    {
        // REDUCER.md §7.3 Store: an existing peer_info entry is replaced, even the self entry.
        var peers = Peers(Peer(0, 5, Img((0, 5))), Peer(2, 5, Img((0, 5))));
        var stored = peers.Set(Peer(2, 9, Img((0, 9))));
        Assert.Equal(2, stored.Count);
        Assert.True(stored.TryGet(2, out var p));
        Assert.Equal(9UL, p.CommittedSeq);
        Assert.False(stored.TryGet(1, out _));

        var kept = peers.Add(Peer(2, 9, Img((0, 9))));
        Assert.True(kept.TryGet(2, out var q));
        Assert.Equal(5UL, q.CommittedSeq);
    }

    [Fact]
    public void Lookups_find_every_key_of_a_long_map_and_no_other()
    {
        var image = ObjectImage.Create([.. Enumerable.Range(0, 1000).Select(i => new ImageEntry((ulong)i * 2, (ulong)i + 1))]);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal((ulong)i + 1, image.Len((ulong)i * 2));
            Assert.False(image.Contains((ulong)i * 2 + 1));
        }
    }

    [Fact]
    public void Of_sorts_and_collapses_a_long_input()
    {
        var random = new Random(15);
        var ids = Enumerable.Range(0, 100_000).Select(_ => random.Next(-50_000, 50_000)).ToArray();
        Assert.Equal(ids.Distinct().Order(), OsdSet.Of(ids).AsSpan().ToArray());
    }

    [Fact]
    public void Union_and_subset_are_set_algebra_on_keys()
    {
        // REDUCER.md §7.8: a batch is accepted when recovered ∪ set(peers) is the target set.
        OsdSet recovered = [1], listed = [1, 2], targets = [1, 2, 4];
        Assert.Equal(OsdSet.Of([1, 2]), recovered.Union(listed));
        Assert.Equal(targets, listed.Union(OsdSet.Of([4])));
        Assert.Equal(targets, targets.Union(default));
        Assert.True(listed.IsSubsetOf(targets));
        Assert.False(targets.IsSubsetOf(listed));
        Assert.True(OsdSet.Empty.IsSubsetOf(default));
    }

    [Fact]
    public void Values_are_equal_by_contents_and_lists_by_order()
    {
        Assert.Equal(OsdSet.Of([2, 1]), OsdSet.Empty.Add(1).Add(2));
        Assert.Equal(OsdSet.Of([2, 1]).GetHashCode(), OsdSet.Empty.Add(1).Add(2).GetHashCode());
        Assert.True(Img((0, 3)) == Img((0, 3)));
        Assert.True(Img((0, 3)) != Img((0, 4)));
        Assert.True(Osds(1, 2) != Osds(2, 1));
        Assert.True(Peers(Peer(1, 7, Img((0, 7)))) == Peers(Peer(1, 7, Img((0, 7)))));
    }

    [Fact]
    public void An_explicit_zero_length_entry_makes_an_image_non_empty()
    {
        // MODEL.md §5: "empty" means no entries at all.
        Assert.False(Img((0, 0)).IsEmpty);
        Assert.True(ObjectImage.Empty.IsEmpty);
    }

    [Fact]
    public void The_wire_builder_rejects_repeats_and_disorder_and_names_the_key()
    {
        Assert.Equal("OSD id 0 repeated", Assert.Throws<ArgumentException>(() => OsdSet.Create([0, 0, 2])).Message);
        Assert.Equal("OSD ids not in ascending order", Assert.Throws<ArgumentException>(() => OsdSet.Create([2, 0])).Message);
        Assert.Equal("peer 1 repeated", Assert.Throws<ArgumentException>(() => Peers(Peer(1, 0, default), Peer(1, 2, default))).Message);
        Assert.Equal("objects not in ascending order", Assert.Throws<ArgumentException>(() => Img((2, 1), (1, 1))).Message);
    }
}
