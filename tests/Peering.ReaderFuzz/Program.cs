using System.Globalization;

namespace Peering.ReaderFuzz;

/// <summary>
/// Runs the harness outside the test runner:
/// <c>dotnet Peering.ReaderFuzz.dll campaign N [SEED]</c> runs a mutation campaign of N inputs and
/// prints its report; <c>dotnet Peering.ReaderFuzz.dll afl</c> is the SharpFuzz entry point for
/// AFL++ (coverage-guided; docs/benchmarks.md "Reader fuzzing" has the commands). The test runner
/// does not use this entry point (GenerateProgramFile is off so that this one is the program's).
/// </summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "afl":
                // One input per run of the delegate, as a whole trace file; anything but the
                // documented exceptions escapes and AFL++ records a crash.
                SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    var bytes = buffer.ToArray();
                    ReaderTarget.Read(bytes.Length > 1 && bytes[0] == 0x1f && bytes[1] == 0x8b ? "afl.jsonl.gz" : "afl.jsonl", bytes);
                    ReaderTarget.ParseLine(bytes);
                });
                return 0;
            case "seeds" when args.Length > 1:
                // Writes a starting corpus for AFL++: single reference lines and short trace prefixes.
                Directory.CreateDirectory(args[1]);
                var n = 0;
                foreach (var trace in SeedCorpus.Traces.Take(12))
                {
                    File.WriteAllBytes(Path.Combine(args[1], $"line-{n}.jsonl"), trace[Math.Min(1, trace.Length - 1)]);
                    File.WriteAllBytes(Path.Combine(args[1], $"prefix-{n}.jsonl"), [.. trace.Take(3).SelectMany(l => l.Append((byte)'\n'))]);
                    n++;
                }

                return 0;
            case "campaign" when args.Length > 1:
                var inputs = long.Parse(args[1], CultureInfo.InvariantCulture);
                var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 6;
                var report = Campaign.Run(inputs, seed, Environment.ProcessorCount, Path.Combine(Directory.GetCurrentDirectory(), "reader-fuzz-bugs"));
                Console.WriteLine($"seeds: {SeedCorpus.Source}");
                Console.WriteLine($"seed {seed}: {report}");
                foreach (var bug in report.Bugs.Take(10))
                {
                    Console.WriteLine($"{bug.Input.Recipe}\n{bug.What}\n");
                }

                return report.Bugs.Count == 0 ? 0 : 1;
            default:
                Console.Error.WriteLine("usage: Peering.ReaderFuzz campaign N [SEED] | afl | seeds DIR");
                return 2;
        }
    }
}
