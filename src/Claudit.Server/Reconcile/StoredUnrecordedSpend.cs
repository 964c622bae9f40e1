using Claudit.Alerts.Evaluation;
using Claudit.Core.Reconcile;
using Claudit.Store;

namespace Claudit.Server.Reconcile;

/// <summary>
/// What the <c>unrecorded_spend</c> rule reads in the gateway: the most recent finished UTC day of the lookback whose
/// share is known, from the stored reconciliations (docs/reconcile.md). The evaluator never waits for the store: a
/// read answers the value at hand and, when it is older than <see cref="RefreshEvery"/>, starts a query in the
/// background for the next read. The first query starts at construction, so the first evaluation seconds later
/// usually has it; until then, and while no day is reconciled, the rule has no value and stays quiet. A failed
/// query is logged and keeps the last value.
/// </summary>
internal sealed class StoredUnrecordedSpend : IUnrecordedSpendSource, IAsyncDisposable
{
    /// <summary>The background reconciliation stores a pass an hour: a few minutes' lag is nothing, a query per evaluation would be waste.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(5);

    private readonly IReconcileStore _store;
    private readonly int _lookbackDays;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private UnrecordedSpend? _latest;
    private DateTimeOffset _queriedAt;
    private Task _query;

    public StoredUnrecordedSpend(IReconcileStore store, int lookbackDays, TimeProvider time, ILogger logger)
    {
        _store = store;
        _lookbackDays = lookbackDays;
        _logger = logger;
        _queriedAt = time.GetUtcNow();
        _query = Task.Run(() => QueryAsync(_queriedAt));
    }

    public UnrecordedSpend? Latest(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_query.IsCompleted && now - _queriedAt >= RefreshEvery && !_stop.IsCancellationRequested)
            {
                _queriedAt = now;
                _query = Task.Run(() => QueryAsync(now));
            }

            return _latest;
        }
    }

    private async Task QueryAsync(DateTimeOffset now)
    {
        var until = ReconcileBuckets.FinishedDaysUntil(now);
        try
        {
            var days = await _store.QueryUnrecordedSpendAsync(until - TimeSpan.FromDays(_lookbackDays), until, _stop.Token).ConfigureAwait(false);
            var latest = days.LastOrDefault(d => d.Value is not null);
            lock (_gate)
            {
                _latest = latest;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (StoreException ex)
        {
            ReconcileLog.UnrecordedSpendUnread(_logger, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task query;
        lock (_gate)
        {
            _stop.Cancel();
            query = _query;
        }

        await query.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
