using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Store;

namespace Claudit.Server.Reconcile;

/// <summary>
/// The gateway's background reconciliation: on start and then every <see cref="BackgroundReconcileOptions.Period"/>,
/// the last <see cref="BackgroundReconcileOptions.LookbackDays"/> finished UTC days (a day is finished an hour after
/// it ends, <see cref="ReconcileBuckets.Settling"/>) are reconciled by day and stored, replacing what was stored of
/// them. Two Admin API calls a pass when a page holds the range, spaced by at least a minute. A failed pass is
/// logged and tried again next period.
/// </summary>
internal sealed class BackgroundReconciler : IAsyncDisposable
{
    private readonly IClauditStore _store;
    private readonly AdminApiClient _admin;
    private readonly HttpClient _http;
    private readonly BackgroundReconcileOptions _options;
    private readonly PriceTable _models;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ReconcileStatus _status = new(null, null, null, null, 0);

    public BackgroundReconciler(IClauditStore store, Uri adminApi, BackgroundReconcileOptions options, PriceTable models, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _models = models;
        _time = time;
        _logger = logger;
        _http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        _admin = new AdminApiClient(_http, adminApi, options.AdminKey, options.MinCallInterval, time);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public ReconcileStatus Status => Volatile.Read(ref _status) with { ApiCalls = _admin.Calls };

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await PassAsync(ct).ConfigureAwait(false);
            try
            {
                await Task.Delay(_options.Period, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: the finished days of the lookback, reconciled and stored.</summary>
    internal async Task PassAsync(CancellationToken ct)
    {
        var until = ReconcileBuckets.FinishedDaysUntil(_time.GetUtcNow());
        var since = until - TimeSpan.FromDays(_options.LookbackDays);
        try
        {
            var reconciliation = await BillingReconciliation.RunAsync(_store, _admin, since, until, ReconcileWidth.Day, _options.Tolerance, _models, ct).ConfigureAwait(false);
            await _store.SaveReconciliationAsync(reconciliation, _time.GetUtcNow(), ct).ConfigureAwait(false);
            Volatile.Write(ref _status, new ReconcileStatus(_time.GetUtcNow(), since, until, null, _admin.Calls));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is AdminApiException or StoreException)
        {
            ReconcileLog.Failed(_logger, ex.Message);
            Volatile.Write(ref _status, new ReconcileStatus(_time.GetUtcNow(), since, until, ex.Message, _admin.Calls));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _http.Dispose();
    }
}
