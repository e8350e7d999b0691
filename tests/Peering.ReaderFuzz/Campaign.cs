using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Peering.ReaderFuzz;

/// <summary>One fuzz input: a name (a .gz name is decompressed by the readers), its bytes, and how it was made.</summary>
public sealed record FuzzInput(string Name, byte[] Bytes, string Recipe);

/// <summary>A bug: an input whose reading threw something other than the documented exceptions, or hung.</summary>
public sealed record FuzzBug(FuzzInput Input, string What);

/// <summary>What a campaign did.</summary>
public sealed record CampaignReport(long Inputs, long Agrees, long Diverges, long Malformed, TimeSpan Elapsed, TimeSpan SlowestInput, IReadOnlyList<FuzzBug> Bugs)
{
    /// <summary>One line for logs and docs/benchmarks.md.</summary>
    public override string ToString() =>
        $"{Inputs} inputs in {Elapsed.TotalSeconds:F1} s ({Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9):F0}/s): " +
        $"{Malformed} malformed, {Diverges} divergent, {Agrees} agreeing; slowest input {SlowestInput.TotalMilliseconds:F0} ms; {Bugs.Count} bugs";
}

/// <summary>
/// A mutation fuzz campaign over the trace readers (issue 6 item 2): inputs are reference lines
/// mutated by <see cref="Mutator"/>, alone, inside a trace prefix, rearranged line by line, or
/// gzip-compressed (and then corrupted); each goes through <see cref="ReaderTarget"/>. An input
/// taking longer than <see cref="HangThreshold"/> counts as a hang; a watchdog ends the process
/// (after saving the input) if one takes longer than <see cref="KillThreshold"/>.
/// </summary>
public static class Campaign
{
    /// <summary>An input slower than this is reported as a hang.</summary>
    public static readonly TimeSpan HangThreshold = TimeSpan.FromSeconds(5);

    /// <summary>An input still running after this ends the process.</summary>
    public static readonly TimeSpan KillThreshold = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="inputs"/> inputs from <paramref name="seed"/> on <paramref name="threads"/> threads.</summary>
    public static CampaignReport Run(long inputs, int seed, int threads, string? crashDirectory = null)
    {
        var traces = SeedCorpus.Traces;
        var bugs = new List<FuzzBug>();
        long agrees = 0, diverges = 0, malformed = 0, done = 0, slowestTicks = 0;
        var running = new (long StartTicks, FuzzInput? Input)[threads];
        using var stop = new CancellationTokenSource();
        var watchdog = new Thread(() => Watch(running, stop.Token, crashDirectory)) { IsBackground = true };
        watchdog.Start();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, worker =>
        {
            var rng = new Random(HashCode.Combine(seed, worker));
            var share = (inputs / threads) + (worker < inputs % threads ? 1 : 0);
            for (long i = 0; i < share; i++)
            {
                var input = Next(rng, traces);
                running[worker] = (Stopwatch.GetTimestamp(), input);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    switch (ReaderTarget.Read(input.Name, input.Bytes))
                    {
                        case ReadOutcome.Agrees: Interlocked.Increment(ref agrees); break;
                        case ReadOutcome.Diverges: Interlocked.Increment(ref diverges); break;
                        default: Interlocked.Increment(ref malformed); break;
                    }

                    if (!input.Name.EndsWith(".gz", StringComparison.Ordinal))
                    {
                        foreach (var line in input.Bytes.AsSpan().Split((byte)'\n'))
                        {
                            ReaderTarget.ParseLine(input.Bytes[line]);
                        }
                    }
                }
                catch (Exception e)
                {
                    lock (bugs)
                    {
                        bugs.Add(new FuzzBug(input, e.ToString()));
                        Save(crashDirectory, input, e.ToString());
                    }
                }

                var ticks = Stopwatch.GetTimestamp() - started;
                InterlockedMax(ref slowestTicks, ticks);
                if (Stopwatch.GetElapsedTime(started) > HangThreshold)
                {
                    lock (bugs)
                    {
                        bugs.Add(new FuzzBug(input, $"hang: {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
                        Save(crashDirectory, input, "hang");
                    }
                }

                running[worker] = (0, null);
                Interlocked.Increment(ref done);
            }
        });
        stop.Cancel();
        return new CampaignReport(done, agrees, diverges, malformed, clock.Elapsed, TimeSpan.FromSeconds((double)slowestTicks / Stopwatch.Frequency), bugs);
    }

    /// <summary>The next input: a mutated line in a trace prefix, a mutated line alone, a rearranged prefix, or gzip.</summary>
    public static FuzzInput Next(Random rng, IReadOnlyList<byte[][]> traces)
    {
        var trace = traces[rng.Next(traces.Count)];
        // Mostly early lines (a trace prefix is replayed up to the mutated line), sometimes up to line 23.
        var k = rng.Next(Math.Min(trace.Length, rng.Next(4) == 0 ? 24 : 6));
        var other = traces[rng.Next(traces.Count)];
        var partner = other[rng.Next(other.Length)];
        var plan = RandomPlan(rng);
        var form = rng.Next(100);
        if (form < 35)
        {
            var line = Mutator.Apply(trace[k], partner, plan);
            return new FuzzInput("line.jsonl", line, $"line {k} alone: {string.Join(' ', plan)}");
        }

        if (form < 80)
        {
            return new FuzzInput("trace.jsonl", InPrefix(trace, k, Mutator.Apply(trace[k], partner, plan), rng), $"line {k} in its trace: {string.Join(' ', plan)}");
        }

        if (form < 95)
        {
            var (bytes, recipe) = Rearranged(trace, rng);
            return new FuzzInput("lines.jsonl", bytes, recipe);
        }

        var gz = Gzip(InPrefix(trace, k, rng.Next(2) == 0 ? trace[k] : Mutator.Apply(trace[k], partner, plan), rng));
        var compressedPlan = rng.Next(3) == 0 ? [] : RandomBytePlan(rng);
        return new FuzzInput("trace.jsonl.gz", Mutator.Apply(gz, gz, compressedPlan), $"gzip of line {k} in its trace, compressed bytes: {string.Join(' ', compressedPlan)}");
    }

