using System.CommandLine;
using System.IO.Compression;
using Peering.Traces;

namespace Peering.Cli.Commands;

/// <summary><c>peering replay PATH... | -</c>: re-executes every step of traces and reports the first divergence.</summary>
public static class ReplayCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Trace files (.jsonl, .jsonl.gz), directories of them, or - for standard input",
            Arity = ArgumentArity.OneOrMore,
        };
        var rewrite = new Option<string?>("--rewrite")
        {
            Description = "Write the trace this reducer produces from the same events to OUT (- for standard output; .gz compresses) instead of checking",
            HelpName = "OUT",
        };
        var command = new Command("replay", "Replay-check traces: re-execute each step and compare with what the trace says")
        {
            paths,
            rewrite,
        };
        command.SetAction(result => Run(result.GetValue(paths)!, result.GetValue(rewrite)));
        return command;
    }

    private static int Run(string[] paths, string? rewritePath)
    {
        IReadOnlyList<TraceInput> sources;
        try
        {
            sources = TraceInput.Expand(paths);
        }
        catch (FileNotFoundException e)
        {
            return CommandLine.UsageError(e.Message);
        }

        Stream? rewrite = null;
        try
        {
            rewrite = rewritePath switch
            {
                null => null,
                "-" => Console.OpenStandardOutput(),
                _ when rewritePath.EndsWith(".gz", StringComparison.Ordinal) => new GZipStream(File.Create(rewritePath), CompressionLevel.Optimal),
                _ => File.Create(rewritePath),
            };
            var buffered = rewrite is null ? null : new BufferedStream(rewrite, 1 << 16);
            var report = new Replayer(buffered).Run(sources);
            buffered?.Flush();
            if (report.Divergence is { } divergence)
            {
                Console.Out.WriteLine($"divergence at {divergence}");
            }

            var summary = $"{report.Files} files, {report.Steps} steps in {report.Elapsed.TotalSeconds:F2} s ({report.StepsPerSecond:F0} steps/s)";
            (rewritePath == "-" ? Console.Error : Console.Out).WriteLine(
                report.Divergence is null ? (rewritePath is null ? $"replay ok: {summary}" : $"rewrote {summary}") : $"replay failed: {summary}");
            return report.Divergence is null ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (MalformedTraceException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.Malformed;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"peering: {e.Message}");
            return ExitCodes.Output;
        }
        finally
        {
            rewrite?.Dispose();
        }
    }
}
