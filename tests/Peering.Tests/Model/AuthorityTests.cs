using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Model;

/// <summary>MODEL.md §4: the census, tie-breaking, recovery plans and targets.</summary>
public class AuthorityTests
{
    [Fact]
    public void Census_skips_the_self_entry_of_the_peer_map_and_puts_the_local_entry_last()
    {
        var peers = Peers(Peer(0, 3, Img((0, 3))), Peer(1, 99, Img((0, 99))), Peer(4, 7, Img((0, 7))));
        var census = new Census(1, Local(10, Img((0, 10)), les: 5, lis: 6), peers).ToList();
        Assert.Equal([0, 4, 1], census.Select(p => p.Osd));
        Assert.Equal(new Holder(1, 10, Img((0, 10)), default), census[^1]);
    }

    [Fact]
    public void Ties_go_to_the_earliest_holder_so_the_local_entry_wins_only_when_strictly_longer()
    {
        // Remote 2 and 3 and the local OSD 0 hold object 0 at 50: OSD 2 (first in census order) wins.
        var census = new Census(0, Local(1, Img((0, 50))), Peers(Peer(2, 1, Img((0, 50))), Peer(3, 1, Img((0, 50)))));
        Assert.Equal(Src((0, 2, 50)), Authority.Sources(census));

        var longer = new Census(0, Local(1, Img((0, 51))), Peers(Peer(2, 1, Img((0, 50)))));
        Assert.Equal(Src((0, 0, 51)), Authority.Sources(longer));
    }

    [Fact]
    public void A_zero_entry_creates_a_zero_source_that_a_later_positive_length_replaces_but_a_later_zero_does_not()
    {
        // The local OSD 9 holds nothing, so only the two peers matter.
        var census = new Census(9, Local(0, Img()), Peers(Peer(1, 0, Img((5, 0), (6, 0))), Peer(2, 0, Img((5, 0), (6, 4)))));
        Assert.Equal(Src((5, 1, 0), (6, 2, 4)), Authority.Sources(census));
        Assert.Equal(Img((6, 4)), Authority.Values(Authority.Sources(census)));
    }

    [Fact]
    public void MaxSeq_is_the_largest_sequence_of_peers_and_local()
    {
        Assert.Equal(9ul, Authority.MaxSeq(new Census(0, Local(3, Img()), Peers(Peer(1, 4, Img()), Peer(2, 9, Img())))));
        Assert.Equal(12ul, Authority.MaxSeq(new Census(0, Local(12, Img()), Peers(Peer(1, 4, Img())))));
    }

    [Fact]
    public void Acting_replicas_keep_list_order_and_repeats_and_skip_negative_ids_and_whoami()
    {
        var acting = new ActingSet(Osds(2, -1, 0, 3, 2), 1);
        var replicas = new ActingReplicas(acting, 0, Peers(Peer(2, 5, Img((0, 5))))).ToList();
        Assert.Equal([2, 3, 2], replicas.Select(r => r.Osd));
        Assert.Equal(new Holder(3, 0, default, default), replicas[1]);
    }

    [Fact]
    public void A_replica_listed_twice_gets_two_identical_plans_and_a_caught_up_one_none()
    {
        var sources = Src((0, 1, 120));
        var replicas = new ActingReplicas(new ActingSet(Osds(1, 2, 3, 2), 1), 1, Peers(Peer(2, 57, Img((0, 57))), Peer(3, 120, Img((0, 120)))));
        var plan = new PeerRecoveryPlan(2, 57, 120, ValueList.Create<ObjRecovery>([new ObjRecovery(0, 1, 57, 120)]));
        Assert.Equal([plan, plan], Authority.PeerPlans(sources, 120, replicas).AsSpan().ToArray());
    }

    [Fact]
    public void A_replica_behind_only_in_sequence_gets_a_plan_without_recoveries()
    {
        var plans = Authority.PeerPlans(Src((0, 1, 10)), 12, new ActingReplicas(new ActingSet(Osds(1, 2), 1), 1, Peers(Peer(2, 11, Img((0, 10))))));
        Assert.Equal([new PeerRecoveryPlan(2, 11, 12, default)], plans.AsSpan().ToArray());
    }

    [Fact]
    public void Targets_are_the_plan_targets_plus_whoami_when_the_local_pg_is_behind()
    {
        var plans = ValueList.Create<PeerRecoveryPlan>([new PeerRecoveryPlan(4, 0, 9, default), new PeerRecoveryPlan(2, 0, 9, default)]);
        Assert.Equal(OsdSet.Of([2, 4]), Authority.Targets(plans, default, 9, 9, 0));
        Assert.Equal(OsdSet.Of([0, 2, 4]), Authority.Targets(plans, default, 8, 9, 0));
        var localGap = ValueList.Create<ObjRecovery>([new ObjRecovery(0, 4, 1, 9)]);
        Assert.Equal(OsdSet.Of([0]), Authority.Targets(default, localGap, 9, 9, 0));
    }

    [Fact]
    public void Sealed_meta_keeps_only_the_source_holders_sealed_entries_whose_final_length_is_the_authority()
    {
        var meta = ObjectMap.Create<BlobMetaEntry>([new BlobMetaEntry(0, true, 50), new BlobMetaEntry(1, true, 7), new BlobMetaEntry(2, false, 3)]);
        var holder = new PeerInfo(1, 0, 0, Img((0, 50), (1, 8), (2, 3)), meta, 0, 0);
        var sources = Src((0, 1, 50), (1, 1, 8), (2, 1, 3));
        var census = new Census(0, Local(0, Img()), Peers(holder));
        Assert.Equal(ObjectMap.Create<BlobMetaEntry>([new BlobMetaEntry(0, true, 50)]), Authority.SealedMeta(census, sources));
    }
}
