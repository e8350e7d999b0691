using Peering.Checks;
using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;
using static Peering.Tests.Machine.Snapshots;

namespace Peering.Tests.Machine;

/// <summary>
/// The image-safety components never fail on produced snapshots, so each is shown failing on a
/// hand-made one. The expected violation sets are worked from INVARIANTS.md §2 for each tampering
/// of <see cref="Snapshots.Settled"/> (census: OSD 0 and local both at 120, sources {0:(0,120)}).
/// </summary>
public class InvariantTests
{
    private static string[] Violations(PgSnapshot s) => PeeringMachine.EvaluateInvariants(s).Violations().ToArray();

    [Fact]
    public void The_settled_snapshot_satisfies_everything()
    {
        var s = Settled(PgState.Clean);
        Assert.Empty(Violations(s));
        Assert.Equal(new PeeringMachineChecks(true, true, true, false), PeeringMachine.EvaluateChecks(s));
    }

    public static TheoryData<string, PgSnapshot, string[]> Tamperings => new()
    {
        {
            "a source for object 3 that nobody holds",
            Settled(PgState.Recovering) with { AuthSources = Src((0, 0, 120), (3, 0, 5)) },
            ["sources_backed", "sources_match_census"]
        },
        {
            "an authoritative image longer than the census",
            Settled(PgState.Recovering) with { AuthImage = Img((0, 130)) },
            ["image_matches_census"]
        },
        {
            "an authoritative sequence above the census",
            Settled(PgState.Recovering) with { AuthSeq = 121 },
            ["seq_matches_census"]
        },
        {
            "a local image beyond the stored authority (it also moves the census)",
            Settled(PgState.Recovering) with { LocalInfo = Local(120, Img((0, 130)), les: 10, lis: 10) },
            ["image_matches_census", "sources_match_census", "local_within_authority", "peer_plans_exact"]
        },
        {
            "an acting replica ahead of the stored sequence (it also moves the census)",
            Settled(PgState.Recovering) with { Peers = Peers(Peer(0, 130, Img((0, 120))), Peer(1, 120, Img((0, 120)))) },
            ["seq_matches_census", "replicas_within_authority"]
        },
        {
            "a peer plan the census does not imply",
            Settled(PgState.Recovering) with { PeerRecoveryPlans = ValueList.Create<PeerRecoveryPlan>([new PeerRecoveryPlan(0, 120, 120, default)]) },
            ["peer_plans_exact"]
        },
        {
            "a local plan the census does not imply",
            Settled(PgState.Recovering) with { LocalRecoveryPlan = ValueList.Create<ObjRecovery>([new ObjRecovery(0, 0, 100, 120)]) },
            ["local_plan_exact"]
        },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Each_component_fails_on_a_hand_made_snapshot(string tampering, PgSnapshot s, string[] expected)
    {
        Assert.True(expected.SequenceEqual(Violations(s)), $"{tampering}: [{string.Join(", ", Violations(s))}]");
        Assert.False(PeeringMachine.EvaluateChecks(s).ImageInvariant);
    }

    [Fact]
    public void Blob_metadata_the_census_does_not_back_fails_the_traced_check_but_no_safety_invariant()
    {
        var s = Settled(PgState.Clean) with { AuthBlobMeta = ObjectMap.Create<BlobMetaEntry>([new BlobMetaEntry(0, true, 120)]) };
        Assert.Empty(Violations(s));
        Assert.False(ImageSafety.BlobMetaMatchesCensus(s, Recomputed.Of(s)));
        Assert.Equal(new PeeringMachineChecks(true, false, false, false), PeeringMachine.EvaluateChecks(s));
    }

    [Fact]
    public void Have_enough_info_needs_every_queried_peer_and_every_other_acting_member()
    {
        Assert.False(TraceChecks.HaveEnoughInfo(Settled(PgState.GetPeerInfo) with { PeersResponded = OsdSet.Of([1]) }));
        Assert.False(TraceChecks.HaveEnoughInfo(Settled(PgState.GetPeerInfo) with { PeersQueried = OsdSet.Of([0, 3]) }));
        Assert.True(TraceChecks.HaveEnoughInfo(Settled(PgState.GetPeerInfo) with { Acting = new ActingSet(Osds(1, 0, -1, 1), 10) }));
    }

    [Fact]
    public void A_short_replica_is_recovering_not_clean()
    {
        // Local at 100 with the matching local plan: the invariant holds, work remains.
        var s = Settled(PgState.Recovering) with
        {
            LocalInfo = Local(100, Img((0, 100)), les: 10, lis: 10),
            LocalRecoveryPlan = ValueList.Create<ObjRecovery>([new ObjRecovery(0, 0, 100, 120)]),
        };
        Assert.Equal(new PeeringMachineChecks(true, true, false, true), PeeringMachine.EvaluateChecks(s));
    }
}
