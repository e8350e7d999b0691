using System.Diagnostics;
using System.Text;

using Peering.TestSupport;

namespace Peering.StateMachines.Tools.Tests.External;

/// <summary>One bounded run of an external program: nothing it does can hang or exhaust the caller.</summary>
public sealed class ExternalRunTests
{
    private static readonly ExternalLimits Generous = new(TimeSpan.FromSeconds(30), 1L << 30);

    private static (ExternalResult Result, byte[] Output, TimeSpan Elapsed) Run(string script, ExternalLimits? limits = null, Action<Stream>? input = null, Stream? copy = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        using var run = ExternalRun.Start("/bin/sh", ["/bin/sh", "-c", script], limits ?? Generous, input, copy, cancel);
        using var output = new MemoryStream();
        run.Output.CopyTo(output);
        var result = run.Finish();
        return (result, output.ToArray(), clock.Elapsed);
    }

    [PosixFact]
    public void It_gives_the_exit_code_the_output_and_the_end_of_standard_error()
    {
        // 20,000 numbered lines on stderr (more than is kept), a line on stdout, exit 7.
        var (result, output, _) = Run("i=0; while [ $i -lt 20000 ]; do echo \"line $i\" >&2; i=$((i+1)); done; echo out; exit 7");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", Encoding.UTF8.GetString(output));
        Assert.Equal(4L, result.OutputBytes);
        var all = string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i}\n"));
        Assert.Equal(all.Length, result.StderrBytes);
        Assert.Equal("…" + all[^ExternalLimits.StderrKept..], result.Stderr);
        Assert.False(result.TimedOut || result.OutputLimitExceeded || result.Cancelled);
        Assert.Null(result.StartError);
    }

    [PosixFact]
    public void Output_beyond_the_limit_is_cut_at_the_limit_and_the_program_killed()
    {
        var (result, output, elapsed) = Run("exec yes", Generous with { MaxOutputBytes = 1 << 20 });
        Assert.Equal(1 << 20, output.Length);
        Assert.Equal(1 << 20, result.OutputBytes);
        Assert.True(result.OutputLimitExceeded);
        Assert.Equal(128 + 9, result.ExitCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(20));
    }

    [PosixFact]
    public void A_program_that_does_not_end_is_killed_at_the_timeout()
    {
        var (result, _, elapsed) = Run("exec sleep 100", Generous with { Timeout = TimeSpan.FromMilliseconds(500) });
        Assert.True(result.TimedOut);
        Assert.False(result.OutputHeldOpen);
        Assert.InRange(elapsed.TotalSeconds, 0.5, 20);
    }

    [PosixFact]
    public void A_descendant_holding_the_output_open_ends_the_run_at_the_timeout()
    {
        var (result, output, elapsed) = Run("(sleep 6 &); echo done", Generous with { Timeout = TimeSpan.FromSeconds(1) });
        Assert.Equal("done\n", Encoding.UTF8.GetString(output));
        Assert.True(result.TimedOut);
        Assert.True(result.OutputHeldOpen);
        Assert.InRange(elapsed.TotalSeconds, 1, 5);
    }

    [PosixFact]
    public void Cancelling_kills_the_program()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var (result, _, elapsed) = Run("exec sleep 100", cancel: cancel.Token);
        Assert.True(result.Cancelled);
        Assert.False(result.TimedOut);
        Assert.True(elapsed < TimeSpan.FromSeconds(20));
    }

    [PosixFact]
    public void Input_is_written_while_output_is_read_and_the_output_is_copied()
    {
        // More than a pipe holds in both directions: writing and reading must overlap.
        var lines = string.Concat(Enumerable.Range(0, 100_000).Select(i => $"event {i}\n"));
        using var copy = new MemoryStream();
        var (result, output, _) = Run("exec cat", input: s => s.Write(Encoding.UTF8.GetBytes(lines)), copy: copy);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(lines, Encoding.UTF8.GetString(output));
        Assert.Equal(output, copy.ToArray());
    }

    [Fact]
    public void A_program_that_cannot_start_gives_an_empty_output_and_the_reason()
    {
        using var run = ExternalRun.Start("/no/such/program", ["/no/such/program"], Generous, null, null, default);
        Assert.Equal(0, run.Output.Read(new byte[16]));
        var result = run.Finish();
        Assert.NotNull(result.StartError);
        Assert.Null(result.ExitCode);
    }
}
