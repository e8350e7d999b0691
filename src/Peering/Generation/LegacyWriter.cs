using System.Text;
using Peering.Machine;
using Peering.Model;

namespace Peering.Generation;

/// <summary>
/// The legacy text format (TRACE-SCHEMA.md §9): per step the event block, then the after-snapshot
/// block; no before, no effects, no summary. Kept for old tooling; the replay checker does not read it.
/// </summary>
public sealed class LegacyWriter(Stream output)
{
    private readonly StreamWriter _out = new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };

    /// <summary>Writes one step.</summary>
    public void WriteStep(PgEvent e, PgSnapshot after, PeeringMachineChecks checks)
    {
        WriteEvent(e);
        WriteSnapshot(after, checks);
    }

    /// <summary>Flushes the text written so far.</summary>
    public void Flush() => _out.Flush();

    private void Line(string key, object value) => _out.WriteLine($"{key} {value}");

    private static string List(IEnumerable<int> ids) => string.Join(' ', ids);

    private static string Image(ObjectImage image) => string.Join(' ', image.AsSpan().ToArray().Select(e => $"{e.Obj}:{e.Len}"));

    private static int Bit(bool b) => b ? 1 : 0;

    private static string Final(ulong? finalLen) => finalLen?.ToString() ?? "-1";

    private void WriteEvent(PgEvent e)
    {
        var name = PeeringMachine.Definition.Events[PeeringMachine.EventIndex(e)];
        _out.WriteLine($"IMAGE_EVENT {(name == "PeerInfoReceived" ? "PeerImageReceived" : name)}");
        switch (e)
        {
            case Initialize x:
                Line("pgid", x.Pgid);
                Line("whoami", x.Whoami);
                Line("epoch", x.Epoch);
                Line("acting", List(x.Acting.Osds));
                Line("up", List(x.Up.Osds));
                Line("pool_size", x.PoolSize);
                Line("pool_min_size", x.PoolMinSize);
                Line("local_image", Image(x.LocalInfo.Image));
                Line("local_committed_seq", x.LocalInfo.CommittedSeq);
                Line("last_epoch_started", x.LocalInfo.LastEpochStarted);
                Line("last_interval_started", x.LocalInfo.LastIntervalStarted);
                Line("last_epoch_clean", x.LocalInfo.LastEpochClean);
                Line("prior_osds", List(x.PriorOsds));
                break;
            case AdvanceMap x:
                Line("new_epoch", x.NewEpoch);
                Line("new_acting", List(x.NewActing.Osds));
                Line("new_up", List(x.NewUp.Osds));
                Line("new_pool_size", x.NewPoolSize);
                Line("new_pool_min_size", x.NewPoolMinSize);
                Line("prior_osds", List(x.PriorOsds));
                break;
            case PeerInfoReceived x:
                Line("from", x.From);
                Line("peer_image", Image(x.Info.Image));
                Line("peer_committed_seq", x.Info.CommittedSeq);
                Line("last_epoch_started", x.Info.LastEpochStarted);
                Line("query_epoch", x.QueryEpoch);
                break;
            case PeerQueryTimeout x:
                Line("peer", x.Peer);
                break;
            case UpThruUpdated x:
                Line("epoch", x.Epoch);
                break;
            case RecoveryComplete x:
                Line("peer", x.Peer);
                Line("epoch", x.Epoch);
                break;
            case AllReplicasRecovered x:
                Line("epoch", x.Epoch);
                Line("peers", List(x.Peers));
                break;
            case ReplicaActivate x:
                Line("from", x.From);
                Line("peer_image", Image(x.AuthInfo.Image));
                Line("peer_committed_seq", x.AuthInfo.CommittedSeq);
                Line("authoritative_seq", x.AuthoritativeSeq);
                Line("last_epoch_started", x.AuthInfo.LastEpochStarted);
                foreach (var (obj, osd, len) in x.AuthSources)
                {
                    Line("activation_auth_source", $"{obj} {osd} {len}");
                }

                foreach (var (obj, sealedBlob, finalLen) in x.AuthBlobMeta)
                {
                    Line("activation_blob_meta", $"{obj} {Bit(sealedBlob)} {Final(finalLen)}");
                }

                Line("activation_epoch", x.ActivationEpoch);
                break;
            case ReplicaRecoveryComplete x:
                Line("recovered_image", Image(x.RecoveredImage.IsEmpty ? Images.Img0(x.NewCommittedLength) : x.RecoveredImage));
                Line("new_committed_seq", x.NewCommittedSeq);
                Line("activation_epoch", x.ActivationEpoch);
                break;
        }

        _out.WriteLine("---");
    }

    private void WriteSnapshot(PgSnapshot s, PeeringMachineChecks checks)
    {
        _out.WriteLine("IMAGE_CONTEXT");
        Line("pgid", s.Pgid);
        Line("whoami", s.Whoami);
        Line("epoch", s.Epoch);
        Line("acting", List(s.Acting.Osds));
        Line("acting_epoch", s.Acting.Epoch);
        Line("up", List(s.Up.Osds));
        Line("up_epoch", s.Up.Epoch);
        Line("pool_size", s.PoolSize);
        Line("pool_min_size", s.PoolMinSize);
        Line("local_committed_seq", s.LocalInfo.CommittedSeq);
        Line("local_image", Image(s.LocalInfo.Image));
        Line("local_last_epoch_started", s.LocalInfo.LastEpochStarted);
        Line("local_last_interval_started", s.LocalInfo.LastIntervalStarted);
        Line("local_last_epoch_clean", s.LocalInfo.LastEpochClean);
        Line("auth_seq", s.AuthSeq);
        Line("auth_image", Image(s.AuthImage));
        foreach (var (obj, osd, len) in s.AuthSources)
        {
            Line("auth_source", $"{obj} {osd} {len}");
        }

        foreach (var (obj, sealedBlob, finalLen) in s.AuthBlobMeta)
        {
            Line("auth_blob_meta", $"{obj} {Bit(sealedBlob)} {Final(finalLen)}");
        }

        foreach (var p in s.Peers)
        {
            Line("peer_image", $"{p.Osd} {Image(p.Image)} {p.LastEpochStarted}");
            Line("peer_committed_seq", $"{p.Osd} {p.CommittedSeq}");
        }

        Line("peers_queried", List(s.PeersQueried));
        Line("peers_responded", List(s.PeersResponded));
        Line("prior_osds", List(s.PriorOsds));
        foreach (var plan in s.PeerRecoveryPlans)
        {
            Line("peer_recovery_seq", $"{plan.Target} {plan.PeerCommittedSeq} {plan.AuthoritativeSeq}");
            foreach (var r in plan.Recoveries)
            {
                Line("peer_recovery", $"{plan.Target} {r.Obj} {r.FromLength} {r.ToLength}");
                Line("peer_recovery_source", $"{plan.Target} {r.Obj} {r.Source}");
            }
        }

        foreach (var r in s.LocalRecoveryPlan)
        {
            Line("local_recovery", $"{r.Obj} {r.FromLength} {r.ToLength}");
            Line("local_recovery_source", $"{r.Obj} {r.Source}");
        }

        if (s.LocalInfo.CommittedSeq < s.AuthSeq)
        {
            Line("local_recovery_seq", $"{s.LocalInfo.CommittedSeq} {s.AuthSeq}");
        }

        Line("recovered", List(s.Recovered));
        Line("timed_out_probes", List(s.TimedOutProbes));
        Line("need_up_thru", Bit(s.NeedUpThru));
        Line("activated", Bit(s.Activated));
        Line("pending_acting_change", Bit(s.PendingActingChange));
        Line("last_peering_reset", s.LastPeeringReset);
        Line("have_enough_info", Bit(checks.HaveEnoughInfo));
        Line("image_invariant", Bit(checks.ImageInvariant));
        Line("image_clean", Bit(checks.ImageClean));
        Line("image_recovering", Bit(checks.ImageRecovering));
        _out.WriteLine("---");
    }
}
