using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace Peering.ReaderFuzz;

/// <summary>
/// Issue 6 item 2. The normal test run does a short campaign (a few seconds); the recorded one is
/// <c>PEERING_FUZZ_INPUTS=1000000 dotnet test tests/Peering.ReaderFuzz -c Release</c> (docs/benchmarks.md,
/// "Reader fuzzing"). Found inputs are saved under TestResults/reader-fuzz-bugs.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    private static long Setting(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string BugDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                return Path.Combine(dir.FullName, "TestResults", "reader-fuzz-bugs");
            }
        }

        return Path.Combine(Path.GetTempPath(), "reader-fuzz-bugs");
    }

    [Fact]
    public void Mutation_campaign_finds_no_unhandled_exception_and_no_hang()
    {
        var inputs = Setting("PEERING_FUZZ_INPUTS", 3_000);
        var seed = (int)Setting("PEERING_FUZZ_SEED", 6);
        var report = Campaign.Run(inputs, seed, Environment.ProcessorCount, BugDirectory());
        output.WriteLine($"seeds: {SeedCorpus.Source}");
        output.WriteLine($"seed {seed}: {report}");
        foreach (var bug in report.Bugs.Take(5))
        {
            output.WriteLine($"{bug.Input.Recipe}\n{bug.What}\n");
        }

        Assert.Equal(inputs, report.Inputs);
        Assert.Empty(report.Bugs);

        // The inputs reach past the parser: some are well-formed (agreeing or not), most are malformed.
        Assert.True(report.Malformed > inputs / 4, report.ToString());
        Assert.True(report.Agrees + report.Diverges > inputs / 50, report.ToString());
    }

    [Fact]
    public void Mutated_lines_never_crash_the_readers_shrinking_property()
    {
        // CsCheck draws (trace, line, plan) and, on a failure, shrinks towards fewer and smaller mutations.
        var traces = SeedCorpus.Traces;
        var genMutation = Gen.Select(Gen.Int[0, Mutator.KindCount - 1], Gen.UInt, Gen.UInt, Gen.UInt,
            (kind, a, b, c) => new Mutation((MutationKind)kind, a, b, c));
        var gen = Gen.Select(Gen.Int[0, traces.Count - 1], Gen.Int[0, 23], Gen.Int[0, 1 << 20], genMutation.Array[1, 4], Gen.Bool);
        gen.Sample((t, k, p, plan, alone) =>
            {
                var trace = traces[t];
                var line = k % trace.Length;
                var partner = traces[p % traces.Count][p % traces[p % traces.Count].Length];
                var mutated = Mutator.Apply(trace[line], partner, plan);
                byte[] input = alone ? mutated : [.. trace[..line].SelectMany(l => l.Append((byte)'\n')), .. mutated, (byte)'\n'];
                ReaderTarget.Read("prop.jsonl", input);
                ReaderTarget.ParseLine(mutated);
            },
            iter: Setting("PEERING_FUZZ_CSCHECK_ITER", 600),
            seed: Environment.GetEnvironmentVariable("PEERING_FUZZ_CSCHECK_SEED"),
            print: x => $"trace {x.Item1} line {x.Item2} partner {x.Item3} alone {x.Item5}: {string.Join(' ', x.Item4)}");
    }

    [Fact]
    public void Every_mutation_kind_changes_a_reference_line()
    {
        var line = SeedCorpus.Traces[0][1];
        var partner = SeedCorpus.Traces[^1][0];
        foreach (var kind in Enum.GetValues<MutationKind>())
        {
            var changed = Enumerable.Range(0, 20).Count(i =>
                !Mutator.Apply(line, partner, [new Mutation(kind, (uint)(i * 7919), (uint)(i * 104729), (uint)i)]).AsSpan().SequenceEqual(line));
            Assert.True(changed >= 10, $"{kind} changed the line {changed} times out of 20");
        }
    }
}
