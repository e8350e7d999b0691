using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>
/// The failure directory of a campaign (<c>--save-failure-traces DIR</c>): one trace file per failing
/// cycle and <c>failures.json</c>, the list of their records. Both are written atomically (a
/// temporary file, then a rename), the trace first, so a record never names a missing or partial
/// trace. Records already in <c>failures.json</c> are kept, also those that other campaigns sharing
/// the directory add meanwhile: each save holds the directory's lock (<c>.lock</c>), re-reads the list,
/// adds its record and never replaces another campaign's trace (a taken name gets a suffix). Opening
/// the directory removes the temporary files of processes that no longer run.
/// </summary>
public sealed class FailureStore
{
    /// <summary>The record list's file name.</summary>
    public const string IndexFile = "failures.json";

    /// <summary>The lock file that orders the saves of campaigns sharing the directory.</summary>
    public const string LockFile = ".lock";

    private readonly IFileSystem _fs;
    private readonly object _gate = new();
    private List<FailureRecord> _records;

    private FailureStore(string directory, IFileSystem fs, List<FailureRecord> records)
    {
        Directory = directory;
        _fs = fs;
        _records = records;
    }

    /// <summary>The directory.</summary>
    public string Directory { get; }

    /// <summary>Every record in <c>failures.json</c>, earlier ones first.</summary>
    public IReadOnlyList<FailureRecord> Records => _records;

    /// <summary>
    /// Opens (creating) <paramref name="directory"/> and checks that it can be written, before any
    /// cycle runs.
    /// </summary>
    /// <exception cref="OutputException">The directory cannot be created or written, or holds a
    /// <c>failures.json</c> that is not a failure list.</exception>
    public static FailureStore Open(string directory, IFileSystem? fs = null)
    {
        fs ??= PhysicalFileSystem.Instance;
        try
        {
            fs.CreateDirectory(directory);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new OutputException($"cannot create the failure directory {directory}: {x.Message}", x);
        }

        var records = ReadIndex(fs, directory);
        RemoveStaleTemporaries(fs, directory);

        // Probe: the directory must take a file now, not after an hour of fuzzing.
        var probe = Path.Combine(directory, ".write-probe");
        AtomicFile.Write(fs, probe, []);
        try
        {
            fs.Delete(probe);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"cannot write in the failure directory {directory}: {x.Message}", x);
        }

        return new FailureStore(directory, fs, records);
    }

    /// <summary>The trace file name of a failing cycle.</summary>
    public static string TraceFileName(CycleSpec spec) => $"cycle-{spec.Index:D6}-seed-{spec.Seed}.jsonl";

    /// <summary>Writes the trace, then <c>failures.json</c> with the record added; returns the record as stored.</summary>
    /// <exception cref="OutputException">Either file could not be written; nothing partial is left.</exception>
    public FailureRecord Save(FailureRecord record, CycleSpec spec, ReadOnlySpan<byte> trace)
    {
        using var file = BeginTrace(spec);
        file.Write(trace);
        return Save(record, file);
    }

    /// <summary>
    /// Starts the trace file of cycle <paramref name="spec"/>, to be written as it is produced and
    /// saved with <see cref="Save(FailureRecord, PendingFile)"/> (or dropped by disposing it).
    /// </summary>
    /// <exception cref="OutputException">The file cannot be created.</exception>
    public PendingFile BeginTrace(CycleSpec spec) => PendingFile.Create(_fs, Path.Combine(Directory, TraceFileName(spec)));

    /// <summary>Commits the trace <paramref name="trace"/>, then writes <c>failures.json</c> with the record added; returns the record as stored.</summary>
    /// <exception cref="OutputException">Either file could not be written; nothing partial is left.</exception>
    public FailureRecord Save(FailureRecord record, PendingFile trace)
    {
        lock (_gate)
        {
            using var directoryLock = Lock();
            var records = ReadIndex(_fs, Directory);
            var name = FreeName(Path.GetFileName(trace.Path));
            trace.CommitAs(Path.Combine(Directory, name));
            var stored = record with { Trace = name };
            records.Add(stored);
            AtomicFile.Write(_fs, Path.Combine(Directory, IndexFile), JsonSerializer.SerializeToUtf8Bytes(records, SummaryJson.Default.ListFailureRecord));
            _records = records;
            return stored;
        }
    }

    private IDisposable Lock()
    {
        try
        {
            return _fs.Lock(Path.Combine(Directory, LockFile));
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"cannot lock the failure directory {Directory}: {x.Message}", x);
        }
    }

    // The trace's name, or with -2, -3... before .jsonl when another campaign (another seed's cycle of the same number, or the same campaign run twice) has it.
    private string FreeName(string name)
    {
        var stem = name.EndsWith(".jsonl", StringComparison.Ordinal) ? name[..^".jsonl".Length] : name;
        var candidate = name;
        for (var n = 2; _fs.FileExists(Path.Combine(Directory, candidate)); n++)
        {
            candidate = $"{stem}-{n}.jsonl";
        }

        return candidate;
    }

    private static List<FailureRecord> ReadIndex(IFileSystem fs, string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        if (!fs.FileExists(index))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(fs.ReadAllBytes(index), SummaryJson.Default.ListFailureRecord) ?? [];
        }
        catch (Exception x) when (x is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"{index} exists but is not a readable failure list: {x.Message}", x);
        }
    }

    // A process killed while writing leaves its temporary file (.NAME.PID-N.tmp); one whose process is gone is removed.
    private static void RemoveStaleTemporaries(IFileSystem fs, string directory)
    {
        foreach (var name in fs.FileNames(directory))
        {
            if (PendingFile.TemporaryOwner(name) is { } pid && pid != Environment.ProcessId && !fs.IsRunning(pid))
            {
                try
                {
                    fs.Delete(Path.Combine(directory, name));
                }
                catch (Exception x) when (x is IOException or UnauthorizedAccessException)
                {
                    // Another campaign removed it first, or it cannot be: it stays, harmless (no record names it).
                }
            }
        }
    }
}
