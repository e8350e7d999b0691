using System.Globalization;

namespace Peering.StateMachines.Tools;

/// <summary>The human-readable lines of <c>peering fuzz</c>: the header, failures, progress and the summary.</summary>
public static class CampaignText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What the campaign is: <c>fuzz: lean-core, seed 42, 64 cycles, events 32..1024, round trip on</c>.</summary>
    public static string Header(FuzzSettings s, int jobs)
    {
        var events = s.MinEvents == s.MaxEvents ? $"events {s.MinEvents}" : $"events {s.MinEvents}..{s.MaxEvents}";
        var shard = s.Shard.N > 1 ? string.Create(Invariant, $" (shard {s.Shard}: {s.ShardCycles:N0} of them)") : "";
        var checks = (s.RoundTrip ? "round trip on" : "round trip off") + string.Concat(s.RequiredChecks.Select(c => $", {c} required"));
        return $"fuzz: {s.Profile}, seed {s.Seed}, {ToolText.Count(s.Cycles, "cycle")}{shard}, {events}, invariants every step, {checks}, {ToolText.Count(jobs, "job")}";
    }

    /// <summary>A failure: the cycle and its seed, what failed, and where its trace is (or that it could not be saved).</summary>
    public static string Failure(FailureRecord f, string? directory)
    {
        var at = f.Step < 0 ? "" : $"step {f.Step} ({f.Event}): ";
        var lines = new List<string>
        {
            $"FAIL cycle {f.Cycle} seed {f.Seed} (events {f.Events}): {at}{f.What}",
        };
        lines.AddRange(f.Differences.Select(d => $"  {d.Path}: expected {d.Expected}, actual {d.Actual}"));
        if (f.Trace is not null)
        {
            lines.Add($"  trace: {Path.Combine(directory ?? ".", f.Trace)}" + (f.Reproduced ? "" : " (the re-run that wrote it did not fail the same way)"));
        }
        else if (directory is not null)
        {
            lines.Add("  trace: NOT SAVED (the failure directory could not be written)");
        }

        if (f.External is { } x)
        {
            var ended = x.ExitCode is { } code ? $"exit code {code}" : "no exit code";
            ended += x.TimedOut ? ", killed: out of time" : x.OutputLimitExceeded ? ", killed: too much output" : "";
            lines.Add(string.Create(Invariant, $"  command: {CommandTemplate.Quote(x.Command)} ({ended}, {x.OutputBytes:N0} bytes of output)"));
            var stderr = x.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.AddRange(stderr.TakeLast(StderrLinesShown).Select(l => "  stderr: " + l.TrimEnd('\r')));
            if (stderr.Length > StderrLinesShown)
            {
                lines.Add($"  stderr: ({stderr.Length - StderrLinesShown} earlier lines in the failure record)");
            }
        }

        lines.Add($"  reproduce: {f.Reproduce}");
        return string.Join(Environment.NewLine, lines);
    }

    // Enough for a message and its context; failures.json keeps the rest.
    private const int StderrLinesShown = 6;

    /// <summary>The closing summary line.</summary>
    public static string Summary(CampaignSummary s)
    {
        var verdict = ToolText.Count(s.Failures.Count, "failure");
        var how = s.Interrupted ? " (interrupted)" : s.StoppedAtFirstFailure ? " (stopped at the first failure)" : s.OutputError is not null ? " (stopped: output error)" : "";
        return string.Create(Invariant, $"{ToolText.Count(s.CyclesRun, "cycle")}, {ToolText.Count(s.Steps, "step")}, {verdict}{how} in {s.Timing.Seconds:F2} s ({s.Timing.StepsPerSecond:N0} steps/s, {ToolText.Count(s.Timing.Jobs, "job")}); digest {s.Digest:x16}");
    }

    /// <summary>One progress line of the command <paramref name="command"/>: cycles, steps, rate, failures and the time left at this pace.</summary>
    public static string Progress(CampaignProgress p, string command = "fuzz")
    {
        var elapsed = p.Elapsed.TotalSeconds;
        var done = p.CyclesDone;
        var left = done == 0 ? "?" : Duration(elapsed * (p.TotalCycles - done) / done);
        return string.Create(Invariant, $"{command}: {done:N0}/{p.TotalCycles:N0} cycles, {p.Steps:N0} steps, {p.Steps / Math.Max(elapsed, 1e-9):N0} steps/s, {ToolText.Count(p.Failures, "failure")}, {left} left");
    }

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
    }
}
