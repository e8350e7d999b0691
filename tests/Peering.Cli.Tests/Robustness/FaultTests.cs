using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Peering.TestSupport;

namespace Peering.Cli.Tests.Robustness;

/// <summary>
/// Faults around the trace parser, as the peering process meets them (issue 12): outputs that must
/// not destroy data, write errors, signals, and options checked before any work starts. Each runs
/// the real CLI as a child process; the rules are in README "Exit codes" and docs/trace-input.md.
/// </summary>
public sealed class FaultTests : IDisposable
{
    private readonly TraceFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Trace() => _files.Write("t.jsonl", TraceFiles.Lines);

    // A trace cut in the middle of its fifth line: malformed only there, after four good lines were rewritten.
    private string Malformed()
    {
        var lines = TraceFiles.Lines.ToArray();
        lines[4] = lines[4][..(lines[4].Length / 2)];
        return _files.Write("malformed.jsonl", lines);
    }

    private string[] LeftInDirectory() => [.. Directory.EnumerateFileSystemEntries(_files.Directory).Select(Path.GetFileName).Order()!];

    private static void OneLineNoStackTrace(CliRun run)
    {
        Assert.Single(run.ErrorLines, l => !l.StartsWith("Run 'peering --help'", StringComparison.Ordinal) && !l.StartsWith("Cross-validation driver", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("Exception", run.Stderr);
    }

    [Fact]
    public void A_rewrite_onto_its_own_input_is_refused_before_anything_is_opened()
    {
        var trace = Trace();
        var before = File.ReadAllBytes(trace);
        var run = PeeringProcess.Run(["replay", trace, "--rewrite", trace]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"peering: --rewrite {trace}: is also an input", run.ErrorLines[0]);
        Assert.Equal(before, File.ReadAllBytes(trace));
        Assert.Equal(["t.jsonl"], LeftInDirectory());
    }

    [PosixFact]
    public void An_output_that_is_a_link_to_an_input_is_refused_too()
    {
        var trace = Trace();
        var link = Path.Combine(_files.Directory, "link.jsonl");
        File.CreateSymbolicLink(link, trace);
        var before = File.ReadAllBytes(trace);
        var run = PeeringProcess.Run(["replay", trace, "--rewrite", link]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(before, File.ReadAllBytes(trace));
    }

    [Fact]
    public void A_directory_as_output_is_refused_and_left_as_it_was()
    {
        var trace = Trace();
        var directory = Directory.CreateDirectory(Path.Combine(_files.Directory, "out")).FullName;
        var run = PeeringProcess.Run(["replay", trace, "--rewrite", directory]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"peering: {directory}: is a directory, not an output file", run.ErrorLines[0]);
        Assert.True(Directory.Exists(directory));
    }

    [PosixFact]
    public void A_device_as_output_is_written_through_not_replaced()
    {
        var run = PeeringProcess.Run(["replay", Trace(), "--rewrite", "/dev/null"]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.True(new FileInfo("/dev/null").Attributes.HasFlag(FileAttributes.Device) || File.Exists("/dev/null"));
        Assert.Equal(0, new FileInfo("/dev/null").Length);
    }

    [Fact]
    public void A_rewrite_of_a_malformed_input_leaves_the_old_output_untouched_and_no_temporary_file()
    {
        var old = _files.Write("old.jsonl", ["an earlier output"]);
        var run = PeeringProcess.Run(["replay", Malformed(), "--rewrite", old]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        Assert.Equal("an earlier output\n", File.ReadAllText(old));
        Assert.Equal(["malformed.jsonl", "old.jsonl"], LeftInDirectory());
    }

    [Fact]
    public void A_rewrite_is_complete_when_it_appears()
    {
        var trace = Trace();
        var output = Path.Combine(_files.Directory, "out.jsonl");
        var run = PeeringProcess.Run(["replay", trace, "--rewrite", output]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(File.ReadAllBytes(trace), File.ReadAllBytes(output));
        Assert.Equal(["out.jsonl", "t.jsonl"], LeftInDirectory());
    }

    [Fact]
    public void An_output_name_at_the_file_system_limit_of_255_bytes_still_gets_a_temporary_name()
    {
        var output = Path.Combine(_files.Directory, new string('n', 249) + ".jsonl");
        var run = PeeringProcess.Run(["replay", Trace(), "--rewrite", output]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void An_unwritable_json_summary_is_said_before_the_campaign_runs()
    {
        var missing = Path.Combine(_files.Directory, "no-such-directory", "summary.json");
        var clock = Stopwatch.StartNew();
        var run = PeeringProcess.Run(["fuzz", "--cycles", "100000000", "--json", missing]);
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.Equal($"peering: cannot write {missing}: no directory {Path.GetDirectoryName(missing)}", run.ErrorLines[0]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the campaign ran before the output was checked");
        Assert.Equal("", run.Stdout);
    }

    [PosixTheory]
    [InlineData("generate --events 20")]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("replay {trace}")]
    public void A_full_standard_output_is_exit_4_and_one_line(string command)
    {
        var run = Shell($"{command.Replace("{trace}", Trace(), StringComparison.Ordinal)} > /dev/full");
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.Contains("peering: cannot write standard output: No space left on device", run.ErrorLines);
        OneLineNoStackTrace(run);
    }

    // Every output option written to a full device: the same line, naming the option's file.
    [PosixTheory]
    [InlineData("stats {trace} --json /dev/full")]
    [InlineData("explore --depth 1 --json /dev/full")]
    [InlineData("replay {trace} --rewrite /dev/full")]
    [InlineData("fuzz --cycles 2 --events 40 --json /dev/full")]
    public void An_output_file_on_a_full_device_is_exit_4_and_one_line_naming_it(string command)
    {
        var run = Shell(command.Replace("{trace}", Trace(), StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.Equal("peering: cannot write /dev/full: No space left on device", run.ErrorLines[^1]);

        // explore's progress lines come before it; nothing after it, and no stack trace.
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("Exception", run.Stderr);
    }

    [PosixFact]
    public void A_closed_standard_output_is_exit_4_and_one_line()
    {
        var run = Shell("generate --events 20 >&-");
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.StartsWith("peering: cannot write standard output: ", run.ErrorLines[^1]);
        OneLineNoStackTrace(run);
    }

    [PosixFact]
    public void Standard_output_redirected_to_a_file_is_shared_with_whatever_writes_it_before_and_after()
    {
        // Each command writes where the descriptor stands and moves it on, as a shell user expects of
        // `{ ...; } > file`: nothing written before or after is overwritten.
        var peering = $"'{PeeringProcess.DotnetHost()}' '{PeeringProcess.Dll}'";
        var run = Shell($"--version > /dev/null; {{ echo header; {peering} generate --seed 1 --events 5; {peering} generate --seed 2 --events 5; echo trailer; }} > both.jsonl"
            + $"; {peering} generate --seed 1 --events 5 > one.jsonl; {peering} generate --seed 2 --events 5 > two.jsonl");
        Assert.Equal(0, run.ExitCode);
        var one = File.ReadAllText(Path.Combine(_files.Directory, "one.jsonl"));
        var two = File.ReadAllText(Path.Combine(_files.Directory, "two.jsonl"));
        Assert.StartsWith("{\"kind\":\"step\"", one, StringComparison.Ordinal);
        Assert.Equal("header\n" + one + two + "trailer\n", File.ReadAllText(Path.Combine(_files.Directory, "both.jsonl")));
    }

    [PosixFact]
    public void A_broken_pipe_stops_generating_at_once()
    {
        // Ten million events would take minutes; head takes 100 bytes and closes the pipe.
        var clock = Stopwatch.StartNew();
        var run = Shell("generate --events 10000000 | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}", bash: true);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"generate kept going for {clock.Elapsed} after the pipe closed");
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.Equal("peering: cannot write standard output: Broken pipe", run.ErrorLines[^1]);
    }

    [PosixFact]
    public void A_file_size_limit_is_exit_4_and_the_old_output_stays()
    {
        // The runtime's W^X double mapping needs a file of its own, which ulimit -f would refuse.
        var old = _files.Write("old.jsonl", ["an earlier output"]);
        var run = Shell($"replay {Trace()} --rewrite {old}", limitKb: 8);
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.Equal($"peering: cannot write {old}: File too large (the file-size limit, ulimit -f)", run.ErrorLines[^1]);
        Assert.Equal("an earlier output\n", File.ReadAllText(old));
        Assert.Equal(["old.jsonl", "t.jsonl"], LeftInDirectory());
    }

    [PosixFact]
    public void A_file_size_limit_on_standard_output_is_exit_4_and_one_line()
    {
        // Standard output redirected to a regular file is written through the console stream, whose EFBIG is
        // the same ArgumentException an output file gets: the same reason, no internal error.
        var run = Shell("generate --events 5000 > out.jsonl", limitKb: 8);
        Assert.Equal(ExitCodes.Output, run.ExitCode);
        Assert.Equal("peering: cannot write standard output: File too large (the file-size limit, ulimit -f)", run.ErrorLines[^1]);
        OneLineNoStackTrace(run);
    }

    [Theory]
    [InlineData(new[] { "replay", "--json", "x" }, "peering: unknown option '--json' (a file of that name is ./--json)")]
    [InlineData(new[] { "generate", "--events", "-5" }, "peering: --events -5: must be at least 0")]
    [InlineData(new[] { "fuzz", "--jobs", "100000" }, "peering: --jobs 100000: must be 1 to 256")]
    [InlineData(new[] { "fuzz", "--cycles", "0" }, "peering: --cycles 0: must be at least 1")]
    [InlineData(new[] { "shrink", "x.jsonl", "-o", "y.jsonl", "--max-seconds", "NaN" }, "peering: --max-seconds NaN: must be a number of seconds more than 0 and at most 1000000000")]
    [InlineData(new[] { "shrink", "x.jsonl", "-o", "y.jsonl", "--max-seconds", "Infinity" }, "peering: --max-seconds Infinity: must be a number of seconds more than 0 and at most 1000000000")]
    [InlineData(new[] { "fuzz", "--seed", "-1" }, "peering: --seed -1: expected a whole number from 0 to 18446744073709551615")]
    [InlineData(new[] { "explore", "--jobs", "0" }, "peering: --jobs 0: must be 1 to 256")]
    public void A_bad_option_is_one_usage_line_naming_it_as_typed(string[] args, string line)
    {
        var run = PeeringProcess.Run(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal([line, "Run 'peering --help' for usage."], run.ErrorLines);
        Assert.DoesNotContain("System.", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void Control_characters_in_an_echoed_value_are_escaped()
    {
        var run = PeeringProcess.Run(["generate", "--events", "\u001b[31m"]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Stderr);
        Assert.Contains("\\u001b[31m", run.ErrorLines[0]);
    }

    [PosixFact]
    public void A_closed_standard_input_is_an_error_not_a_hang()
    {
        var run = Shell("replay - <&-");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("peering: -: standard input is closed", run.ErrorLines[^1]);
    }

    [PosixFact]
    public void A_directory_walk_takes_regular_files_only_and_follows_no_link()
    {
        // A loop of links, a FIFO and a dangling link, all named like traces: none is read, none blocks.
        var walk = Directory.CreateDirectory(Path.Combine(_files.Directory, "walk")).FullName;
        File.Copy(Trace(), Path.Combine(walk, "a.jsonl"));
        Directory.CreateDirectory(Path.Combine(walk, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(walk, "sub", "loop"), walk);
        File.CreateSymbolicLink(Path.Combine(walk, "dangling.jsonl"), Path.Combine(walk, "nowhere"));
        var fifo = Process.Start("mkfifo", Path.Combine(walk, "fifo.jsonl"))!;
        fifo.WaitForExit();
        Assert.Equal(0, fifo.ExitCode);

        var run = PeeringProcess.Run(["replay", walk], timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("replay ok: 1 file, ", run.Stdout);
    }

    [PosixFact]
    public void A_dangling_link_given_by_name_is_a_usage_error()
    {
        var link = Path.Combine(_files.Directory, "dangling.jsonl");
        File.CreateSymbolicLink(link, Path.Combine(_files.Directory, "nowhere"));
        var run = PeeringProcess.Run(["replay", link]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"peering: {link}: ", run.ErrorLines[0]);
    }

    [Fact]
    public void Keep_going_reports_every_diverging_file_and_without_it_only_the_first()
    {
        var a = _files.WriteDisagreeing("a.jsonl").Path;
        var good = Trace();
        var b = _files.WriteDisagreeing("b.jsonl").Path;

        var all = PeeringProcess.Run(["replay", "--keep-going", a, good, b]);
        Assert.Equal(ExitCodes.Failure, all.ExitCode);
        Assert.Contains($"divergence at {a}:4:", all.Stdout);
        Assert.Contains($"divergence at {b}:4:", all.Stdout);
        Assert.Contains("replay failed: 2 files diverge; 3 files, ", all.Stdout);

        var first = PeeringProcess.Run(["replay", a, good, b]);
        Assert.Equal(ExitCodes.Failure, first.ExitCode);
        Assert.Contains($"divergence at {a}:4:", first.Stdout);
        Assert.DoesNotContain(b, first.Stdout);
    }

    [Theory]
    [InlineData("\"shard_count\": 2", "\"shard_count\": null", "shard_count: not a value of the summary format peering-fuzz-summary/3 (line 13)")]
    [InlineData("\"steps\": ", "\"steps\": -", "steps: -")]
    [InlineData("\"digest\": \"", "\"digest\": \"0", "digest: not a value of the summary format peering-fuzz-summary/3")]
    [InlineData("\"digest\": \"", "\"digest\": 1, \"x\": \"", "digest: not a value of the summary format peering-fuzz-summary/3")]
    [InlineData("\"shard_count\": 2", "\"shard_count\": 0", "shard_count: 0 is not a shard count")]
    [InlineData("\"format\": \"peering-fuzz-summary/3\"", "\"format\": \"other/1\"", "format: not peering-fuzz-summary/3")]
    public void A_shard_summary_that_is_not_one_is_refused_naming_the_file_and_field(string from, string to, string problem)
    {
        var shard = Path.Combine(_files.Directory, "s1.json");
        Assert.Equal(0, PeeringProcess.Run(["fuzz", "--cycles", "4", "--events", "40", "--shard", "1/2", "--json", shard]).ExitCode);
        var bad = _files.Write("bad.json", [File.ReadAllText(shard).Replace(from, to, StringComparison.Ordinal)]);
        var run = PeeringProcess.Run(["fuzz", "--merge", bad]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        Assert.StartsWith($"{bad}: {problem}", run.ErrorLines[0]);
        Assert.DoesNotContain("Peering.", run.Stderr);
    }

    [Fact]
    public void A_merge_with_a_shard_missing_or_out_of_range_is_refused()
    {
        var one = Path.Combine(_files.Directory, "s1.json");
        Assert.Equal(0, PeeringProcess.Run(["fuzz", "--cycles", "4", "--events", "40", "--shard", "1/2", "--json", one]).ExitCode);
        var run = PeeringProcess.Run(["fuzz", "--merge", one]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        Assert.Equal("peering: --merge: no summary of shard 2/2", run.ErrorLines[0]);

        var far = _files.Write("s99.json", [File.ReadAllText(one).Replace("\"shards\": [\n    1\n  ]", "\"shards\": [\n    99\n  ]", StringComparison.Ordinal)]);
        run = PeeringProcess.Run(["fuzz", "--merge", one, far]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        Assert.Equal($"{far}: shards: 99 is not a shard of 2", run.ErrorLines[0]);
    }

    public static TheoryData<int, string> Signals => new() { { 2, "SIGINT" }, { 15, "SIGTERM" }, { 1, "SIGHUP" } };

    [PosixTheory]
    [MemberData(nameof(Signals))]
    public async Task A_signal_stops_a_campaign_with_its_summary_written_and_128_plus_the_signal(int signal, string name)
    {
        var json = Path.Combine(_files.Directory, "summary.json");
        var (exit, stdout) = await Signalled(["fuzz", "--cycles", "100000000", "--json", json], "fuzz: lean-core", signal, name);
        Assert.Equal(128 + signal, exit);
        Assert.Contains("(interrupted)", stdout);
        Assert.True(JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal(["summary.json"], LeftInDirectory());
    }

    // nohup's contract: a signal the command was started ignoring stays ignored, so a campaign started
    // with `nohup` outlives the terminal's hang-up, and the next signal it does take stops it as usual.
    [PosixFact]
    public async Task A_hang_up_the_command_was_started_ignoring_does_not_stop_a_campaign()
    {
        var json = Path.Combine(_files.Directory, "summary.json");
        using var process = PeeringProcess.Start(["fuzz", "--cycles", "100000000", "--json", json], ignoring: "HUP");
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.StartsWith("fuzz: lean-core", process.StandardOutput.ReadLine());
        var stdout = process.StandardOutput.ReadToEndAsync();
        Thread.Sleep(300);
        Assert.Equal(0, Kill(process.Id, 1));
        Assert.False(process.WaitForExit(TimeSpan.FromSeconds(2)), "peering fuzz stopped on a hang-up it was started ignoring");
        Assert.Equal(0, Kill(process.Id, 15));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "peering fuzz did not stop after SIGTERM");
        Assert.Equal(143, process.ExitCode);
        Assert.Contains("(interrupted)", await stdout);
        Assert.Equal("", await stderr);
        Assert.Equal(["summary.json"], LeftInDirectory());
    }

    [PosixFact]
    public async Task SIGTERM_stops_an_exploration_with_its_report_written()
    {
        var json = Path.Combine(_files.Directory, "explore.json");
        var (exit, stdout) = await Signalled(["explore", "--depth", "12", "--json", json], "explore: ", 15, "SIGTERM");
        Assert.Equal(143, exit);
        Assert.Contains("result: INTERRUPTED", stdout);
        Assert.Equal("interrupted", JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.GetProperty("status").GetString());
        Assert.Equal(["explore.json"], LeftInDirectory());
    }

    // `timeout` signals the command, then its process group, and so the command itself once more a
    // moment later: one request, which must not count as the second signal that ends the process at once.
    [PosixFact]
    public async Task A_signal_delivered_twice_in_a_moment_still_stops_an_exploration_with_its_report_written()
    {
        var json = Path.Combine(_files.Directory, "explore.json");
        var (exit, stdout) = await Signalled(["explore", "--depth", "12", "--json", json], "explore: ", 2, "SIGINT", again: TimeSpan.FromMilliseconds(5));
        Assert.Equal(130, exit);
        Assert.Contains("result: INTERRUPTED", stdout);
        Assert.Equal("interrupted", JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.GetProperty("status").GetString());
        Assert.Equal(["explore.json"], LeftInDirectory());
    }

    // A container's memory limit reaches .NET as a heap hard limit (cgroups: 75% of the limit), as this one does.
    [Theory]
    [InlineData("0x8000000")]
    [InlineData("0xC000000")]
    public void Explore_stops_at_a_heap_hard_limit_with_exit_5_and_its_report(string limit)
    {
        var json = Path.Combine(_files.Directory, "explore.json");
        var run = PeeringProcess.Run(["explore", "--depth", "14", "--json", json], new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = limit });
        Assert.Equal(ExitCodes.StateBound, run.ExitCode);
        Assert.Contains("result: STOPPED: the managed heap reached its limit", run.Stdout);
        Assert.DoesNotContain("out of memory", run.Stderr);
        var report = JsonDocument.Parse(File.ReadAllBytes(json)).RootElement;
        Assert.Equal("memory_limit", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("distinct_snapshots").GetInt64() > 1000);
        Assert.Equal(["explore.json"], LeftInDirectory());
    }

    // Starts peering, waits for its first line (the command is running, its handlers in place), sends the signal (and again after a delay, if one is given); the exit code and standard output.
    private static async Task<(int Exit, string Stdout)> Signalled(string[] args, string header, int signal, string name, TimeSpan? again = null)
    {
        using var process = PeeringProcess.Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        var first = process.StandardOutput.ReadLine();
        Assert.StartsWith(header, first);
        var rest = process.StandardOutput.ReadToEndAsync();
        Thread.Sleep(300);
        Assert.Equal(0, Kill(process.Id, signal));
        if (again is { } delay)
        {
            Thread.Sleep(delay);
            _ = Kill(process.Id, signal);
        }

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"peering {args[0]} did not stop after {name}");
        await stderr;
        return (process.ExitCode, first + "\n" + await rest);
    }

    [PosixFact]
    public async Task SIGTERM_stops_generate_at_once()
    {
        using var process = PeeringProcess.Start(["generate", "--events", "100000000"]);
        var stderr = process.StandardError.ReadToEndAsync();
        var buffer = new char[4096];
        Assert.True(process.StandardOutput.Read(buffer) > 0);
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        Assert.Equal(0, Kill(process.Id, 15));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "generate did not stop after SIGTERM");
        Assert.Equal(143, process.ExitCode);
        Assert.Contains("peering: interrupted", await stderr);
        await drain;
    }

    // A pipe that stays open with no more data: the read waits in the kernel, where only the signal can end it.
    [PosixTheory]
    [InlineData("replay", "replay interrupted: 1 file, 10 steps")]
    [InlineData("stats", "stats interrupted: the histograms of the 10 steps read before the signal")]
    public void SIGTERM_ends_a_read_of_standard_input_that_waits(string command, string said)
    {
        using var process = PeeringProcess.Start([command, "-"], keepInputOpen: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in TraceFiles.Lines.Take(10))
        {
            process.StandardInput.WriteLine(line);
        }

        process.StandardInput.Flush();
        WaitUntilReadingAPipe(process.Id);
        var signalled = Stopwatch.StartNew();
        Assert.Equal(0, Kill(process.Id, 15));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"peering {command} did not stop after SIGTERM");

        // Well before the grace period, which ends the process without a report.
        Assert.True(signalled.Elapsed < ToolSignals.Grace / 2, $"stopped after {signalled.Elapsed}");
        Assert.Equal(143, process.ExitCode);
        Assert.Contains(said, stdout.Result + stderr.Result);
        if (command == "stats")
        {
            Assert.StartsWith("1 trace, 10 steps, ", stdout.Result);
        }
    }

    // Until a thread of the process waits in a read of our pipe (Linux's wchan), at most 30 s; elsewhere 3 s.
    // The runtime's signal thread always waits in a read of its own pipe: ours is the second.
    private static void WaitUntilReadingAPipe(int pid)
    {
        var tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            Thread.Sleep(3000);
            return;
        }

        // Twice in a row, 200 ms apart: a read that had part of the input may have been about to take the rest.
        var clock = Stopwatch.StartNew();
        var seen = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                seen = Directory.EnumerateDirectories(tasks).Count(t => File.ReadAllText(Path.Combine(t, "wchan")).Contains("pipe_read", StringComparison.Ordinal)) >= 2 ? seen + 1 : 0;
                if (seen == 2)
                {
                    return;
                }
            }
            catch (IOException)
            {
                // A thread that ended while listed.
            }

            Thread.Sleep(seen > 0 ? 200 : 50);
        }

        Assert.Fail("the process never waited in a pipe read");
    }

    // Runs `peering ARGS` through a shell (redirections, pipes, a file-size limit).
    private CliRun Shell(string args, int? limitKb = null, bool bash = false)
    {
        var peering = $"'{PeeringProcess.DotnetHost()}' '{PeeringProcess.Dll}'";
        var script = (limitKb is { } kb ? $"export DOTNET_EnableWriteXorExecute=0; ulimit -f {kb}; " : "") + $"{peering} {args}";
        var info = new ProcessStartInfo(bash ? "/bin/bash" : "/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _files.Directory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish in time");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