    /// <summary>One to four random mutations, structural ones more often.</summary>
    public static Mutation[] RandomPlan(Random rng)
    {
        var plan = new Mutation[1 + (rng.Next(8) switch { < 4 => 0, < 6 => 1, 6 => 2, _ => 3 })];
        for (var i = 0; i < plan.Length; i++)
        {
            plan[i] = new Mutation((MutationKind)rng.Next(Mutator.KindCount), (uint)rng.Next(), (uint)rng.Next(), (uint)rng.Next());
        }

        return plan;
    }

    private static Mutation[] RandomBytePlan(Random rng)
    {
        MutationKind[] kinds = [MutationKind.BitFlip, MutationKind.SetByte, MutationKind.Truncate, MutationKind.DeleteRange, MutationKind.InsertBytes];
        var plan = new Mutation[1 + rng.Next(3)];
        for (var i = 0; i < plan.Length; i++)
        {
            plan[i] = new Mutation(kinds[rng.Next(kinds.Length)], (uint)rng.Next(), (uint)rng.Next(), (uint)rng.Next());
        }

        return plan;
    }

    /// <summary>The trace's lines up to <paramref name="k"/>, with line k replaced, and up to two lines after it.</summary>
    private static byte[] InPrefix(byte[][] trace, int k, byte[] replacement, Random rng)
    {
        var output = new List<byte>();
        var end = Math.Min(trace.Length, k + 1 + rng.Next(3));
        for (var i = 0; i < end; i++)
        {
            output.AddRange(i == k ? replacement : trace[i]);
            output.Add((byte)'\n');
        }

        return [.. output];
    }

    /// <summary>A short trace prefix (or the whole trace) rearranged line by line.</summary>
    private static (byte[] Bytes, string Recipe) Rearranged(byte[][] trace, Random rng)
    {
        var lines = (rng.Next(4) == 0 ? trace : trace[..Math.Min(trace.Length, 1 + rng.Next(8))]).ToList();
        var ops = new List<string>();
        for (var n = 1 + rng.Next(3); n > 0; n--)
        {
            var i = rng.Next(lines.Count);
            switch (rng.Next(8))
            {
                case 0: lines.Insert(i, lines[i]); ops.Add($"dup {i}"); break;
                case 1 when lines.Count > 1: lines.RemoveAt(i); ops.Add($"drop {i}"); break;
                case 2: var j = rng.Next(lines.Count); (lines[i], lines[j]) = (lines[j], lines[i]); ops.Add($"swap {i} {j}"); break;
                case 3: lines.Insert(i, Encoding.UTF8.GetBytes(new[] { "", " ", "\t\r", "\r", "# comment", "{}", "[]", "null", "{\"kind\":\"summary\",\"seed\":0,\"events\":0}" }[rng.Next(9)])); ops.Add($"insert {i}"); break;
                case 4: lines.AddRange(trace); ops.Add("append trace"); break;
                case 5: lines[i] = [.. lines[i], (byte)'\r']; ops.Add($"crlf {i}"); break;
                case 6: lines[i] = [.. Encoding.UTF8.GetBytes(new string(' ', rng.Next(4))), .. lines[i], (byte)' ']; ops.Add($"pad {i}"); break;
                default: lines.Add(Encoding.UTF8.GetBytes($"{{\"kind\":\"summary\",\"seed\":1,\"events\":{rng.Next(-2, 70)}}}")); ops.Add("summary"); break;
            }
        }

        var bytes = new List<byte>();
        for (var i = 0; i < lines.Count; i++)
        {
            bytes.AddRange(lines[i]);
            if (i < lines.Count - 1 || rng.Next(2) == 0)
            {
                bytes.Add((byte)'\n');
            }
        }

        return ([.. bytes], "lines: " + string.Join(", ", ops));
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void Save(string? directory, FuzzInput input, string what)
    {
        if (directory is null)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var name = $"bug-{Guid.NewGuid():N}";
        File.WriteAllBytes(Path.Combine(directory, name + "-" + input.Name), input.Bytes);
        File.WriteAllText(Path.Combine(directory, name + ".txt"), input.Recipe + "\n" + what + "\n");
    }

    private static void Watch((long StartTicks, FuzzInput? Input)[] running, CancellationToken stop, string? crashDirectory)
    {
        while (!stop.WaitHandle.WaitOne(1000))
        {
            foreach (var (start, input) in running)
            {
                if (input is not null && start != 0 && Stopwatch.GetElapsedTime(start) > KillThreshold)
                {
                    Save(crashDirectory, input, "hang (killed)");
                    Environment.FailFast($"reader fuzz: input hung for over {KillThreshold.TotalSeconds} s: {input.Recipe}");
                }
            }
        }
    }
}
