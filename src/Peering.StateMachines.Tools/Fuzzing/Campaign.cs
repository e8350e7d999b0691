using System.Diagnostics;

namespace Peering.StateMachines.Tools;

/// <summary>Live counters of a running campaign, for a progress display (read from any thread).</summary>
public sealed class CampaignProgress
{
    private long _steps;
    private long _cycles;
    private long _failures;

    internal CampaignProgress(long totalCycles) => TotalCycles = totalCycles;

    /// <summary>Cycles this run has to do.</summary>
    public long TotalCycles { get; }

    /// <summary>Cycles finished so far.</summary>
    public long CyclesDone => Interlocked.Read(ref _cycles);

    /// <summary>Steps checked so far (including those of cycles still running).</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Failures found so far.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Time since the campaign started.</summary>
    public TimeSpan Elapsed => Clock.Elapsed;

    internal Stopwatch Clock { get; } = new();

    internal void AddSteps(long steps) => Interlocked.Add(ref _steps, steps);

    internal void CycleDone(bool failed)
    {
        Interlocked.Increment(ref _cycles);
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>
    /// A fuzz campaign: the cycles of this shard, spread over <c>jobs</c> threads that take cycles in
    /// index order. Results are committed strictly in cycle order (a cycle finished early waits for
    /// the ones before it), so the summary, the failure files and the stop at the first failure (the
    /// lowest failing index) are the same whatever the job count. Cancellation (Ctrl-C) stops the
    /// threads after at most a thousand steps, then commits every cycle that finished, so every
    /// failure found is on disk before the summary is printed.
    /// </summary>
    public sealed class Campaign
    {
        private readonly FuzzSettings _settings;
        private readonly ICampaignCycles _cycles;
        private readonly FailureStore? _store;
        private readonly int _jobs;
        private readonly object _gate = new();
        private readonly SortedDictionary<long, CycleResult> _pending = [];
        private readonly List<FailureRecord> _failures = [];
        private readonly CancellationTokenSource _stop = new();
        private long _next;
        private long _commit;
        private long _cyclesRun;
        private long _steps;
        private ulong _digest;
        private bool _stoppedAtFailure;
        private string? _outputError;
        private Exception? _crash;

        /// <summary>A campaign of <paramref name="settings"/> over traces of <paramref name="source"/>.</summary>
        /// <param name="tool">The command that reproduces a cycle's trace (<c>TOOL generate ...</c>), named in failure records.</param>
        /// <param name="store">Where failing traces go; null to keep them only in the summary.</param>
        /// <param name="jobs">Threads; 0 for the processor count.</param>
        /// <exception cref="ArgumentException">A required check is not a check of the machine.</exception>
        public Campaign(FuzzSettings settings, IEventSource<TSnapshot, TEvent> source, string tool, FailureStore? store = null, int jobs = 0)
            : this(settings, new GeneratedCycles(settings, source, tool), store, jobs)
        {
        }

        /// <summary>
        /// A campaign of <paramref name="cycles"/>: <paramref name="settings"/> give the number of
        /// cycles, the shard and whether to stop at the first failure.
        /// </summary>
        /// <param name="store">Where failing traces go; null to keep them only in the summary.</param>
        /// <param name="jobs">Threads; 0 for the processor count.</param>
        /// <exception cref="ArgumentException">A required check is not a check of the machine.</exception>
        public Campaign(FuzzSettings settings, ICampaignCycles cycles, FailureStore? store = null, int jobs = 0)
        {
            CheckIndices(settings.RequiredChecks);
            _settings = settings;
            _cycles = cycles;
            _store = store;
            var count = settings.ShardCycles;
            _jobs = (int)Math.Clamp(jobs > 0 ? jobs : Environment.ProcessorCount, 1, Math.Max(1, count));
            Progress = new CampaignProgress(count);
        }

        /// <summary>Live counters.</summary>
        public CampaignProgress Progress { get; }

        /// <summary>Threads the campaign runs on (the job count asked for, at most one per cycle).</summary>
        public int Jobs => _jobs;

        /// <summary>Raised for every failure as it is committed (in cycle order), after its files are written.</summary>
        public event Action<FailureRecord>? FailureFound;

        /// <summary>Runs the campaign until it ends, stops at a failure or an output error, or <paramref name="cancellation"/> fires.</summary>
        public CampaignSummary Run(CancellationToken cancellation = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stop.Token);
            Progress.Clock.Start();
            if (_jobs == 1)
            {
                Work(linked.Token);
            }
            else
            {
                var threads = Enumerable.Range(0, _jobs)
                    .Select(i => new Thread(() => Work(linked.Token)) { Name = $"fuzz-{i}", IsBackground = true })
                    .ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }

            Progress.Clock.Stop();
            if (_crash is not null)
            {
                throw new InvalidOperationException($"the fuzzer itself failed: {_crash.Message}", _crash);
            }

            var interrupted = cancellation.IsCancellationRequested && _commit < Progress.TotalCycles && !_stoppedAtFailure;
            if (interrupted || _outputError is not null)
            {
                // Every cycle that finished counts, even after a gap left by an interrupted one; after an
                // output error the failures still pending are reported (unsaved) rather than dropped.
                lock (_gate)
                {
                    foreach (var (position, finished) in _pending.ToList())
                    {
                        _pending.Remove(position);
                        Commit(finished);
                    }
                }
            }

            // Cycles finished after a stop are not part of the result: their traces are dropped.
            foreach (var left in _pending.Values)
            {
                left.Trace?.Dispose();
            }

            _pending.Clear();

            var seconds = Progress.Elapsed.TotalSeconds;
            return new CampaignSummary(
                _cycles.Format,
                _cycles.Parameters,
                _settings.Shard.N,
                [_settings.Shard.K],
                _cyclesRun,
                _steps,
                _digest,
                [.. _failures],
                interrupted,
                _stoppedAtFailure,
                _outputError,
                new CampaignTiming(seconds, _jobs, _steps / Math.Max(seconds, 1e-9)));
        }

        private void Work(CancellationToken cancellation)
        {
            try
            {
                using var worker = _cycles.CreateWorker(_store);
                while (!cancellation.IsCancellationRequested)
                {
                    var position = Interlocked.Increment(ref _next) - 1;
                    if (position >= Progress.TotalCycles)
                    {
                        return;
                    }

                    var spec = _cycles.Spec(_settings.Shard.K - 1 + (position * _settings.Shard.N));
                    var result = worker.Run(spec, cancellation, Progress.AddSteps);
                    if (result.Outcome.Cancelled)
                    {
                        result.Trace?.Dispose();
                        return;
                    }

                    Progress.CycleDone(result.Outcome.Failure is not null);
                    lock (_gate)
                    {
                        _pending.Add(position, result);
                        CommitReady();
                    }
                }
            }
            catch (Exception x)
            {
                lock (_gate)
                {
                    _crash ??= x;
                }

                _stop.Cancel();
            }
        }

        private void CommitReady()
        {
            while (!_stop.IsCancellationRequested && _pending.Remove(_commit, out var finished))
            {
                Commit(finished);
            }
        }

        private void Commit(CycleResult finished)
        {
            var outcome = finished.Outcome;
            _commit++;
            _cyclesRun++;
            _steps += outcome.Steps;
            _digest = unchecked(_digest + CampaignSummary.DigestOf(outcome.Spec.Index, outcome.Steps, outcome.FinalHash));
            if (finished.Record is not { } record)
            {
                finished.Trace?.Dispose();
                return;
            }

            using (finished.Trace)
            {
                if (_store is not null && _outputError is null && finished.Trace is not null)
                {
                    try
                    {
                        record = finished.Trace.Save(_store, record, outcome.Spec);
                    }
                    catch (OutputException x)
                    {
                        _outputError = x.Message;
                        _stop.Cancel();
                    }
                }
            }

            _failures.Add(record);
            FailureFound?.Invoke(record);
            if (_settings.StopOnFirstFailure)
            {
                _stoppedAtFailure = true;
                _stop.Cancel();
            }
        }
    }
}
