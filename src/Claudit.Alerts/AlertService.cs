using System.Diagnostics;
using System.Threading.Channels;
using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Notifications;
using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;
using Microsoft.Extensions.Logging;

namespace Claudit.Alerts;

/// <summary>
/// The alerts of <c>claudit serve</c> (docs/alerts.md). Records reach it after the journal, through
/// <see cref="Observe"/>, which never waits (a bounded queue; a full one drops and counts): capture is
/// never slowed by alerting. One loop adds queued records to the <see cref="AlertEvaluator"/>'s windows;
/// another evaluates every <see cref="AlertsConfig.EvaluateEvery"/>, writes the alerts that changed to
/// the store and hands transitions to the <see cref="AlertNotifier"/> (when the <see cref="IAlertSendLease"/>
/// says this gateway sends). At start it takes back the stored pending and firing alerts and seeds its
/// windows from the store (<see cref="AlertSeeder"/>) before it evaluates.
/// </summary>
public sealed class AlertService : IAsyncDisposable
{
    /// <summary>Records waiting for the evaluator: at 2,000 calls/s, 50 s of them (the seeding at start may take a few seconds).</summary>
    public const int QueueCapacity = 100_000;

    private readonly AlertsConfig _config;
    private readonly IAlertStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAlertSendLease _lease;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AlertEvaluator _evaluator;
    private readonly DateTimeOffset _startedAt;
    private readonly Channel<CallRecord> _records = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AlertNotifier? _notifier;
    private AlertsSnapshot _snapshot = AlertsSnapshot.Empty;
    private Task _run = Task.CompletedTask;
    private long _observed, _dropped, _evaluations, _saveFailures, _seeded;
    private int _disposed;

    /// <param name="config">The rules, the notify targets, the evaluation period.</param>
    /// <param name="store">Where alerts are kept, and the records and totals the windows are seeded from.</param>
    /// <param name="time">The clock evaluations read.</param>
    /// <param name="logger">Transitions, delivery failures, drops.</param>
    /// <param name="budgets">What the budget rules read; null: no budget, those rules stay quiet.</param>
    /// <param name="spend">The ledger <paramref name="budgets"/> reads, when it is <see cref="DailyBudgetStatus"/>: the evaluator keeps it.</param>
    /// <param name="lease">Who sends; default this gateway (<see cref="InProcessSendLease"/>).</param>
    /// <param name="http">The client notifications are sent with; default one of its own (10 s per attempt).</param>
    /// <param name="unrecorded">What <c>unrecorded_spend</c> reads; null (no <c>--admin-key-env</c>): that rule stays quiet.</param>
    public AlertService(AlertsConfig config, IAlertStore store, TimeProvider time, ILogger logger, IBudgetStatus? budgets = null, SpendLedger? spend = null, IAlertSendLease? lease = null, HttpClient? http = null, IUnrecordedSpendSource? unrecorded = null)
    {
        _config = config;
        _store = store;
        _time = time;
        _logger = logger;
        _lease = lease ?? InProcessSendLease.Instance;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _evaluator = new AlertEvaluator(config.Rules, time, spend, budgets, unrecorded);
        _startedAt = time.GetUtcNow();
    }

    public AlertsConfig Config => _config;

    /// <summary>The active alerts and the rules as of the last evaluation.</summary>
    public AlertsSnapshot Current => Volatile.Read(ref _snapshot);

    /// <summary>Completes when the windows are seeded and evaluation has begun.</summary>
    public Task Ready => _ready.Task;

    public AlertLinks? Links => _notifier?.Links;

    public long RecordsObserved => Interlocked.Read(ref _observed);

    /// <summary>Records the evaluator's queue refused (it fell behind); they are in the journal and the store all the same.</summary>
    public long RecordsDropped => Interlocked.Read(ref _dropped);

    public long RecordsSeeded => Interlocked.Read(ref _seeded);

    /// <summary>Records waiting for the evaluator.</summary>
    public int RecordsQueued => _records.Reader.Count;

    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>Writes of alert state to the store that failed.</summary>
    public long SaveFailures => Interlocked.Read(ref _saveFailures);

    public long NotificationsSent => _notifier?.Sent ?? 0;

