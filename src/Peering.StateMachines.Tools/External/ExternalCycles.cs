using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Peering.StateMachines.Tools;

/// <summary>How the cycles of a <c>replay-fuzz</c> campaign run the external program.</summary>
/// <param name="Command">The command line, with its placeholders.</param>
/// <param name="Program">Its first word, resolved to a path (checked before the campaign starts).</param>
/// <param name="SendsEvents">True: the program reads events on standard input (one compact JSON object per line, a trace step's <c>event</c> form) and writes their trace; false: it writes the trace of a (profile, seed, events) triple itself.</param>
public sealed record ExternalSettings(CommandTemplate Command, string Program, bool SendsEvents, ExternalLimits Limits);

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>An event sequence to send to an events-driven program (the events of a trace file), with the seed its summary gets.</summary>
    public sealed record EventSequence(string Name, ulong Seed, IReadOnlyList<TEvent> Events);

    /// <summary>
    /// The cycles of <c>replay-fuzz</c>: each cycle's trace comes from an external program and is
    /// streamed, as it is written, into this machine's replay checker. Either the program writes the
    /// trace of the cycle's (profile, seed, events bound) itself (a generator such as the reference's
    /// <c>cross_validate</c>), or it is sent events (generated here from the cycle's seed, or read from
    /// trace files) and writes their trace (an events-driven reducer such as <c>events_driver</c>).
    /// A cycle agrees when the program exits 0 having written exactly one trace, for the cycle's seed
    /// (and, when sent events, of exactly those events), ending with its summary line, every step of
    /// which this machine reproduces; anything else is the cycle's failure, and the program is killed
    /// when it runs out of time or writes too much.
    /// </summary>
    public sealed class ExternalCycles : ICampaignCycles
    {
        private readonly FuzzSettings _settings;
        private readonly ExternalSettings _external;
        private readonly IEventSource<TSnapshot, TEvent>? _source;
        private readonly IReadOnlyList<EventSequence>? _sequences;
        private readonly string _tool;
        private readonly int[] _required;
        private readonly bool _checkSeed;

        /// <summary>
        /// Cycles of <paramref name="settings"/>: the program writes each cycle's trace, or (when it is
        /// sent events) is sent the events <paramref name="source"/> generates for the cycle.
        /// </summary>
        /// <exception cref="ArgumentException">A required check is not a check of the machine.</exception>
        public ExternalCycles(FuzzSettings settings, ExternalSettings external, IEventSource<TSnapshot, TEvent> source, string tool)
            : this(settings with { Profile = settings.Profile ?? source.Profiles[0] }, external, source, null, tool)
        {
        }

        /// <summary>One cycle per sequence: the program is sent its events (cycle i, sequence i).</summary>
        /// <exception cref="ArgumentException">A required check is not a check of the machine, or the program is not sent events.</exception>
        public ExternalCycles(FuzzSettings settings, ExternalSettings external, IReadOnlyList<EventSequence> sequences, string tool)
            : this(settings with { Cycles = sequences.Count, Profile = settings.Profile ?? "" }, external, null, sequences, tool)
        {
            if (!external.SendsEvents)
            {
                throw new ArgumentException("event sequences need a program that is sent events", nameof(external));
            }
        }

        private ExternalCycles(FuzzSettings settings, ExternalSettings external, IEventSource<TSnapshot, TEvent>? source, IReadOnlyList<EventSequence>? sequences, string tool)
        {
            _settings = settings with { RoundTrip = false };
            _external = external;
            _source = source;
            _sequences = sequences;
            _tool = tool;
            _required = CheckIndices(settings.RequiredChecks);
            _checkSeed = external.Command.Uses("seed");
        }

        /// <summary>The settings, as completed (profile, cycles).</summary>
        public FuzzSettings Settings => _settings;

        /// <summary>How the program runs.</summary>
        public ExternalSettings External => _external;

        /// <summary>The event sequences sent, one per cycle; null when the cycles are generated.</summary>
        public IReadOnlyList<EventSequence>? Sequences => _sequences;

        /// <inheritdoc/>
        public string Format => FormatOf(_tool);

        /// <inheritdoc/>
        public CampaignParameters Parameters =>
            CampaignParameters.Of(_settings) with { Against = _external.Command.Text, Input = _external.SendsEvents ? "events" : "trace" };

        /// <summary>The summary format of <paramref name="tool"/>'s <c>replay-fuzz</c> campaigns.</summary>
        public static string FormatOf(string tool) => tool + "-replay-fuzz-summary/1";

        /// <inheritdoc/>
        public CycleSpec Spec(long index) =>
            _sequences is null ? _settings.Cycle(index) : new CycleSpec(index, _sequences[(int)index].Seed, _sequences[(int)index].Events.Count);

        /// <inheritdoc/>
        public ICycleWorker CreateWorker(FailureStore? store) => new Worker(this, store);

        /// <summary>The command line a failure record gives to reproduce cycle <paramref name="spec"/>.</summary>
        private string Reproduce(CycleSpec spec, string[] command)
        {
            var driver = CommandTemplate.Quote([_external.Command.Text]);
            return _sequences is not null
                ? $"{_tool} replay-fuzz --events-driver {driver} --events-of {CommandTemplate.Quote([_sequences[(int)spec.Index].Name])}"
                : _external.SendsEvents
                    ? $"{_tool} generate --profile {_settings.Profile} --seed {spec.Seed} --events {spec.EventsBound} | {_tool} replay-fuzz --events-driver {driver} --events-of -"
                    : $"{CommandTemplate.Quote(command)} | {_tool} replay -";
        }

        /// <summary>
        /// Sends <paramref name="events"/> to the program (it must be an events-driven one) and
        /// replay-checks what it writes; the failure, if any (<paramref name="output"/> receives what it
        /// wrote). This is a candidate test of <c>shrink --events-driver</c>.
        /// </summary>
        public CycleFailure? Check(IReadOnlyList<TEvent> events, ulong seed, Stream? output = null, CancellationToken cancellation = default)
        {
            var spec = new CycleSpec(0, seed, events.Count);
            return RunOnce(spec, events, output, cancellation, _ => { }, new CanonicalWriter(256)).Outcome.Failure;
        }

        // One run of the program for a cycle: its outcome (Cancelled when interrupted) and how the program ran.
        private (CycleOutcome Outcome, ExternalResult Result, string[] Command, string? CopyError) RunOnce(
            CycleSpec spec, IReadOnlyList<TEvent>? events, Stream? copy, CancellationToken cancellation, Action<long> progress, CanonicalWriter canonical)
        {
            var command = _external.Command.Expand(_settings.Profile!, spec.Seed, spec.EventsBound);
            var observer = new Observer(this, events, progress, cancellation);
            ExternalResult result;
            Divergence? divergence = null;
            MalformedTraceException? malformed = null;
            Exception? threwInReplay = null;
            bool killedDuringReplay;
            string? copyError;
            using (var run = ExternalRun.Start(_external.Program, command, _external.Limits, events is null ? null : s => WriteEvents(s, events), copy, cancellation))
            {
                try
                {
                    divergence = new Replayer(observer: observer).Run([TraceInput.FromStream("stdout", () => run.Output)]).Divergence;
                }
                catch (MalformedTraceException x)
                {
                    malformed = x;
                }
                catch (Exception x) when (x is not OutOfMemoryException)
                {
                    threwInReplay = x;
                }

                killedDuringReplay = run.Killed;
                result = run.Finish();
                copyError = run.CopyError;
            }

            observer.ReportProgress();
            if (result.Cancelled || (result.ExitCode is 130 or 143 && cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(1))))
            {
                // A Ctrl-C on a terminal reaches the program too, and may end it before this process
                // hears of it: an interrupt's casualty is not a failure.
                return (new CycleOutcome(spec, observer.Steps, 0, null, Cancelled: true), result, command, copyError);
            }

            var failure = Decide(spec, events, observer, result, divergence, malformed, killedDuringReplay, threwInReplay);
            return (new CycleOutcome(spec, observer.Steps, CycleRunner.HashOf(canonical, observer.LastAfter), failure, false), result, command, copyError);
        }

        private sealed class Worker(ExternalCycles cycles, FailureStore? store) : ICycleWorker
        {
            private readonly CanonicalWriter _canonical = new(4096);

            public CycleResult Run(CycleSpec spec, CancellationToken cancellation, Action<long> progress)
            {
                IReadOnlyList<TEvent>? events = null;
                if (cycles._external.SendsEvents)
                {
                    try
                    {
                        events = cycles._sequences is { } given ? given[(int)spec.Index].Events : cycles.Generate(spec);
                    }
                    catch (Exception x) when (x is not OutOfMemoryException)
                    {
                        var threw = CycleFailure.External(FailureKind.Exception, $"this machine threw {x.GetType().Name} while generating the cycle's events: {x.Message}");
                        return new CycleResult(new CycleOutcome(spec, 0, 0, threw, false), Record(spec, threw, null, []));
                    }
                }

                PendingFile? copy = null;
                string? copyError = null;
                try
                {
                    copy = store?.BeginTrace(spec);
                }
                catch (OutputException x)
                {
                    copyError = x.Message;
                }

                var (outcome, result, command, runCopyError) = cycles.RunOnce(spec, events, copy?.Stream, cancellation, progress, _canonical);
                // The copy is a PendingFile's stream, whose errors name the file already.
                copyError ??= runCopyError;

                if (outcome.Cancelled || outcome.Failure is not { } failure)
                {
                    copy?.Dispose();
                    return new CycleResult(outcome);
                }

                var record = Record(spec, failure, result, command);
                return new CycleResult(outcome, record, copy is null && copyError is null ? null : new CopiedTrace(copy, copyError));
            }

            public void Dispose()
            {
            }

            private FailureRecord Record(CycleSpec spec, CycleFailure failure, ExternalResult? result, string[] command) =>
                FailureRecord.Of(cycles._tool, spec, cycles._settings.Profile!, failure, null, true) with
                {
                    Reproduce = cycles.Reproduce(spec, command),
                    External = result?.ToRecord(),
                };
        }

        // The first thing wrong, in the order a reader meets it: what the lines said, then how the program ended.
        private CycleFailure? Decide(
            CycleSpec spec, IReadOnlyList<TEvent>? events, Observer observer, ExternalResult result,
            Divergence? divergence, MalformedTraceException? malformed, bool killedDuringReplay, Exception? threw)
        {
            var steps = observer.Steps;
            var limits = _external.Limits;
            if (observer.Failure is { } seen)
            {
                return seen;
            }

            if (divergence is not null)
            {
                return new CycleFailure(FailureKind.Divergence, divergence.Step, divergence.EventType, divergence.What, [], divergence.Differences);
            }

            if (result.StartError is { } start)
            {
                return CycleFailure.External(FailureKind.Start, $"{_external.Command.Program} could not be started: {start}");
            }

            // A kill cuts the output short: what it left malformed is the kill's doing.
            if (malformed is not null && !killedDuringReplay)
            {
                return CycleFailure.External(FailureKind.Malformed, $"the output is not a trace: {malformed.Message}");
            }

            if (result.TimedOut)
            {
                var seconds = limits.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                return CycleFailure.External(FailureKind.Timeout, result.OutputHeldOpen
                    ? $"its output was still open after {seconds} s ({ToolText.Count(steps, "step")} read), though it had exited: a process it started holds it"
                    : $"no end after {seconds} s ({ToolText.Count(steps, "step")} read): killed");
            }

            if (result.OutputLimitExceeded)
            {
                return CycleFailure.External(FailureKind.OutputLimit, $"wrote more than the output limit of {Mebibytes(limits.MaxOutputBytes)} ({ToolText.Count(steps, "step")} read): killed");
            }

            if (threw is not null)
            {
                return CycleFailure.External(FailureKind.Exception, $"this machine threw {threw.GetType().Name} replaying step {steps}: {threw.Message}");
            }

            var ended = observer.SawSummary ? "" : $" after {ToolText.Count(steps, "step")}, before the trace's summary line";
            if (result.ExitCode is not 0)
            {
                return CycleFailure.External(FailureKind.Exit, result.ExitCode is { } code ? $"exited with code {code}{ended}" : $"did not exit{ended}");
            }

            if (!observer.SawSummary)
            {
                return CycleFailure.External(FailureKind.Truncated, $"the output ended{ended}");
            }

            if (_checkSeed && observer.SummarySeed != spec.Seed)
            {
                return CycleFailure.External(FailureKind.Mismatch, $"a trace for seed {observer.SummarySeed} (its summary line), not for this cycle's seed {spec.Seed}");
            }

            if (events is not null && steps != events.Count)
            {
                return CycleFailure.External(FailureKind.Mismatch, $"a trace of {ToolText.Count(steps, "step")} for the {ToolText.Count(events.Count, "event")} sent");
            }

            return null;
        }

        private IReadOnlyList<TEvent> Generate(CycleSpec spec)
        {
            var trace = SteppedTrace.Generated(_source!, _settings.Profile!, spec.Seed, spec.EventsBound);
            var events = new List<TEvent>();
            while (trace.MoveNext())
            {
                events.Add(trace.Event);
            }

            return events;
        }

        private static void WriteEvents(Stream input, IReadOnlyList<TEvent> events)
        {
            var writer = new CompactJsonWriter();
            using var output = new BufferedStream(input, 1 << 16);
            foreach (var e in events)
            {
                writer.Reset();
                TContract.WriteEvent(writer, e);
                output.Write(writer.Written);
                output.WriteByte((byte)'\n');
            }
        }

        private static string Mebibytes(long bytes) =>
            bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

        /// <summary>What the replay checks beyond agreement: one trace, the events sent, the required checks; and the progress.</summary>
        private sealed class Observer(ExternalCycles cycles, IReadOnlyList<TEvent>? events, Action<long> progress, CancellationToken cancellation) : IReplayObserver
        {
            private const int ProgressEvery = 1024;
            private long _reported;

            public long Steps { get; private set; }

            public TSnapshot LastAfter { get; private set; } = TContract.Initial;

            public bool SawSummary { get; private set; }

            public ulong SummarySeed { get; private set; }

            public CycleFailure? Failure { get; private set; }

            public bool Agreed(LineContext at, long step, TEvent e, TSnapshot after, TChecks afterChecks)
            {
                if (step == 0 && Steps > 0)
                {
                    Failure = CycleFailure.External(FailureKind.Mismatch, $"a second trace starts at line {at.Line} of the output (a cycle is one trace)");
                    return false;
                }

                if (events is not null && (step >= events.Count || !SameEvent(e, events[(int)step])))
                {
                    Failure = step >= events.Count
                        ? new CycleFailure(FailureKind.Mismatch, step, EventName(e), $"a step beyond the {events.Count} events sent", [], [])
                        : new CycleFailure(FailureKind.Mismatch, step, EventName(e), "not the event sent", [], JsonDiff.Compare(
                            "$.event", CompactJsonWriter.Encode(w => TContract.WriteEvent(w, e)), CompactJsonWriter.Encode(w => TContract.WriteEvent(w, events[(int)step]))));
                    return false;
                }

                Steps++;
                LastAfter = after;
                foreach (var check in cycles._required)
                {
                    if (!TContract.CheckValue(afterChecks, check))
                    {
                        Failure = CycleFailure.CheckFalse(step, EventName(e), TContract.Definition.Checks[check]);
                        return false;
                    }
                }

                if (Steps - _reported >= ProgressEvery)
                {
                    ReportProgress();
                    return !cancellation.IsCancellationRequested;
                }

                return true;
            }

            public bool Summary(LineContext at, ulong seed, long events)
            {
                SawSummary = true;
                SummarySeed = seed;
                return true;
            }

            public void ReportProgress()
            {
                progress(Steps - _reported);
                _reported = Steps;
            }
        }

        /// <summary>The program's output as it was copied into the failure directory (or why the copy failed).</summary>
        private sealed class CopiedTrace(PendingFile? copy, string? error) : IFailureTrace
        {
            public FailureRecord Save(FailureStore store, FailureRecord record, CycleSpec spec)
            {
                if (error is not null || copy is null)
                {
                    throw new OutputException(error ?? "the output was not copied");
                }

                return store.Save(record, copy);
            }

            public void Dispose() => copy?.Dispose();
        }
    }
}
