using System.Diagnostics;
using System.Text.Json;
using Peering.Cli.Tests.Robustness;

namespace Peering.Cli.Tests.Tools;

/// <summary>
/// Shell scripts that stand in for external implementations in <c>replay-fuzz</c> tests, written to
/// a temporary directory: <c>peering generate</c> itself (a correct implementation), and wrappers
/// around it or around the reference programs that misbehave in one planted way.
/// </summary>
public sealed class StandIns : IDisposable
{
    /// <summary>A fresh directory.</summary>
    public StandIns() => Directory = System.IO.Directory.CreateTempSubdirectory("replay-fuzz-").FullName;

    /// <summary>Where the scripts (and anything else a test writes) go.</summary>
    public string Directory { get; }

    /// <summary><c>peering generate</c> as a shell command (its arguments follow).</summary>
    public static string Generate => $"{Sh(PeeringProcess.DotnetHost())} {Sh(PeeringProcess.Dll)} generate";

    /// <summary>A word quoted for <c>sh</c> (and for a <c>replay-fuzz</c> command template).</summary>
    public static string Sh(string word) => "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>Writes an executable <c>sh</c> script <paramref name="name"/> with <paramref name="body"/>; its path.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        return path;
    }

    /// <summary>A new directory for a campaign's failures.</summary>
    public string NewDirectory(string name) => Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}");

    /// <summary>What <paramref name="program"/> writes on standard output when run with <paramref name="args"/>.</summary>
    public static byte[] Output(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        Assert.True(process.WaitForExit(60_000), $"{program} did not finish");
        _ = stderr.Result;
        return stdout.ToArray();
    }

    /// <summary>The records of <c>DIR/failures.json</c>; none when it is not there.</summary>
    public static JsonElement[] Records(string directory)
    {
        var index = Path.Combine(directory, "failures.json");
        return File.Exists(index) ? [.. JsonDocument.Parse(File.ReadAllBytes(index)).RootElement.Clone().EnumerateArray()] : [];
    }

    /// <summary>Whether process <paramref name="pid"/> is gone (waiting up to 10 s for it to be reaped).</summary>
    public static bool Gone(int pid)
    {
        for (var i = 0; i < 200; i++)
        {
            if (!File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z")
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }

    /// <summary>The process id a script wrote to <paramref name="pidFile"/>, once it is there.</summary>
    public static int WaitForPid(string pidFile)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                return pid;
            }

            Thread.Sleep(50);
        }

        Assert.Fail($"{pidFile} was never written");
        return 0;
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
