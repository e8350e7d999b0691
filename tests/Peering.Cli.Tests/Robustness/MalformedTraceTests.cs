using System.Text;
using System.Text.RegularExpressions;

namespace Peering.Cli.Tests.Robustness;

/// <summary>
/// Issue 6 item 1 through the real command: every malformed input is exit code 3 with exactly one
/// line on standard error, <c>FILE:LINE:COLUMN: problem (JSON path)</c>, and nothing on standard
/// output; a well-formed trace that disagrees is exit 1; blank lines are skipped (docs/trace-input.md).
/// </summary>
public sealed class MalformedTraceTests : IDisposable
{
    private readonly TraceFiles _files = new();

    public static TheoryData<string> Cases => MalformedCases.Names();

    public void Dispose() => _files.Dispose();

    private string Write(MalformedCase c) => _files.WriteBytes(c.FileName, c.Bytes);

    private static void AssertMalformed(CliRun run, string expectedLine)
    {
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        Assert.Equal([expectedLine], run.ErrorLines);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Replay_rejects_it_with_one_located_line(string name)
    {
        var c = MalformedCases.Get(name);
        var path = Write(c);
        AssertMalformed(PeeringProcess.Run(["replay", path]), c.ExpectedMessage(path));
    }

    [Fact]
    public void A_100_MB_line_is_an_error_in_bounded_memory()
    {
        // 100 MB without a newline, read with the GC heap capped at 128 MB: holding the line would fail.
        var path = Path.Combine(_files.Directory, "long-line.jsonl");
        using (var file = File.Create(path))
        {
            file.Write("{\"kind\":\"step\",\"pad\":\""u8);
            var chunk = new byte[1 << 20];
            chunk.AsSpan().Fill((byte)'a');
            for (var i = 0; i < 100; i++)
            {
                file.Write(chunk);
            }
        }

        var run = PeeringProcess.Run(["replay", path], new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x8000000" });
        AssertMalformed(run, $"{path}:1:1: line longer than {LineReader.DefaultMaxLineBytes} bytes");
    }

    [Fact]
    public void A_gzip_stream_cut_in_the_middle_is_an_error()
    {
        var gz = MalformedCases.Gzip(Encoding.UTF8.GetBytes(string.Concat(TraceFiles.Lines.Select(l => l + "\n"))));
        var path = _files.WriteBytes("half.jsonl.gz", gz[..(gz.Length / 2)]);
        var run = PeeringProcess.Run(["replay", path]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Matches("^" + Regex.Escape(path) + @":\d+:1: corrupt gzip stream: truncated, or more than one gzip member \(the trailer does not match the data\)$", line);
    }

    [Fact]
    public void A_gzip_stream_with_corrupt_data_is_an_error()
    {
        var gz = MalformedCases.Gzip(Encoding.UTF8.GetBytes(string.Concat(TraceFiles.Lines.Select(l => l + "\n"))));
        for (var i = gz.Length / 3; i < gz.Length / 3 + 16; i++)
        {
            gz[i] ^= 0x5A;
        }

        var run = PeeringProcess.Run(["replay", _files.WriteBytes("corrupt.jsonl.gz", gz)]);
        Assert.Equal(ExitCodes.Malformed, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Matches(@"^\S+corrupt\.jsonl\.gz:\d+:\d+: \S", line);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_trace_that_disagrees_is_a_divergence_not_malformed()
    {
        var (path, recorded) = _files.WriteDisagreeing("disagrees.jsonl");
        var reset = recorded - 1;

        var run = PeeringProcess.Run(["replay", path]);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.StartsWith($"divergence at {path}:4: step 3 (", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("after snapshot differs", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"$.after.last_peering_reset: expected {reset + 1}, actual {reset}", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_and_crlf_line_ends_are_skipped()
    {
        var lines = TraceFiles.Lines;
        var text = new StringBuilder("\n   \n");
        foreach (var line in lines)
        {
            text.Append(line).Append("\r\n").Append(" \t \r\n");
        }

        var path = _files.WriteBytes("blank.jsonl", Encoding.UTF8.GetBytes(text.Append("\t").ToString()));
        var run = PeeringProcess.Run(["replay", path]);
        Assert.Equal("", run.Stderr);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith($"replay ok: 1 file, {lines.Length - 1} steps in ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_of_several_traces_replays_each_from_the_fresh_snapshot()
    {
        var a = TraceFiles.Lines;
        var b = TraceFiles.Generate(2, 9);
        var c = TraceFiles.Generate(3, 5);

        // a and b end with their summaries; c follows b's last step directly (a summary is optional).
        var path = _files.Write("stream.jsonl", [.. a, .. b[..^1], .. c]);
        var run = PeeringProcess.Run(["replay", path]);
        Assert.Equal("", run.Stderr);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith($"replay ok: 1 file, {a.Length - 1 + b.Length - 1 + c.Length - 1} steps in ", run.Stdout, StringComparison.Ordinal);

        // Gzip of the same stream.
        var gz = _files.WriteBytes("stream.jsonl.gz", MalformedCases.Gzip(File.ReadAllBytes(path)));
        var zipped = PeeringProcess.Run(["replay", gz]);
        Assert.Equal(ExitCodes.Ok, zipped.ExitCode);
        Assert.StartsWith($"replay ok: 1 file, {a.Length - 1 + b.Length - 1 + c.Length - 1} steps in ", zipped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void One_malformed_file_among_several_fails_the_run_at_that_file()
    {
        var good = _files.Write("a-good.jsonl", TraceFiles.Lines);
        var empty = _files.WriteBytes("b-empty.jsonl", []);
        AssertMalformed(PeeringProcess.Run(["replay", good, empty]), $"{empty}:1:1: empty trace: no step lines");
    }
}

/// <summary>
/// The same catalogue through the library's two readers, <see cref="Replayer"/> (replay) and
/// <see cref="PeeringTools.TraceReader.ReadSteps"/> (stats, shrink, diagram coverage): both reject every case
/// with the same report, and both accept what replay accepts.
/// </summary>
public sealed class TraceReaderMalformedTests : IDisposable
{
    private readonly TraceFiles _files = new();

    public static TheoryData<string> Cases => MalformedCases.Names();

    public void Dispose() => _files.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Both_readers_report_the_same_line(string name)
    {
        var c = MalformedCases.Get(name);
        var path = _files.WriteBytes(c.FileName, c.Bytes);
        var expected = c.ExpectedMessage(path);

        var replay = Assert.Throws<MalformedTraceException>(() => new PeeringTools.Replayer().Run([TraceInput.File(path)]));
        Assert.Equal(expected, replay.Message);
        var read = Assert.Throws<MalformedTraceException>(() => PeeringTools.TraceReader.ReadSteps(TraceInput.File(path)).ToList());
        Assert.Equal(expected, read.Message);
        Assert.Equal(c.Line, read.Line);
        Assert.Equal(c.Column, read.Column);
    }

    [Fact]
    public void TraceReader_returns_every_step_of_a_stream_with_its_line()
    {
        var a = TraceFiles.Lines;
        var b = TraceFiles.Generate(2, 9);
        var path = _files.Write("stream.jsonl", ["", .. a, " ", .. b]);
        var steps = PeeringTools.TraceReader.ReadSteps(TraceInput.File(path)).ToList();
        Assert.Equal(a.Length - 1 + b.Length - 1, steps.Count);
        Assert.Equal(2, steps[0].Line);
        Assert.Equal(0, steps[0].Step.Step);
        Assert.Equal(a.Length + 3, steps[a.Length - 1].Line);
        Assert.Equal(0, steps[a.Length - 1].Step.Step);
    }

    [Fact]
    public void Reports_are_one_bounded_line_whatever_the_input_holds()
    {
        var key = "k\u2028" + new string('x', 10_000) + "\n";
        var e = new MalformedTraceException("f", 1, 2, $"unknown key '{key}'", "$.a\nb");
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\u2028', e.Message);
        Assert.StartsWith("f:1:2: unknown key 'k\\u2028xxx", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("… ($.a\\u000ab)", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 2 * MalformedTraceException.MaxShownLength);
    }
}
