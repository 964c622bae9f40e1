using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Store;

namespace Claudit.Server.Reconcile;

/// <summary>
/// One reconciliation end to end: the whole buckets of the range, Anthropic's usage and cost reports for the whole
/// UTC days around them (a day's cost is shared by its usage, so the whole day's usage is read), Claudit's recorded
/// usage from the store, compared by Core's <see cref="Reconciler"/> (models named by their family in <c>models</c>, the price table).
/// </summary>
public static class BillingReconciliation
{
    public static async Task<Reconciliation> RunAsync(
        IReportQueries store, AdminApiClient admin, DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, ReconcileTolerance tolerance, PriceTable models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(admin);
        var (from, to) = ReconcileBuckets.Whole(since, until, width);
        if (to <= from)
        {
            return Reconciler.Compare([], [], from, to, width, tolerance);
        }

        var dayFrom = ReconcileBuckets.Floor(from, ReconcileWidth.Day);
        var dayTo = ReconcileBuckets.Ceil(to, ReconcileWidth.Day);
        var usage = await admin.UsageAsync(dayFrom, dayTo, width, cancellationToken).ConfigureAwait(false);
        var costs = await admin.CostAsync(dayFrom, dayTo, cancellationToken).ConfigureAwait(false);
        var billed = BilledUsage.Combine(usage, costs, width).Where(c => c.Key.Bucket >= from && c.Key.Bucket < to);
        var recorded = await store.QueryRecordedUsageAsync(from, to, width, cancellationToken).ConfigureAwait(false);
        return Reconciler.Compare(recorded, billed, from, to, width, tolerance, models);
    }
}
