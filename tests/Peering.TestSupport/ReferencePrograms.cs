using System.Diagnostics;
using Xunit;

namespace Peering.TestSupport;

/// <summary>
/// The reference implementation's programs in <c>../shared/reference</c>: <c>cross_validate</c> (its
/// trace generator) and <c>events_driver</c> (its reducer driven by events). They are static x86-64
/// Linux programs; where they are absent or cannot run here, every test that needs them is reported
/// as skipped with <see cref="SkipReason"/>, never as passed.
/// </summary>
public static class ReferencePrograms
{
    private static readonly string? Reference = ReferenceCorpus.Shared is { } shared ? Path.Combine(shared, "reference") : null;

    /// <summary>Why the programs cannot be used here; null when they can.</summary>
    public static string? SkipReason { get; } = Probe();

    /// <summary>The trace generator.</summary>
    public static string CrossValidate => Path.Combine(Reference!, "cross_validate");

    /// <summary>The events-driven reducer.</summary>
    public static string EventsDriver => Path.Combine(Reference!, "events_driver");

    // Usable means: both are there, and the generator runs and writes a trace for the seed it is given.
    private static string? Probe()
    {
        if (Reference is null || !File.Exists(Path.Combine(Reference, "cross_validate")) || !File.Exists(Path.Combine(Reference, "events_driver")))
        {
            return "../shared/reference/cross_validate and events_driver not found beside the repository: the reference programs are needed for these tests";
        }

        try
        {
            var info = new ProcessStartInfo(Path.Combine(Reference, "cross_validate")) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "--profile", "lean-core", "--seed", "7", "--events", "1" })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(30_000) || process.ExitCode != 0 || !stdout.Result.Contains("{\"kind\":\"summary\",\"seed\":7,", StringComparison.Ordinal))
            {
                return "../shared/reference/cross_validate does not run here as the reference generator (exit code or output unexpected)";
            }
        }
        catch (Exception x) when (x is System.ComponentModel.Win32Exception or IOException)
        {
            return $"../shared/reference/cross_validate cannot run on this machine ({x.Message}): it is a static x86-64 Linux program";
        }

        return null;
    }
}

/// <summary>A fact that runs the reference programs, skipped (with the reason) when they are absent or cannot run.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    /// <summary>Skips when <c>../shared/reference</c> is not usable.</summary>
    public ReferenceFactAttribute()
    {
        if (ReferencePrograms.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
