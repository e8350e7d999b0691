using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Peering.StateMachines;
using Peering.StateMachines.Tools;
using Peering.Generation;

namespace Peering.Cli.Commands;

/// <summary>
/// <c>peering bench</c> (hidden): measures the goals of docs/benchmarks.md and prints them as one
/// table (figure, measured, goal, met). Each figure is an entry of <see cref="Figures"/>, which adds
/// rows to the table; whole-process figures run <c>peering</c> (or the reference program) as a child
/// process, so start-up is included; paired figures alternate the two sides in one run.
/// </summary>
public static class BenchCommand
{
    /// <summary>The figures, in table order: a name for the <c>what</c> argument and how to measure it.</summary>
    private static readonly (string Name, Action<Bench> Measure)[] Figures =
    [
        ("replay", Replay),
        ("generate", GenerateRatio),
        ("fuzz", FuzzPerCore),
        ("scaling", Scaling),
        ("explore", Explore),
        ("worst-line", WorstLine),
    ];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var what = new Argument<string[]>("what") { Description = "Figures to measure: replay, generate, fuzz, scaling, explore, worst-line or all", DefaultValueFactory = _ => ["all"] };
        what.AcceptOnlyFromAmong([.. Figures.Select(f => f.Name), "all"]);
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per figure (the run takes a few times this, plus explore)", DefaultValueFactory = _ => 10 };
        var profile = new Option<string>("--profile") { Description = "Event mix for fuzz", DefaultValueFactory = _ => "lean-core" };
        profile.AcceptOnlyFromAmong("lean-core", "full");
        var replayInput = new Option<string?>("--replay-input") { HelpName = "FILE", Description = "The trace file replay reads (default: about 390 MB of generated lean-core and full traces in a temporary directory)" };
        var reference = new Option<string?>("--reference") { HelpName = "FILE", Description = "The reference generator (default: ../shared/reference/cross_validate from the current directory or above)" };
        var exploreDepth = new Option<int[]>("--explore-depth") { HelpName = "N", Description = "Depths of the explore figure (goals: 8 within 20 s, 10 within 120 s)", DefaultValueFactory = _ => [8], AllowMultipleArgumentsPerToken = true };
        var command = new Command("bench", "Measure the performance goals and print them as a table (docs/benchmarks.md)") { what, seconds, profile, replayInput, reference, exploreDepth };
        command.Hidden = true;
        command.SetAction(r =>
        {
            Profiles.TryParse(r.GetValue(profile), out var p);
            var which = r.GetValue(what)!;
            using var bench = new Bench(TimeSpan.FromSeconds(r.GetValue(seconds)), p, r.GetValue(replayInput), r.GetValue(reference), r.GetValue(exploreDepth)!);
            var load = LoadAverage();
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {load}");
            foreach (var (name, measure) in Figures)
            {
                if (which.Contains("all") || which.Contains(name))
                {
                    measure(bench);
                }
            }

            Console.WriteLine();
            Console.WriteLine($"load average (1, 5, 15 min) before: {load}; after: {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| Figure | Measured | Goal | Met |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var row in bench.Rows)
            {
                Console.WriteLine($"| {row.Figure} | {row.Measured} | {row.Goal} | {(row.Met is { } met ? met ? "met" : "**not met**" : "unmeasured")} |");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One row of the table: <paramref name="Met"/> null when it could not be measured here.</summary>
    private sealed record Row(string Figure, string Measured, string Goal, bool? Met);

    /// <summary>What a measurement needs, and the rows measured so far.</summary>
    private sealed class Bench(TimeSpan time, Profile profile, string? replayInput, string? reference, int[] exploreDepths) : IDisposable
    {
        private string? _temp;

        public TimeSpan Time => time;

        public Profile Profile => profile;

        public int[] ExploreDepths => exploreDepths;

        public List<Row> Rows { get; } = [];

        public string? ReplayInput { get; set; } = replayInput;

        public string? Reference => reference ?? FindReference();

        public string Temp => _temp ??= Directory.CreateTempSubdirectory("peering-bench-").FullName;

        public void Add(string figure, string measured, string goal, bool? met) => Rows.Add(new Row(figure, measured, goal, met));

        public void Dispose()
        {
            if (_temp is not null)
            {
                Directory.Delete(_temp, recursive: true);
            }
        }

        private static string? FindReference()
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "shared", "reference", "cross_validate");
                if (File.Exists(path))
                {
                    return path;
                }
            }

            return null;
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Range(IReadOnlyCollection<double> values, string format) =>
        values.Count == 1 ? values.First().ToString(format, CultureInfo.InvariantCulture)
            : $"{values.Min().ToString(format, CultureInfo.InvariantCulture)}-{values.Max().ToString(format, CultureInfo.InvariantCulture)}";

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? 0 : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    // ---- Replay: the whole process, on 2 cores and pinned to one, alternating.

    private static void Replay(Bench bench)
    {
        var input = bench.ReplayInput ??= MakeReplayInput(bench);
        var steps = CountSteps(input);
        var taskset = File.Exists("/usr/bin/taskset") ? "/usr/bin/taskset" : null;
        var free = new List<double>();
        var pinned = new List<double>();
        var rss = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 3 || (clock.Elapsed < bench.Time && round < 10); round++)
        {
            var run = RunChild(null, ["replay", input]);
            free.Add(steps / run.Wall.TotalSeconds);
            rss.Add(run.PeakRss / 1e6);
            Console.WriteLine(F($"replay {Path.GetFileName(input)}: {steps:N0} steps in {run.Wall.TotalSeconds:F2} s: {steps / run.Wall.TotalSeconds:N0} steps/s, peak RSS {run.PeakRss / 1e6:F0} MB (exit {run.Exit})"));
            if (taskset is not null)
            {
                var one = RunChild(taskset, ["-c", "0", Self(), .. SelfArgs(), "replay", input]);
                pinned.Add(steps / one.Wall.TotalSeconds);
                Console.WriteLine(F($"taskset -c 0 replay: {steps / one.Wall.TotalSeconds:N0} steps/s"));
            }
        }

        var size = F($"{new FileInfo(input).Length / 1e6:F0} MB, {steps:N0} steps");
        bench.Add(F($"`peering replay FILE` ({size}), whole process, 2 cores, {free.Count} runs"), F($"{Range(free, "N0")} steps/s (median {Median(free):N0}), peak RSS {Range(rss, "F0")} MB"), "≥ 200,000 steps/s, < 150 MB", Median(free) >= 200_000 && rss.Max() < 150);
        bench.Add("the same pinned to one core (`taskset -c 0`)", pinned.Count > 0 ? F($"{Range(pinned, "N0")} steps/s (median {Median(pinned):N0})") : "no taskset", "≥ 150,000 steps/s", pinned.Count > 0 ? Median(pinned) >= 150_000 : null);
    }

    // Lean-core and full traces of up to 50,000 events, alternating, until about 390 MB.
    private static string MakeReplayInput(Bench bench)
    {
        var path = Path.Combine(bench.Temp, "replay-input.jsonl");
        using (var file = File.Create(path))
        {
            for (ulong seed = 1; file.Length < 390_000_000; seed++)
            {
                RunChild(null, ["generate", "--profile", seed % 2 == 0 ? "full" : "lean-core", "--events", "50000", "--seed", seed.ToString(CultureInfo.InvariantCulture)], into: file);
            }
        }

        return path;
    }

    private static long CountSteps(string path)
    {
        long lines = 0;
        long summaries = 0;
        using var reader = new StreamReader(path);
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lines++;
            summaries += line.StartsWith("{\"kind\":\"summary\"", StringComparison.Ordinal) ? 1 : 0;
        }

        return lines - summaries;
    }

    // ---- Generate: ours and the reference with the same arguments, to a pipe, alternating.

    private static void GenerateRatio(Bench bench)
    {
        var reference = bench.Reference;
        if (reference is null)
        {
            bench.Add("`peering generate --events 200000` / `cross_validate`, same arguments, to a pipe", "no ../shared/reference/cross_validate (--reference)", "≥ 3.0x", null);
            return;
        }

        // The two generators draw different traces from one seed (another random number stream), so the
        // figure is steps per second, each side over the same argument lists, alternating.
        var (ours, theirs) = (TimeSpan.Zero, TimeSpan.Zero);
        var (ourSteps, theirSteps) = (0L, 0L);
        var ratios = new List<double>();
        var clock = Stopwatch.StartNew();
        for (ulong seed = 1; clock.Elapsed < bench.Time * 2 || ratios.Count < 4; seed++)
        {
            string[] args = ["--profile", seed % 2 == 0 ? "full" : "lean-core", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--events", "200000"];
            var a = RunChild(null, ["generate", .. args]);
            var b = RunChild(reference, args);
            ours += a.Wall;
            theirs += b.Wall;
            ourSteps += a.Lines - 1;
            theirSteps += b.Lines - 1;
            var x = ((a.Lines - 1) / a.Wall.TotalSeconds) / ((b.Lines - 1) / b.Wall.TotalSeconds);
            ratios.Add(x);
            Console.WriteLine(F($"generate {string.Join(' ', args)}: ours {a.Lines - 1:N0} steps in {a.Wall.TotalSeconds:F2} s ({(a.Lines - 1) / a.Wall.TotalSeconds:N0} steps/s), reference {b.Lines - 1:N0} in {b.Wall.TotalSeconds:F2} s ({(b.Lines - 1) / b.Wall.TotalSeconds:N0} steps/s): {x:F2}x"));
        }

        var (ourRate, theirRate) = (ourSteps / ours.TotalSeconds, theirSteps / theirs.TotalSeconds);
        bench.Add(
            F($"`peering generate --events 200000` / `cross_validate` steps/s, same arguments ({ratios.Count} seeds, lean-core and full), to a pipe, alternating"),
            F($"{ourRate / theirRate:F2}x ({ourRate:N0} vs {theirRate:N0} steps/s; per seed {Range(ratios, "F2")}x)"),
            "≥ 3.0x",
            ourRate / theirRate >= 3.0);
    }

    // ---- Fuzz: in process, per CPU-second (robust to other load), and 1 -> 2 jobs.

    private static void FuzzPerCore(Bench bench)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            a.Add(Fuzz(bench.Profile, roundTrip: true, jobs: 1, bench.Time / 2).PerCpu);
            b.Add(Fuzz(bench.Profile, roundTrip: false, jobs: 1, bench.Time / 2).PerCpu);
        }

        bench.Add(F($"`peering fuzz` ({bench.Profile.Name()}) verified steps per CPU-second, round trip every cycle"), F($"{Range(a, "N0")}"), "≥ 150,000 (moonshot 250,000)", a.Max() >= 150_000);
        bench.Add("`peering fuzz --no-roundtrip` per CPU-second", F($"{Range(b, "N0")}"), "≥ 1,500,000", b.Max() >= 1_500_000);
    }

