using Peering.Generation;
using Peering.Machine;
using Peering.StateMachines;
using Peering.Traces;

namespace Peering.Fuzzing;

/// <summary>What one cycle did: steps run, a hash of its last snapshot, and its failure if any.</summary>
/// <param name="Steps">Steps completed (a step that threw is not counted).</param>
/// <param name="FinalHash">FNV-1a of the canonical encoding of the last snapshot: the campaign digest's ingredient.</param>
/// <param name="Cancelled">The cycle was interrupted before its end; nothing else in the outcome counts.</param>
public sealed record CycleOutcome(CycleSpec Spec, long Steps, ulong FinalHash, CycleFailure? Failure, bool Cancelled);

/// <summary>
/// Runs fuzz cycles: generates the cycle's trace in process through the fast path, evaluates every
/// declared invariant after every step (and <c>image_invariant</c> when required), and, unless the
/// round trip is off, verifies each step through its JSONL line (<see cref="RoundTripVerifier"/>).
/// The first failing step ends the cycle. One runner per thread; it reuses its buffers across cycles.
/// </summary>
public sealed class CycleRunner
{
    private const int ProgressEvery = 1024;

    private readonly FuzzSettings _settings;
    private readonly IReducer _reducer;
    private readonly StepEncoder _encoder = new();
    private readonly RoundTripVerifier _verifier;
    private readonly CanonicalWriter _canonical = new(4096);

    // The last snapshot checked: a step that changed nothing returns the same instance, which needs no second look.
    private PgSnapshot? _checked;
    private PeeringMachineChecks? _checks;

    /// <summary>A runner for <paramref name="settings"/>' checks, stepping <paramref name="reducer"/>.</summary>
    public CycleRunner(FuzzSettings settings, IReducer? reducer = null)
    {
        _settings = settings;
        _reducer = reducer ?? PeeringReducer.Instance;
        _verifier = new RoundTripVerifier(_reducer);
    }

    /// <summary>
    /// Runs <paramref name="spec"/>. With <paramref name="record"/>, the trace is written there as
    /// it goes (every step line up to and including a failing one, then the summary line).
    /// <paramref name="progress"/> receives completed steps in batches.
    /// </summary>
    public CycleOutcome Run(CycleSpec spec, CancellationToken cancellation = default, Stream? record = null, Action<long>? progress = null) =>
        Run(new GeneratedTrace(_settings.Profile, spec.Seed, spec.EventsBound, _reducer), spec, cancellation, record, progress);

    /// <summary>Runs a fixed event sequence with the same checks (the shrinker's test); the summary line carries <paramref name="seed"/>.</summary>
    public CycleOutcome RunEvents(IReadOnlyList<PgEvent> events, ulong seed = 0, Stream? record = null) =>
        Run(new EventListTrace(events, _reducer), new CycleSpec(0, seed, events.Count - 1), CancellationToken.None, record, null);

    private CycleOutcome Run(SteppedTrace trace, CycleSpec spec, CancellationToken cancellation, Stream? record, Action<long>? progress)
    {
        var encode = _settings.RoundTrip || record is not null;
        var checksNeeded = encode || _settings.RequireImageInvariant;
        _encoder.Reset();
        _verifier.Reset();
        _checked = null;
        CycleFailure? failure = null;
        long steps = 0;
        long reported = 0;
        while (failure is null)
        {
            try
            {
                if (!trace.MoveNext())
                {
                    break;
                }

                failure = Check(trace, checksNeeded, encode, record);
            }
            catch (Exception x) when (x is not OperationCanceledException)
            {
                failure = CycleFailure.Threw(trace.Step, trace.Event, x);
                if (record is not null)
                {
                    // The event that threw, as a step that changes nothing: replaying it throws again.
                    WriteLine(record, _encoder.EncodeStep(trace.Step, trace.From, trace.From, trace.Event, trace.Before, PeeringMachine.EvaluateChecks(trace.Before), []));
                    steps++;
                }

                break;
            }

            steps++;
            if (steps - reported == ProgressEvery)
            {
                progress?.Invoke(ProgressEvery);
                reported = steps;
                if (cancellation.IsCancellationRequested)
                {
                    return new CycleOutcome(spec, steps, 0, null, Cancelled: true);
                }
            }
        }

        progress?.Invoke(steps - reported);
        if (record is not null)
        {
            WriteLine(record, _encoder.EncodeSummary(spec.Seed, steps));
        }

        return new CycleOutcome(spec, steps, Hash(trace.After), failure, Cancelled: false);
    }

    private static void WriteLine(Stream record, ReadOnlySpan<byte> line)
    {
        record.Write(line);
        record.WriteByte((byte)'\n');
    }

    private CycleFailure? Check(SteppedTrace trace, bool checksNeeded, bool encode, Stream? record)
    {
        var after = trace.After;
        var unchanged = ReferenceEquals(after, _checked);
        if (!unchanged)
        {
            _checked = null;
            _checks = null;
        }

        var checks = checksNeeded ? _checks ??= PeeringMachine.EvaluateChecks(after) : default;
        var line = encode
            ? _encoder.EncodeStep(trace.Step, trace.From, trace.To, trace.Event, after, checks, trace.Effects)
            : default;
        if (record is not null)
        {
            WriteLine(record, line);
        }

        if (!unchanged)
        {
            // The previous step's snapshot passed, or the cycle would have ended there.
            var invariants = PeeringMachine.EvaluateInvariants(after);
            if (!invariants.AllHold)
            {
                return CycleFailure.Violation(trace.Step, trace.Event, invariants);
            }

            _checked = after;
        }

        if (_settings.RequireImageInvariant && !checks.ImageInvariant)
        {
            return CycleFailure.ImageInvariantFalse(trace.Step, trace.Event);
        }

        return _settings.RoundTrip
            ? _verifier.Verify(line, trace.Event, trace.From, trace.To, after, checks, trace.Effects)
            : null;
    }

    private ulong Hash(PgSnapshot snapshot)
    {
        _canonical.Reset();
        PeeringMachineJson.WriteCanonical(_canonical, snapshot);
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in _canonical.Written)
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }
}
