using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Peering.Machine;
using Peering.TestSupport;

namespace Peering.Tests.Traces;

/// <summary>
/// The strict compact reader of step lines (<c>TryReadCompactStep</c>, which the round-trip fuzzer reads with)
/// reads the <c>after</c> member by member against the <c>before</c>'s bytes: a member whose bytes the after
/// repeats is the before's value, any other is read. On reference traces it must return what reading the
/// after in full returns, reuse exactly the members whose bytes did not change, and refuse a changed member
/// that does not read.
/// </summary>
public class CompactReaderTests
{
    private static IEnumerable<byte[]> Lines(string trace)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(ReferenceCorpus.Directory!, trace)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            yield return Encoding.UTF8.GetBytes(line);
        }
    }

    private static string Raw(ReadOnlySpan<byte> snapshot, string member)
    {
        using var document = JsonDocument.Parse(snapshot.ToArray());
        return document.RootElement.GetProperty(member).GetRawText();
    }

    [CorpusFact]
    public void Reading_against_the_before_gives_what_reading_the_after_in_full_gives_and_reuses_only_unchanged_members()
    {
        long changed = 0, reused = 0, read = 0;
        foreach (var trace in ReferenceCorpus.Traces().Where((_, i) => i % 25 == 0))
        {
            PgSnapshot? before = null;
            byte[] beforeJson = [];
            foreach (var line in Lines(trace))
            {
                if (PeeringMachineJson.ParseTraceLine(line) is not TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect> full)
                {
                    before = null;
                    continue;
                }

                if (before is null)
                {
                    // A trace's first before, as the round-trip fuzzer has it: read in full from its bytes.
                    before = full.Before;
                    beforeJson = CompactJsonWriter.Encode(w => PeeringMachineJson.WriteSnapshot(w, before));
                }

                Assert.True(PeeringMachineJson.TryReadCompactStep(line, beforeJson, before, out var step, out var problem), $"{trace} step {full.Step}: {problem}");
                Assert.Equal(full.After, step.After);
                var afterJson = line.AsSpan(step.AfterStart, step.AfterEnd - step.AfterStart);
                if (!afterJson.SequenceEqual(beforeJson))
                {
                    changed++;
                    foreach (var (member, same) in new[]
                    {
                        ("local_info", ReferenceEquals(step.After.LocalInfo, before.LocalInfo)),
                        ("acting", ReferenceEquals(step.After.Acting, before.Acting)),
                    })
                    {
                        var unchanged = Raw(afterJson, member) == Raw(beforeJson, member);
                        Assert.True(unchanged == same, $"{trace} step {full.Step}: {member} {(unchanged ? "unchanged but read again" : "changed but reused")}");
                        (unchanged ? ref reused : ref read)++;
                    }
                }

                before = step.After;
                beforeJson = afterJson.ToArray();
            }
        }

        // The traces change snapshots often, and most steps leave most members as they were.
        Assert.True(changed > 500, $"only {changed} changed snapshots");
        Assert.True(reused > 0 && read > 0, $"reused {reused}, read {read}");
    }

    [CorpusFact]
    public void An_after_whose_keys_are_out_of_order_is_read_whole_from_its_start()
    {
        var trace = ReferenceCorpus.Traces().First();
        var line = Lines(trace).First();
        var first = (TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect>)PeeringMachineJson.ParseTraceLine(line);
        var beforeJson = CompactJsonWriter.Encode(w => PeeringMachineJson.WriteSnapshot(w, first.Before));
        var text = Encoding.UTF8.GetString(line);

        // Swap the after's pgid and whoami members: still a valid snapshot, no longer the declared layout.
        var after = text.IndexOf(",\"after\":", StringComparison.Ordinal);
        var pgid = text.IndexOf(",\"pgid\":", after, StringComparison.Ordinal);
        var whoami = text.IndexOf(",\"whoami\":", after, StringComparison.Ordinal);
        var epoch = text.IndexOf(",\"epoch\":", after, StringComparison.Ordinal);
        Assert.True(after > 0 && pgid < whoami && whoami < epoch);
        var swapped = text[..pgid] + text[whoami..epoch] + text[pgid..whoami] + text[epoch..];

        Assert.True(PeeringMachineJson.TryReadCompactStep(Encoding.UTF8.GetBytes(swapped), beforeJson, first.Before, out var step, out var problem), problem);
        Assert.Equal(first.After, step.After);
    }

    [CorpusFact]
    public void A_changed_member_that_does_not_read_is_refused()
    {
        var trace = ReferenceCorpus.Traces().First();
        var lines = Lines(trace).Take(3).ToList();
        var first = (TraceStep<PgState, PgEvent, PgSnapshot, PeeringMachineChecks, PgEffect>)PeeringMachineJson.ParseTraceLine(lines[0]);
        var beforeJson = CompactJsonWriter.Encode(w => PeeringMachineJson.WriteSnapshot(w, first.Before));
        var text = Encoding.UTF8.GetString(lines[0]);
        var after = text.IndexOf(",\"after\":", StringComparison.Ordinal);
        var pool = text.IndexOf("\"pool_size\":", after, StringComparison.Ordinal);
        Assert.True(after > 0 && pool > after);

        // pool_size is an int: a quoted value is a wire error, whatever the before said.
        var broken = text[..pool] + "\"pool_size\":\"2\"" + text[text.IndexOf(',', pool)..];
        Assert.True(PeeringMachineJson.TryReadCompactStep(lines[0], beforeJson, first.Before, out _, out var none), none);
        Assert.False(PeeringMachineJson.TryReadCompactStep(Encoding.UTF8.GetBytes(broken), beforeJson, first.Before, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));

        // The full reader says where.
        var error = Assert.Throws<WireFormatException>(() => PeeringMachineJson.ParseTraceLine(Encoding.UTF8.GetBytes(broken)));
        Assert.Equal("$.after.pool_size", error.Path);
    }
}
