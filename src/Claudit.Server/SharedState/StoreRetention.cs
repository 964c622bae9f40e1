using Claudit.Store;
using Claudit.Store.ClickHouse;

namespace Claudit.Server.SharedState;

/// <summary>
/// <c>--retention-days N</c> on a ClickHouse store: at start and every hour, the day partitions older than N whole
/// UTC days are dropped (ClickHouse 18.16 has no TTL). Every gateway of a fleet may run it: dropping a partition
/// already dropped drops nothing.
/// </summary>
internal sealed class StoreRetention : IAsyncDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StoreRetention(ClickHouseCallStore store, int days, TimeProvider time, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Every, time);
            try
            {
                do
                {
                    var keepFrom = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-days);
                    try
                    {
                        var dropped = await store.DropDaysBeforeAsync(keepFrom, _stop.Token).ConfigureAwait(false);
                        if (dropped > 0)
                        {
                            GatewayLog.RetentionDropped(logger, dropped, keepFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                    catch (StoreException ex)
                    {
                        GatewayLog.RetentionFailed(logger, ex.Message);
                    }
                }
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
