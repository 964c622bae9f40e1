using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Core.Reporting;

namespace Claudit.Store;

/// <summary>The report <c>claudit report</c> prints, answered by a store instead of by reading JSONL.</summary>
public interface IReportQueries
{
    /// <summary>
    /// The same <see cref="Report"/> <see cref="ReportAccumulator"/> builds from the same records:
    /// recorded cost by default, or recomputed with <paramref name="pricing"/> when the options ask for it.
    /// </summary>
    Task<Report> QueryReportAsync(ReportOptions options, CostCalculator pricing, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claudit's side of <c>claudit reconcile</c>: the billable calls with usage started in [<paramref name="since"/>,
    /// <paramref name="until"/>), by UTC bucket × billed model × service tier, their token classes and recorded cost.
    /// </summary>
    Task<IReadOnlyList<ReconcileCell>> QueryRecordedUsageAsync(DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, CancellationToken cancellationToken = default);
}
