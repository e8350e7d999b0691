using Peering.Machine;
using Peering.Model;
using static Peering.Tests.Build;

namespace Peering.Tests.Machine;

/// <summary>
/// Hand-made snapshots. <see cref="Settled"/>: OSD 1 is primary of acting=up=[1,0] at epoch 10, pool
/// 2/1; OSD 0 and the local PG are both at seq 120 with image {0:120}; the authority is OSD 0's
/// (the lower remote id wins the tie); no plans. Every invariant holds on it.
/// </summary>
internal static class Snapshots
{
    public static readonly ActingSet Acting10 = new(Osds(1, 0), 10);

    public static PgSnapshot Settled(PgState state) => new(
        state, 1, 1, 10, Acting10, Acting10, 2, 1,
        Local(120, Img((0, 120)), les: 10, lis: 10),
        120, Img((0, 120)), Src((0, 0, 120)), default,
        Peers(Peer(0, 120, Img((0, 120)), les: 10), Peer(1, 120, Img((0, 120)), les: 10, lis: 10)),
        OsdSet.Of([0]), OsdSet.Of([0, 1]), default, default, default, default, default, default,
        false, false, false, 10);
}
