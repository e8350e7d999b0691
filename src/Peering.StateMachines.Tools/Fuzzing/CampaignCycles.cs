namespace Peering.StateMachines.Tools;

/// <summary>
/// The cycles of a campaign: what cycle <c>i</c> is, how a thread runs one, and what the summary
/// says the campaign was. <c>fuzz</c> generates and checks each cycle's trace in process;
/// <c>replay-fuzz</c> has an external program write it. The <see cref="MachineTools{TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks}.Campaign"/>
/// around them (jobs, ordered commits, stops, failure files, summary) is the same.
/// </summary>
public interface ICampaignCycles
{
    /// <summary>The summary's <see cref="CampaignSummary.Format"/>.</summary>
    string Format { get; }

    /// <summary>The summary's description of the campaign (shards of one campaign merge only when these are equal).</summary>
    CampaignParameters Parameters { get; }

    /// <summary>Cycle <paramref name="index"/>: its seed and <c>--events</c> bound.</summary>
    CycleSpec Spec(long index);

    /// <summary>A worker for one thread; <paramref name="store"/> is where failing traces go (null: none are kept).</summary>
    ICycleWorker CreateWorker(FailureStore? store);
}

/// <summary>Runs cycles on one campaign thread, one at a time.</summary>
public interface ICycleWorker : IDisposable
{
    /// <summary>
    /// Runs <paramref name="spec"/>, reporting completed steps to <paramref name="progress"/> in
    /// batches; stops early (with <see cref="CycleOutcome.Cancelled"/>) when <paramref name="cancellation"/> fires.
    /// </summary>
    CycleResult Run(CycleSpec spec, CancellationToken cancellation, Action<long> progress);
}

/// <summary>A cycle as the campaign commits it: the outcome and, for a failure, its record and its trace to save.</summary>
public sealed record CycleResult(CycleOutcome Outcome, FailureRecord? Record = null, IFailureTrace? Trace = null);

/// <summary>A failing cycle's trace, held until the campaign commits the cycle (in cycle order), then saved or dropped.</summary>
public interface IFailureTrace : IDisposable
{
    /// <summary>Saves the trace and <paramref name="record"/> in <paramref name="store"/>; the record as stored.</summary>
    /// <exception cref="OutputException">The trace or the record could not be written.</exception>
    FailureRecord Save(FailureStore store, FailureRecord record, CycleSpec spec);
}

/// <summary>A trace held in memory.</summary>
public sealed class TraceBytes(byte[] trace) : IFailureTrace
{
    /// <inheritdoc/>
    public FailureRecord Save(FailureStore store, FailureRecord record, CycleSpec spec) => store.Save(record, spec, trace);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>The cycles of <c>fuzz</c>: traces generated in process from an event source, checked by a <see cref="CycleRunner"/>.</summary>
    public sealed class GeneratedCycles : ICampaignCycles
    {
        private readonly FuzzSettings _settings;
        private readonly IEventSource<TSnapshot, TEvent> _source;
        private readonly string _tool;

        /// <summary>The cycles of <paramref name="settings"/> over <paramref name="source"/>; <paramref name="tool"/> regenerates a cycle's trace (<c>TOOL generate ...</c>).</summary>
        public GeneratedCycles(FuzzSettings settings, IEventSource<TSnapshot, TEvent> source, string tool)
        {
            _settings = settings with { Profile = settings.Profile ?? source.Profiles[0] };
            _source = source;
            _tool = tool;
        }

        /// <inheritdoc/>
        public string Format => CampaignSummary.FormatOf(_tool);

        /// <inheritdoc/>
        public CampaignParameters Parameters => CampaignParameters.Of(_settings);

        /// <inheritdoc/>
        public CycleSpec Spec(long index) => _settings.Cycle(index);

        /// <inheritdoc/>
        public ICycleWorker CreateWorker(FailureStore? store) => new Worker(this);

        private sealed class Worker(GeneratedCycles cycles) : ICycleWorker
        {
            private readonly CycleRunner _runner = new(cycles._settings, cycles._source);

            public CycleResult Run(CycleSpec spec, CancellationToken cancellation, Action<long> progress)
            {
                var outcome = _runner.Run(spec, cancellation, progress: progress);
                if (outcome.Failure is not { } failure)
                {
                    return new CycleResult(outcome);
                }

                // Run again, writing the trace; the failure must come back the same way.
                using var trace = new MemoryStream();
                var again = _runner.Run(spec, CancellationToken.None, trace);
                var reproduced = again.Failure is { } f && f.Step == failure.Step && f.SameWayAs(failure);
                var record = FailureRecord.Of(cycles._tool, spec, cycles._settings.Profile!, failure, null, reproduced);
                return new CycleResult(outcome, record, new TraceBytes(trace.ToArray()));
            }

            public void Dispose()
            {
            }
        }
    }
}
