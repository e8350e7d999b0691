using System.Diagnostics;
using System.Text;

namespace Peering.Packaging.Tests;

/// <summary>The result of a child process: exit code and its standard output and error, interleaved.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>A failure message: the command, its exit code and the tail of what it printed.</summary>
    public string Describe()
    {
        const int tail = 6000;
        var output = Output.Length <= tail ? Output : "...\n" + Output[^tail..];
        return $"`{Command}` exited {ExitCode} after {Elapsed.TotalSeconds:F1} s:\n{output}";
    }
}

/// <summary>
/// Runs child processes for the packaging tests: the <c>dotnet</c> that runs the tests, an isolated
/// NuGet package folder, no MSBuild node reuse or compiler server (their long-lived children would
/// outlive the test), and a hard timeout that kills the whole process tree.
/// </summary>
public static class Dotnet
{
    /// <summary>The dotnet executable (symbolic links resolved): the one hosting the test run when known, else the first on PATH.</summary>
    public static string Executable { get; } = FindDotnet();

    private static string FindDotnet()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            candidates.Add(host);
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)));
        foreach (var candidate in candidates.Where(File.Exists))
        {
            return File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(candidate);
        }

        return "dotnet";
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="args"/>.</summary>
    public static ProcessResult Run(string workingDirectory, string nugetPackages, TimeSpan timeout, params string[] args) =>
        RunProcess(Executable, workingDirectory, nugetPackages, timeout, args);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="args"/>.</summary>
    public static ProcessResult RunProcess(string fileName, string workingDirectory, string nugetPackages, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables must not leak into a fresh build.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase) || key.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["NUGET_PACKAGES"] = nugetPackages;
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "0";
        // An installed tool's apphost finds the runtime through DOTNET_ROOT.
        if (Path.IsPathRooted(Executable))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Executable);
        }

        var command = fileName == Executable ? "dotnet " + string.Join(' ', args) : Path.GetFileName(fileName) + " " + string.Join(' ', args);
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            process.WaitForExit(TimeSpan.FromSeconds(10));
            string partial;
            lock (output)
            {
                partial = output.ToString();
            }

            throw new TimeoutException(new ProcessResult(command, -1, partial, stopwatch.Elapsed).Describe() + $"\n(killed after the {timeout.TotalSeconds:F0} s timeout)");
        }

        // Drains the asynchronous readers (bounded: a leftover grandchild could hold the pipes open).
        Task.Run(() => process.WaitForExit()).Wait(TimeSpan.FromSeconds(30));
        lock (output)
        {
            return new ProcessResult(command, process.ExitCode, output.ToString(), stopwatch.Elapsed);
        }
    }
}
