using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Peering.StateMachines;
using Peering.StateMachines.Tools;
using Peering.Generation;

namespace Peering.Cli.Commands;

/// <summary>
/// <c>peering bench</c> (hidden): the throughput figures of docs/benchmarks.md ("Generate", "Fuzz").
/// <c>generate</c> runs <c>peering generate --events 200000</c> as a child process and reads its
/// standard output through a pipe; <c>fuzz</c> runs campaigns in process and reports steps per
/// second of wall time and per CPU-second (the per-core figure, robust to other load on the
/// machine), allocation per step and collections; <c>scaling</c> compares 1 and 2 jobs.
/// </summary>
public static class BenchCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = "generate, fuzz, scaling or all", DefaultValueFactory = _ => "all" };
        what.AcceptOnlyFromAmong("generate", "fuzz", "scaling", "all");
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per figure", DefaultValueFactory = _ => 10 };
        var profile = new Option<string>("--profile") { Description = "Event mix for fuzz", DefaultValueFactory = _ => "lean-core" };
        profile.AcceptOnlyFromAmong("lean-core", "full");
        var command = new Command("bench", "Measure generate and fuzz throughput (docs/benchmarks.md)") { what, seconds, profile };
        command.Hidden = true;
        command.SetAction(r =>
        {
            Profiles.TryParse(r.GetValue(profile), out var p);
            var which = r.GetValue(what)!;
            var time = TimeSpan.FromSeconds(r.GetValue(seconds));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
            if (which is "generate" or "all")
            {
                Generate(time);
            }

            if (which is "fuzz" or "all")
            {
                Fuzz(p, roundTrip: true, jobs: 1, time);
                Fuzz(p, roundTrip: false, jobs: 1, time);
            }

            if (which is "scaling" or "all")
            {
                foreach (var roundTrip in new[] { true, false })
                {
                    var one = Fuzz(p, roundTrip, jobs: 1, time);
                    var two = Fuzz(p, roundTrip, jobs: 2, time);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scaling 1 -> 2 jobs{(roundTrip ? "" : " (--no-roundtrip)")}: {two.Wall / one.Wall:F2}x wall throughput"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>peering generate --events 200000</c> into a pipe, seeds whose traces are long, until the time is up.</summary>
    private static void Generate(TimeSpan time)
    {
        long steps = 0;
        long bytes = 0;
        var cpu = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (ulong seed = 1; clock.Elapsed < time || steps == 0; seed++)
        {
            if (Steps(seed) < 150_000)
            {
                continue;
            }

            var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                info.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
            }

            foreach (var arg in new[] { "generate", "--events", "200000", "--seed", seed.ToString(CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(arg);
            }

            var childCpu0 = ChildrenCpu();
            var started = Stopwatch.StartNew();
            using var child = Process.Start(info)!;
            var stderr = child.StandardError.ReadToEndAsync();
            var buffer = new byte[1 << 16];
            var stdout = child.StandardOutput.BaseStream;
            long read;
            long traceBytes = 0;
            long newlines = 0;
            while ((read = stdout.Read(buffer)) > 0)
            {
                traceBytes += read;
                newlines += buffer.AsSpan(0, (int)read).Count((byte)'\n');
            }

            child.WaitForExit();
            _ = stderr.Result;
            var wall = started.Elapsed;
            var childCpu = ChildrenCpu() - childCpu0;
            cpu += childCpu;
            steps += newlines - 1;
            bytes += traceBytes;
            Report($"generate --events 200000 --seed {seed} | reader", newlines - 1, traceBytes, wall, childCpu);
        }

        Report("generate total", steps, bytes, clock.Elapsed, cpu);
    }

    // How many steps the trace of seed has, by drawing only its length (PeeringEvents: Initialize, then the count).
    private static long Steps(ulong seed)
    {
        var generator = new EventGenerator(Profile.Full, new Rng(seed));
        generator.BuildInitialize();
        return generator.DrawEventCount(200_000) + 1;
    }

    private static void Report(string what, long steps, long bytes, TimeSpan wall, TimeSpan cpu) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {steps:N0} steps, {bytes / 1e6:F1} MB in {wall.TotalSeconds:F2} s: {steps / wall.TotalSeconds:N0} steps/s, {bytes / 1e6 / wall.TotalSeconds:F0} MB/s (CPU {cpu.TotalSeconds:F2} s: {steps / cpu.TotalSeconds:N0} steps/CPU-s)"));

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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz {profile.Name()}{(roundTrip ? "" : " --no-roundtrip")} --jobs {jobs}: {summary.CyclesRun:N0} cycles, {steps:N0} steps in {wall:F2} s: " +
            $"{steps / wall:N0} steps/s wall, {steps / cpu:N0} steps per CPU-second; {(GC.GetTotalAllocatedBytes() - allocated) / Math.Max(steps, 1):N0} B allocated/step, " +
            $"{GC.CollectionCount(0) - gen0} gen0 / {GC.CollectionCount(2) - gen2} gen2 collections"));
        return new Rate(steps / wall, steps / cpu);
    }

    // User + system time of the reaped children (getrusage(RUSAGE_CHILDREN)); zero where unavailable.
    private static TimeSpan ChildrenCpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        var usage = new long[18];
        if (GetRusage(-1, usage) != 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMicroseconds((usage[0] * 1_000_000) + usage[1] + (usage[2] * 1_000_000) + usage[3]);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, long[] usage);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
