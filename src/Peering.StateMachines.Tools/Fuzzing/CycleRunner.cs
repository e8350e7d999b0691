namespace Peering.StateMachines.Tools;

/// <summary>What one cycle did: steps run, a hash of its last snapshot, and its failure if any.</summary>
/// <param name="Steps">Steps completed (a step that threw is not counted).</param>
/// <param name="FinalHash">FNV-1a of the canonical encoding of the last snapshot: the campaign digest's ingredient.</param>
/// <param name="Cancelled">The cycle was interrupted before its end; nothing else in the outcome counts.</param>
public sealed record CycleOutcome(CycleSpec Spec, long Steps, ulong FinalHash, CycleFailure? Failure, bool Cancelled);

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// Runs fuzz cycles: steps the cycle's trace in process through the in-place step, evaluates every
    /// declared invariant after every step (and the required checks), and, unless the round trip is off,
    /// verifies each step through its JSONL line (<see cref="RoundTripVerifier"/>). The first failing
    /// step ends the cycle. One runner per thread; it reuses its buffers across cycles.
    /// </summary>
    public sealed class CycleRunner
    {
        private const int ProgressEvery = 1024;

        private readonly FuzzSettings _settings;
        private readonly IEventSource<TSnapshot, TEvent>? _source;
        private readonly int[] _required;
        private readonly StepEncoder _encoder = new();
        private readonly RoundTripVerifier _verifier = new();
        private readonly CanonicalWriter _canonical = new(4096);

        // The last snapshot checked: a step that changed nothing returns the same instance, which needs no second look.
        private TSnapshot? _checked;
        private TChecks? _checks;

        /// <summary>A runner for <paramref name="settings"/>' checks, drawing events from <paramref name="source"/> (null: only <see cref="RunEvents"/>).</summary>
        /// <exception cref="ArgumentException">A required check is not a check of the machine.</exception>
        public CycleRunner(FuzzSettings settings, IEventSource<TSnapshot, TEvent>? source)
        {
            _settings = source is null ? settings : settings with { Profile = settings.Profile ?? source.Profiles[0] };
            _source = source;
            _required = CheckIndices(settings.RequiredChecks);
        }

        /// <summary>
        /// Runs <paramref name="spec"/>. With <paramref name="record"/>, the trace is written there as
        /// it goes (every step line up to and including a failing one, then the summary line).
        /// <paramref name="progress"/> receives completed steps in batches.
        /// </summary>
        public CycleOutcome Run(CycleSpec spec, CancellationToken cancellation = default, Stream? record = null, Action<long>? progress = null) =>
            Run(SteppedTrace.Generated(_source ?? throw new InvalidOperationException("this runner has no event source"), _settings.Profile!, spec.Seed, spec.EventsBound), spec, cancellation, record, progress);

        /// <summary>Runs a fixed event sequence with the same checks (the shrinker's test); the summary line carries <paramref name="seed"/>.</summary>
        public CycleOutcome RunEvents(IReadOnlyList<TEvent> events, ulong seed = 0, Stream? record = null) =>
            Run(SteppedTrace.Of(events, seed), new CycleSpec(0, seed, events.Count - 1), CancellationToken.None, record, null);

        private CycleOutcome Run(SteppedTrace trace, CycleSpec spec, CancellationToken cancellation, Stream? record, Action<long>? progress)
        {
            var encode = _settings.RoundTrip || record is not null;
            var checksNeeded = encode || _required.Length > 0;
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
                    failure = CycleFailure.Threw(trace.Step, EventName(trace.Event), x);
                    if (record is not null)
                    {
                        // The event that threw, as a step that changes nothing: replaying it throws again.
                        WriteLine(record, _encoder.EncodeStep(trace.Step, trace.From, trace.From, trace.Event, trace.Before, TContract.EvaluateChecks(trace.Before), []));
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
                WriteLine(record, _encoder.EncodeSummary(trace.Seed, steps));
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

            var checks = checksNeeded ? _checks ??= TContract.EvaluateChecks(after) : default;
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
                var violations = TContract.InvariantViolations(after);
                if (violations != 0)
                {
                    return CycleFailure.Violation(trace.Step, EventName(trace.Event), TContract.Definition, violations);
                }

                _checked = after;
            }

            foreach (var check in _required)
            {
                if (!TContract.CheckValue(checks, check))
                {
                    return CycleFailure.CheckFalse(trace.Step, EventName(trace.Event), TContract.Definition.Checks[check]);
                }
            }

            return _settings.RoundTrip
                ? _verifier.Verify(line, trace.Event, trace.From, trace.To, after, checks, trace.Effects)
                : null;
        }

        private ulong Hash(TSnapshot snapshot) => HashOf(_canonical, snapshot);

        /// <summary>FNV-1a of the canonical encoding of <paramref name="snapshot"/> (written with <paramref name="canonical"/>): a cycle's <see cref="CycleOutcome.FinalHash"/>.</summary>
        internal static ulong HashOf(CanonicalWriter canonical, TSnapshot snapshot)
        {
            canonical.Reset();
            TContract.WriteCanonical(canonical, snapshot);
            var hash = 0xCBF29CE484222325UL;
            foreach (var b in canonical.Written)
            {
                hash = (hash ^ b) * 0x100000001B3UL;
            }

            return hash;
        }
    }

    /// <summary>The indices of the named checks.</summary>
    /// <exception cref="ArgumentException">A name is not a check of the machine.</exception>
    public static int[] CheckIndices(IReadOnlyList<string> names) => [.. names.Select(name =>
    {
        var i = TContract.Definition.Checks.IndexOf(name);
        return i >= 0 ? i : throw new ArgumentException($"'{name}' is not a check of {TContract.Definition.Name} (its checks: {string.Join(", ", TContract.Definition.Checks)})");
    })];
}
