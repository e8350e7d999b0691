using System.Text;
using System.Text.Json;
using Peering.Generation;
using Peering.TestSupport;

namespace Peering.Tests.Fuzzing;

/// <summary>The failure directory: atomic writes, and what happens when the disk is full or read-only.</summary>
public class FailureStoreTests
{
    private static readonly FuzzSettings Small = new() { Profile = "lean-core", Cycles = 24, MaxEvents = 400, Seed = 7 };

    [Fact]
    public void Atomic_writes_replace_the_whole_file_and_leave_no_temporary()
    {
        var fs = new MemoryFileSystem();
        AtomicFile.Write(fs, "/d/a.json", "old"u8);
        AtomicFile.Write(fs, "/d/a.json", "new content"u8);
        Assert.Equal("new content", Encoding.UTF8.GetString(fs.ReadAllBytes("/d/a.json")));
        Assert.Equal(["/d/a.json"], fs.Files);
    }

    [Fact]
    public void A_full_disk_leaves_the_old_file_and_no_partial_one()
    {
        var fs = new MemoryFileSystem();
        AtomicFile.Write(fs, "/d/a.json", "old"u8);
        fs.FreeBytes = 4;
        var x = Assert.Throws<OutputException>(() => AtomicFile.Write(fs, "/d/a.json", "a longer new content"u8));
        Assert.Contains("No space left on device", x.Message);
        Assert.Equal("old", Encoding.UTF8.GetString(fs.ReadAllBytes("/d/a.json")));
        Assert.Equal(["/d/a.json"], fs.Files);
    }

    [Fact]
    public void An_unwritable_directory_is_refused_before_any_cycle_runs()
    {
        var fs = new MemoryFileSystem { ReadOnly = true };
        Assert.Throws<OutputException>(() => FailureStore.Open("/failures", fs));
        Assert.Empty(fs.Files);
    }

    [Fact]
    public void Each_failure_writes_its_trace_then_the_record_list()
    {
        var fs = new MemoryFileSystem();
        var store = FailureStore.Open("/failures", fs);
        var summary = Faulty<Overshoot>.Campaign(Small, store, jobs: 2).Run();
        Assert.NotEmpty(summary.Failures);
        var records = JsonSerializer.Deserialize<JsonElement[]>(fs.ReadAllBytes("/failures/failures.json"))!;
        Assert.Equal(summary.Failures.Count, records.Length);
        foreach (var (record, failure) in records.Zip(summary.Failures))
        {
            Assert.Equal(failure.Cycle, record.GetProperty("cycle").GetInt64());
            Assert.Equal(failure.Seed, ulong.Parse(record.GetProperty("seed").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("invariant", record.GetProperty("kind").GetString());
            var trace = record.GetProperty("trace").GetString()!;
            Assert.Equal(FailureStore.TraceFileName(Small.Cycle(failure.Cycle)), trace);

            // The trace ends with the failing step, then the summary line.
            var lines = Encoding.UTF8.GetString(fs.ReadAllBytes("/failures/" + trace)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(failure.Step + 2, lines.Length);
            Assert.StartsWith($"{{\"kind\":\"step\",\"step\":{failure.Step},", lines[^2]);
            Assert.Equal($"{{\"kind\":\"summary\",\"seed\":{failure.Seed},\"events\":{failure.Step + 1}}}", lines[^1]);
        }

        Assert.Equal(summary.Failures.Count + 1, fs.Files.Count);
        Assert.DoesNotContain(fs.Files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_campaigns_sharing_a_directory_keep_every_record_and_every_trace()
    {
        // Both open the directory while it is empty and fail on the same cycles (same seed), so
        // each sees neither the other's records nor free trace names unless saves are ordered.
        var dir = Directory.CreateTempSubdirectory("peering-failures-").FullName;
        try
        {
            var first = FailureStore.Open(dir);
            var second = FailureStore.Open(dir);
            var runs = new[] { first, second }
                .Select(store => Task.Run(() => Faulty<Overshoot>.Campaign(Small, store, jobs: 2).Run()))
                .ToArray();
            var found = (await Task.WhenAll(runs)).Sum(r => r.Failures.Count);
            Assert.True(found >= 2, "each campaign finds failures");

            var records = JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllBytes(Path.Combine(dir, FailureStore.IndexFile)))!;
            Assert.Equal(found, records.Length);
            var traces = records.Select(r => r.GetProperty("trace").GetString()!).ToArray();
            Assert.Equal(traces.Length, traces.Distinct().Count());
            Assert.All(traces, t => Assert.True(File.Exists(Path.Combine(dir, t)), $"{t} is named but missing"));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_temporary_file_of_a_process_that_is_gone_is_removed_on_open_and_a_live_ones_is_kept()
    {
        var dir = Directory.CreateTempSubdirectory("peering-failures-").FullName;
        try
        {
            // No process has id int.MaxValue (Linux caps pids at 2^22); this process is alive.
            var stale = Path.Combine(dir, $".cycle-000001-seed-5.jsonl.{int.MaxValue}-1{PendingFile.TemporarySuffix}");
            var live = Path.Combine(dir, $".cycle-000002-seed-5.jsonl.{Environment.ProcessId}-1{PendingFile.TemporarySuffix}");
            File.WriteAllText(stale, "half a trace");
            File.WriteAllText(live, "being written");
            FailureStore.Open(dir);
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Records_already_in_the_directory_are_kept()
    {
        var fs = new MemoryFileSystem();
        Faulty<Overshoot>.Campaign(Small with { StopOnFirstFailure = true }, FailureStore.Open("/f", fs), 1).Run();
        var again = FailureStore.Open("/f", fs);
        Assert.Single(again.Records);
        Faulty<Overshoot>.Campaign(Small with { StopOnFirstFailure = true, Seed = 99 }, again, 1).Run();
        Assert.Equal(2, JsonSerializer.Deserialize<JsonElement[]>(fs.ReadAllBytes("/f/failures.json"))!.Length);
    }

    [Fact]
    public void A_full_failure_directory_stops_the_campaign_and_keeps_the_failure_in_the_summary()
    {
        var fs = new MemoryFileSystem();
        var store = FailureStore.Open("/failures", fs);
        fs.FreeBytes = 100;
        var summary = Faulty<Overshoot>.Campaign(Small with { Cycles = 2000 }, store, jobs: 2).Run();
        Assert.NotNull(summary.OutputError);
        Assert.Contains("No space left on device", summary.OutputError);
        Assert.True(summary.CyclesRun < 2000);
        var failure = summary.Failures[0];
        Assert.Null(failure.Trace);
        Assert.NotEqual(0UL, failure.Seed);
        Assert.Empty(fs.Files);
    }
}