    /// <summary>Notifications given up on after their retries, or dropped by a full queue.</summary>
    public long NotificationsFailed => _notifier?.Failed ?? 0;

    public long NotificationRetries => _notifier?.Retries ?? 0;

    public int NotificationsQueued => _notifier?.Queued ?? 0;

    /// <summary>A finished record, from the record queue's loop: never waits.</summary>
    public void Observe(CallRecord record)
    {
        if (_records.Writer.TryWrite(record))
        {
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if ((dropped & (dropped - 1)) == 0)
        {
            AlertsLog.RecordsDropped(_logger, dropped);
        }
    }

    /// <summary>Starts seeding, then evaluating; <paramref name="gateway"/> is where dashboard and runbook links point unless the configuration says otherwise.</summary>
    public void Start(Uri gateway)
    {
        var dashboard = _config.DashboardUrl ?? gateway;
        var runbook = _config.RunbookUrl ?? new Uri(new Uri(dashboard.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), "docs/alerts.md");
        _notifier = new AlertNotifier(_config.Notify, new AlertLinks(dashboard, runbook), _http, _time, _logger);
        _run = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        try
        {
            await RestoreAndSeedAsync(stop).ConfigureAwait(false);
            var consume = ConsumeAsync(stop);
            lock (_gate)
            {
                Volatile.Write(ref _snapshot, _evaluator.Snapshot(null));
            }

            _ready.TrySetResult();
            using var timer = new PeriodicTimer(_config.EvaluateEvery, _time);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await EvaluateOnceAsync(stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A fault in one evaluation must not end alerting: the next one tries again.
                    AlertsLog.EvaluationFailed(_logger, ex.Message);
                }
            }

            await consume.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _ready.TrySetCanceled(stop);
        }
    }

    private async Task RestoreAndSeedAsync(CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var closed = _evaluator.Restore(await _store.QueryActiveAlertsAsync(stop).ConfigureAwait(false));
            await _store.SaveAlertsAsync(closed, [], stop).ConfigureAwait(false);
            // Records up to this service's start: those after it come through Observe.
            var seeded = await AlertSeeder.SeedAsync(_evaluator, _store, _startedAt, cancellationToken: stop).ConfigureAwait(false);
            Interlocked.Exchange(ref _seeded, seeded);
            AlertsLog.Seeded(_logger, seeded, watch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AlertsLog.SeedFailed(_logger, ex.Message);
        }
    }

    private async Task ConsumeAsync(CancellationToken stop)
    {
        var reader = _records.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    // In bursts under one lock: the evaluation waits for at most a burst.
                    for (var n = 0; n < 1024 && reader.TryRead(out var record); n++)
                    {
                        try
                        {
                            _evaluator.Observe(record);
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            AlertsLog.ObserveFailed(_logger, record.Id, ex.Message);
                        }

                        _observed++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One evaluation: the state machine steps, the store learns what changed, people what fired or resolved.</summary>
    public async Task EvaluateOnceAsync(CancellationToken cancellationToken = default)
    {
        EvaluationResult result;
        lock (_gate)
        {
            result = _evaluator.Evaluate();
            Volatile.Write(ref _snapshot, _evaluator.Snapshot(result.At));
        }

        Interlocked.Increment(ref _evaluations);
        if (result.Saves.Count > 0 || result.Deletes.Count > 0)
        {
            try
            {
                await _store.SaveAlertsAsync(result.Saves, result.Deletes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref _saveFailures);
                AlertsLog.SaveFailed(_logger, ex.Message);
            }
        }

        foreach (var transition in result.Transitions)
        {
            AlertsLog.Transition(_logger, transition.Alert.Rule, transition.Event.ToString().ToLowerInvariant(), AlertText.Summary(transition.Alert));
            if (_notifier is { Targets: > 0 } notifier && await _lease.TryClaimAsync(transition, cancellationToken).ConfigureAwait(false))
            {
                notifier.Notify(transition);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _records.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        if (_notifier is not null)
        {
            // A message owed (a resolve just before shutdown) gets a moment to go out.
            await _notifier.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            await _notifier.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _stop.Dispose();
    }
}
