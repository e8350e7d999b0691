using System.Diagnostics;
using System.Text;
using Peering.Generation;

namespace Peering.Cli.Tests.Robustness;

/// <summary>What one run of the <c>peering</c> command did.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The lines of standard error.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>
/// Runs the real <c>peering</c> command (the peering.dll built beside the tests) as a child process,
/// so that exit codes, standard error and crashes (an unhandled exception's stack trace, a stack
/// overflow, running out of memory) are observed exactly as a user sees them.
/// </summary>
public static class PeeringProcess
{
    /// <summary>Runs <c>peering</c> with <paramref name="args"/>; <paramref name="environment"/> adds variables.</summary>
    public static CliRun Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        using var process = Start(args, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            Assert.Fail($"peering {string.Join(' ', args)} did not finish in time");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The peering.dll built beside the tests.</summary>
    public static string Dll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "peering.dll");
            Assert.True(File.Exists(dll), $"{dll} not found: the CLI project must be referenced by the tests");
            return dll;
        }
    }

    /// <summary>
    /// Starts <c>peering</c> with <paramref name="args"/> (standard input closed unless <paramref name="keepInputOpen"/>,
    /// output and error redirected), with SIGHUP, SIGINT and SIGTERM at their default actions except
    /// <paramref name="ignoring"/> (signal names, as <c>nohup</c> ignores HUP); the caller waits for it.
    /// </summary>
    public static PeeringChild Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, bool keepInputOpen = false, string? ignoring = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };

        // A child inherits the signals its parent ignores, and a process keeps ignoring what it was
        // started ignoring (nohup's contract; .NET installs no handler for them). A test run started
        // in the background or under nohup would pass that on: coreutils' env puts them back, so
        // that the signal tests test the command's handlers however the tests were started.
        if (ignoring is not null || InheritsIgnoredStopSignals())
        {
            info.FileName = "env";
            info.ArgumentList.Add("--default-signal=HUP,INT,TERM");
            if (ignoring is not null)
            {
                info.ArgumentList.Add($"--ignore-signal={ignoring}");
            }

            info.ArgumentList.Add(DotnetHost());
        }

        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        if (!keepInputOpen)
        {
            process.StandardInput.Close();
        }

        return new PeeringChild(process);
    }

    // SigIgn in /proc/self/status: bit n-1 for signal n (SIGHUP 1, SIGINT 2, SIGTERM 15). Linux only: elsewhere nothing is changed.
    private static bool InheritsIgnoredStopSignals()
    {
        const ulong stopSignals = (1UL << 0) | (1UL << 1) | (1UL << 14);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & stopSignals) != 0;
    }

    /// <summary>The dotnet host running these tests (so the same runtime runs the command).</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}

/// <summary>
/// A running <c>peering</c> command. Disposing it kills the command if it is still running, so that a
/// test that fails before the command ends (a signal it did not act on) leaves nothing running behind it.
/// </summary>
public sealed class PeeringChild(Process process) : IDisposable
{
    /// <summary>The process (its id is the command's: <c>env</c>, when used, replaces itself with it).</summary>
    public Process Process { get; } = process;

    /// <inheritdoc cref="Process.Id"/>
    public int Id => Process.Id;

    /// <inheritdoc cref="Process.ExitCode"/>
    public int ExitCode => Process.ExitCode;

    /// <inheritdoc cref="Process.StandardInput"/>
    public StreamWriter StandardInput => Process.StandardInput;

    /// <inheritdoc cref="Process.StandardOutput"/>
    public StreamReader StandardOutput => Process.StandardOutput;

    /// <inheritdoc cref="Process.StandardError"/>
    public StreamReader StandardError => Process.StandardError;

    /// <inheritdoc cref="Process.WaitForExit(TimeSpan)"/>
    public bool WaitForExit(TimeSpan timeout) => Process.WaitForExit(timeout);

    /// <inheritdoc cref="Process.WaitForExit()"/>
    public void WaitForExit() => Process.WaitForExit();

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // It ended in between.
        }

        Process.Dispose();
    }
}

/// <summary>Trace files for the robustness tests: generated by this reducer (seed 1, lean-core), written to a temporary directory.</summary>
public sealed class TraceFiles : IDisposable
{
    private static readonly Lazy<string[]> Generated = new(() => Generate(1, 12));

    /// <summary>A fresh temporary directory.</summary>
    public TraceFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "peering-robustness-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The directory the files are written to.</summary>
    public string Directory { get; }

    /// <summary>The lines of the generated trace (steps, then the summary), without newlines.</summary>
    public static string[] Lines => [.. Generated.Value];

    /// <summary>The lines of a generated trace for <paramref name="seed"/>.</summary>
    public static string[] Generate(ulong seed, long events)
    {
        using var output = new MemoryStream();
        PeeringTools.TraceWriter.Generate(output, PeeringEvents.Instance, "lean-core", seed, events);
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// The generated trace with its fourth line's <c>after.last_peering_reset</c> one more than this
    /// reducer produces: well formed, and a divergence at line 4. Returns the path and the recorded value.
    /// </summary>
    public (string Path, long Recorded) WriteDisagreeing(string name)
    {
        var lines = Lines.ToArray();
        var end = lines[3].IndexOf("},\"after_checks\"", StringComparison.Ordinal);
        var key = lines[3].LastIndexOf("\"last_peering_reset\":", end, StringComparison.Ordinal) + "\"last_peering_reset\":".Length;
        var recorded = long.Parse(lines[3][key..end], System.Globalization.CultureInfo.InvariantCulture) + 1;
        lines[3] = lines[3][..key] + recorded + lines[3][end..];
        return (Write(name, lines), recorded);
    }

    /// <summary>Writes <paramref name="lines"/>, each followed by a newline, as <paramref name="name"/>; returns the path.</summary>
    public string Write(string name, IEnumerable<string> lines) => WriteBytes(name, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));

    /// <summary>Writes raw bytes as <paramref name="name"/>; returns the path.</summary>
    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