    private static void Scaling(Bench bench)
    {
        foreach (var roundTrip in new[] { true, false })
        {
            var one = Fuzz(bench.Profile, roundTrip, jobs: 1, bench.Time / 2);
            var two = Fuzz(bench.Profile, roundTrip, jobs: 2, bench.Time / 2);
            var x = two.Wall / one.Wall;
            bench.Add(F($"fuzz scaling 1 -> 2 jobs{(roundTrip ? ", round trip" : ", `--no-roundtrip`")} (wall throughput)"), F($"{x:F2}x ({one.Wall:N0} -> {two.Wall:N0} steps/s)"), "≥ 1.8x", x >= 1.8);
        }
    }

    private readonly record struct Rate(double Wall, double PerCpu);

    /// <summary>A fuzz campaign in process for about <paramref name="time"/>, after a warm-up.</summary>
    private static Rate Fuzz(Profile profile, bool roundTrip, int jobs, TimeSpan time)
    {
        var settings = new FuzzSettings { Profile = profile.Name(), Cycles = long.MaxValue / 2, RoundTrip = roundTrip, Seed = 1 };
        using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(3, time.TotalSeconds / 2))))
        {
            new PeeringTools.Campaign(settings with { Seed = 2 }, PeeringEvents.Instance, "peering", jobs: jobs).Run(warm.Token);
        }

        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = new CancellationTokenSource(time);
        var summary = new PeeringTools.Campaign(settings, PeeringEvents.Instance, "peering", jobs: jobs).Run(stop.Token);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var wall = summary.Timing.Seconds;
        var steps = summary.Steps;
        var perStep = (GC.GetTotalAllocatedBytes() - allocated) / Math.Max(steps, 1);
        Console.WriteLine(F(
            $"fuzz {profile.Name()}{(roundTrip ? "" : " --no-roundtrip")} --jobs {jobs}: {summary.CyclesRun:N0} cycles, {steps:N0} steps in {wall:F2} s: {steps / wall:N0} steps/s wall, {steps / cpu:N0} steps per CPU-second; {perStep:N0} B allocated/step, {GC.CollectionCount(0) - gen0} gen0 / {GC.CollectionCount(2) - gen2} gen2 collections"));
        return new Rate(steps / wall, steps / cpu);
    }

    // ---- Explore: the goal bound as a child process, its wall time and peak RSS.

    // ---- The worst well-formed line (issue 12): a long prior_osds carried in every snapshot of a
    // trace; replay time must grow with the bytes, not faster. In process, best of three per size.

    private static void WorstLine(Bench bench)
    {
        using var generated = new MemoryStream();
        PeeringTools.TraceWriter.Generate(generated, PeeringEvents.Instance, "lean-core", 1, 12);
        var events = PeeringTools.TraceReader.ReadSteps(TraceInput.Memory("generated", generated.ToArray())).Select(s => s.Step.Event).ToList();
        var initialize = (Peering.Machine.Initialize)events[0];
        var rates = new List<(int Ids, double LineMb, double MbPerSecond)>();
        foreach (var ids in new[] { 10_000, 50_000, 200_000 })
        {
            // Ascending distinct ids, as the trace grammar requires of a set.
            var prior = Peering.Model.ValueList.Create<int>([.. Enumerable.Range(0, ids).Select(i => 100 + (2 * i))]);
            using var trace = new MemoryStream();
            PeeringTools.TraceWriter.Write(trace, [initialize with { PriorOsds = prior }, .. events.Skip(1)]);
            var bytes = trace.ToArray();
            var longest = bytes.AsSpan().IndexOf((byte)'\n');
            var best = double.MaxValue;
            for (var run = 0; run < 3; run++)
            {
                var clock = Stopwatch.StartNew();
                var report = new PeeringTools.Replayer().Run([TraceInput.Memory("worst", bytes)]);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                if (report.Divergence is not null)
                {
                    throw new InvalidOperationException($"the worst-line trace of {ids} ids diverges: {report.Divergence}");
                }
            }

            rates.Add((ids, longest / 1e6, bytes.Length / 1e6 / best));
            Console.WriteLine(F($"worst line: prior_osds of {ids:N0} ids, lines of {longest / 1e6:F1} MB, {bytes.Length / 1e6:F0} MB in {best:F2} s: {bytes.Length / 1e6 / best:F0} MB/s"));
        }

        // Linear: the largest size replays at no less than half the smallest's bytes per second.
        bench.Add(
            "`peering replay` of a trace whose every line carries a long `prior_osds` (10,000 / 50,000 / 200,000 ids; lines up to 16 MiB), in process",
            string.Join(" / ", rates.Select(r => F($"{r.MbPerSecond:F0} MB/s ({r.LineMb:F1} MB lines)"))),
            "time proportional to size",
            rates[^1].MbPerSecond >= rates[0].MbPerSecond / 2);
    }

    private static void Explore(Bench bench)
    {
        foreach (var depth in bench.ExploreDepths)
        {
            var json = Path.Combine(bench.Temp, $"explore-{depth}.json");
            var run = RunChild(null, ["explore", "--profile", "lean-core", "--osds", "3", "--objects", "2", "--depth", depth.ToString(CultureInfo.InvariantCulture), "--json", json, "--trace", Path.Combine(bench.Temp, "cex.jsonl")]);
            var goal = depth switch { 8 => 20.0, 10 => 120.0, _ => double.NaN };
            Console.WriteLine(F($"explore --depth {depth}: exit {run.Exit}, {run.Wall.TotalSeconds:F1} s, peak RSS {run.PeakRss / 1048576.0:F0} MiB"));
            bench.Add(
                F($"`peering explore --profile lean-core --osds 3 --objects 2 --depth {depth}`, whole process"),
                F($"{run.Wall.TotalSeconds:F1} s, peak RSS {run.PeakRss / 1048576.0:F0} MiB{(run.Exit == 0 ? "" : $" (exit {run.Exit})")}"),
                double.IsNaN(goal) ? "" : F($"≤ {goal:F0} s"),
                double.IsNaN(goal) ? null : run.Exit == 0 && run.Wall.TotalSeconds <= goal);
        }
    }

    // ---- Child processes.

    private readonly record struct ChildRun(TimeSpan Wall, long Bytes, long Lines, long PeakRss, int Exit);

    private static string Self() => Environment.ProcessPath!;

    // `dotnet peering.dll` when run through the host; the native (Native AOT) binary runs itself.
    private static string[] SelfArgs() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [Path.Combine(AppContext.BaseDirectory, "peering.dll")] : [];

    /// <summary>
    /// Runs <paramref name="program"/> (null: this tool) with <paramref name="args"/>; its standard output is
    /// counted and dropped, or copied into <paramref name="into"/>. The peak RSS is
    /// the last VmHWM read from /proc while it runs (Linux; 0 elsewhere).
    /// </summary>
    private static ChildRun RunChild(string? program, string[] args, Stream? into = null)
    {
        var info = new ProcessStartInfo(program ?? Self()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (program is null ? SelfArgs() : []).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        var started = Stopwatch.StartNew();
        using var child = Process.Start(info)!;
        long peak = 0;
        using var watch = new Timer(_ => peak = Math.Max(peak, Hwm(child.Id)), null, 0, 20);
        var stderr = child.StandardError.ReadToEndAsync();
        var buffer = new byte[1 << 16];
        var stdout = child.StandardOutput.BaseStream;
        long bytes = 0;
        long lines = 0;
        for (int read; (read = stdout.Read(buffer)) > 0;)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            into?.Write(buffer, 0, read);
        }

        child.WaitForExit();
        var wall = started.Elapsed;
        _ = stderr.Result;
        return new ChildRun(wall, bytes, lines, peak, child.ExitCode);
    }

    private static long Hwm(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Gone, or not Linux.
        }

        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
