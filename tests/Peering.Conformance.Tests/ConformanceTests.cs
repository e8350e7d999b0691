using System.IO.Compression;
using System.Security.Cryptography;
using Peering.Checks;
using Peering.Machine;

namespace Peering.Conformance.Tests;

/// <summary>
/// The definition of correct: every reference trace (lean-core and full from the reference
/// generator, wide from wider event sequences) replays with zero divergences, is rewritten byte for
/// byte, and is reproduced step by step by the pure snapshot-first step as well as the fast path.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string> Traces => new(ReferenceCorpus.Traces());

    private static string PathOf(string trace) => Path.Combine(ReferenceCorpus.Directory!, trace);

    private static byte[] Raw(string trace)
    {
        using var gz = new GZipStream(File.OpenRead(PathOf(trace)), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gz.CopyTo(raw);
        return raw.ToArray();
    }

    [CorpusFact]
    public void The_corpus_is_complete_and_unchanged()
    {
        var manifest = ReferenceCorpus.Manifest();
        var traces = ReferenceCorpus.Traces().ToList();
        Assert.Equal(500, traces.Count);
        Assert.Equal(traces.Order(), manifest.Keys.Order());
        Assert.Equal(80_817, manifest.Values.Sum(v => v.Steps));
        foreach (var trace in traces)
        {
            Assert.Equal(manifest[trace].Sha256, Convert.ToHexStringLower(SHA256.HashData(Raw(trace))));
        }
    }

    [CorpusTheory]
    [MemberData(nameof(Traces))]
    public void Replays_with_zero_divergences(string trace)
    {
        var report = new PeeringTools.Replayer().Run([TraceInput.File(PathOf(trace))]);
        Assert.Null(report.Divergence);
        Assert.Equal(ReferenceCorpus.Manifest()[trace].Steps, report.Steps);
        Assert.Equal(1, report.Traces);
    }

    [CorpusTheory]
    [MemberData(nameof(Traces))]
    public void Rewrites_byte_for_byte(string trace)
    {
        using var output = new MemoryStream();
        new PeeringTools.Replayer(output).Run([TraceInput.File(PathOf(trace))]);
        var expected = Raw(trace);
        var actual = output.ToArray();
        var firstDifference = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(firstDifference == expected.Length && actual.Length == expected.Length, $"first differing byte at offset {firstDifference}");
    }

    [CorpusTheory]
    [MemberData(nameof(Traces))]
    public void The_pure_step_reproduces_every_step_and_the_safety_invariants_hold(string trace)
    {
        var cursor = PgSnapshot.Fresh;
        foreach (var line in PeeringTools.TraceReader.ReadSteps(TraceInput.File(PathOf(trace))))
        {
            var step = line.Step;
            Assert.Equal(step.Before, cursor);
            var result = PeeringMachine.Step(cursor, step.Event);
            Assert.Same(cursor, result.Before);
            Assert.Equal(step.FromState, result.From);
            Assert.Equal(step.ToState, result.To);
            Assert.Equal(step.After, result.After);
            Assert.Equal(step.Effects, result.Effects);
            Assert.Equal(step.AfterChecks, PeeringMachine.EvaluateChecks(result.After));

            // The pure step without effects (explore's) on the same thread's machine: the same after, states and moves.
            var after = PeeringMachine.Step(cursor, step.Event, out var from, out var to, out var moves);
            Assert.Equal(step.After, after);
            Assert.Equal((step.FromState, step.ToState), (from, to));
            Assert.Equal(result.Moves, moves.ToArray());

            // I1-I8 hold on every produced snapshot; the traced image_invariant adds the blob-metadata item.
            var invariants = PeeringMachine.EvaluateInvariants(result.After);
            Assert.True(invariants.AllHold, $"line {line.Line}: {string.Join(", ", invariants.Violations())}");
            Assert.Equal(step.AfterChecks.ImageInvariant, ImageSafety.BlobMetaMatchesCensus(result.After, Recomputed.Of(result.After)));
            cursor = result.After;
        }
    }

    [CorpusFact]
    // shared/README.md says about 600 steps; the traces themselves have after_checks.image_invariant
    // false on 346 step lines (391 lines counting before_checks too), all in wide. The traces are right.
    public void Blob_metadata_makes_image_invariant_false_on_exactly_346_wide_steps_and_never_elsewhere()
    {
        var falseBySet = ReferenceCorpus.Sets.ToDictionary(s => s, _ => 0);
        foreach (var trace in ReferenceCorpus.Traces())
        {
            foreach (var line in PeeringTools.TraceReader.ReadSteps(TraceInput.File(PathOf(trace))))
            {
                if (!line.Step.AfterChecks.ImageInvariant)
                {
                    falseBySet[trace.Split('/')[0]]++;
                }
            }
        }

        Assert.Equal(new Dictionary<string, int> { ["lean-core"] = 0, ["full"] = 0, ["wide"] = 346 }, falseBySet);
    }
}
