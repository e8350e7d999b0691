using System.CommandLine;
using Peering.Fuzzing;
using Peering.Machine;
using Peering.Shrinking;
using Peering.Traces;

namespace Peering.Cli.Commands;

/// <summary><c>peering shrink TRACE -o OUT</c>: the smallest trace that still fails the same way.</summary>
public static class ShrinkCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var trace = new Argument<string>("trace") { Description = "A failing trace (.jsonl, .jsonl.gz, or - for standard input)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the shrunk trace (- for standard output)", Required = true, HelpName = "OUT" };
        var image = new Option<bool>("--require-image-invariant") { Description = "Count after_checks.image_invariant == false as a failure" };
        var maxTests = new Option<int>("--max-tests") { Description = "Try at most this many candidate traces", DefaultValueFactory = _ => 100_000 };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Stop shrinking after this long, keeping the best trace so far", DefaultValueFactory = _ => 300 };
        var command = new Command("shrink", "Reduce a failing trace (a divergence, an invariant violation, a round-trip failure) to a minimal one that fails the same way")
        {
            trace, output, image, maxTests, maxSeconds,
        };
        command.SetAction(r => Run(
            r.GetValue(trace)!,
            r.GetValue(output)!,
            new ShrinkOptions { RequireImageInvariant = r.GetValue(image), MaxTests = r.GetValue(maxTests), MaxTime = TimeSpan.FromSeconds(r.GetValue(maxSeconds)) },
            PeeringReducer.Instance,
            Console.Out,
            Console.Error));
        return command;
    }

    /// <summary>Shrinks <paramref name="path"/> into <paramref name="outputPath"/>; the exit code.</summary>
    internal static int Run(string path, string outputPath, ShrinkOptions options, IReducer reducer, TextWriter stdout, TextWriter stderr)
    {
        IReadOnlyList<TraceInput> inputs;
        try
        {
            inputs = TraceInput.Expand([path]);
        }
        catch (FileNotFoundException e)
        {
            return CommandLine.UsageError(e.Message);
        }

        if (inputs.Count != 1)
        {
            return CommandLine.UsageError($"{path}: shrink takes one trace file");
        }

        ShrinkResult result;
        try
        {
            result = new Shrinker(reducer, options).Shrink(inputs[0]);
        }
        catch (MalformedTraceException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Malformed;
        }
        catch (NothingToShrinkException e)
        {
            stderr.WriteLine($"peering: {path}: {e.Message}");
            return ExitCodes.Usage;
        }

        var report = outputPath == "-" ? stderr : stdout;
        try
        {
            if (outputPath == "-")
            {
                using var stdoutStream = Console.OpenStandardOutput();
                stdoutStream.Write(result.Trace);
            }
            else
            {
                AtomicFile.Write(PhysicalFileSystem.Instance, outputPath, result.Trace);
            }
        }
        catch (OutputException e)
        {
            stderr.WriteLine($"peering: {e.Message}");
            return ExitCodes.Output;
        }

        report.WriteLine($"failure: {result.Original}");
        report.WriteLine($"shrunk {result.OriginalSteps} steps to {result.KeptSteps} ({result.Tests} candidates tried in {result.Elapsed.TotalSeconds:F1} s{(result.BudgetExhausted ? ", budget exhausted" : "")}): {result.Shrunk.Describe()}");
        report.WriteLine($"wrote {(outputPath == "-" ? "standard output" : outputPath)}");
        return ExitCodes.Ok;
    }
}
