using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.Dashboard;

namespace Claudit.Store;

/// <summary>Where call records are kept for querying: appended in batches, reported on, looked up by id.</summary>
public interface ICallStore : IAsyncDisposable
{
    /// <summary>Appends one batch in one transaction. Records whose id is already stored are skipped, so a retried batch is harmless.</summary>
    Task AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The same <see cref="Report"/> <c>claudit report</c> builds from JSONL, computed with SQL aggregates.</summary>
    Task<Report> QueryReportAsync(ReportOptions options, CostCalculator pricing, CancellationToken cancellationToken = default);

    /// <summary>The record with this id as it was appended, or null.</summary>
    Task<CallRecord?> GetCallAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The dashboard's headline numbers for the filter's range (which must have both ends) and the range before it.</summary>
    Task<Overview> QueryOverviewAsync(RecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>A metric in buckets over the filter's range (which must have both ends), split into lines.</summary>
    Task<TimeSeries> QueryTimeSeriesAsync(RecordFilter filter, TimeSeriesQuery query, CancellationToken cancellationToken = default);

    /// <summary>The sessions with calls in the filter, most recently active first.</summary>
    Task<SessionSummary[]> QuerySessionsAsync(RecordFilter filter, int limit, CancellationToken cancellationToken = default);

    /// <summary>One session, whatever the range, with all its calls in order; null when no call has that session.</summary>
    Task<SessionDetail?> GetSessionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A page of the calls in the filter.</summary>
    Task<CallListItem[]> QueryCallsAsync(RecordFilter filter, CallListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Calls, errors, recorded cost and latency per model, feature, user or tenant, most expensive first.</summary>
    Task<BreakdownRow[]> QueryBreakdownAsync(RecordFilter filter, BreakdownKey by, int limit, CancellationToken cancellationToken = default);

    /// <summary>Stop reasons, max_tokens truncation, tool calls per call and quality flags of the answered calls in the filter.</summary>
    Task<Quality> QueryQualityAsync(RecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Recorded cost per UTC day of the calls in the filter, oldest first.</summary>
    Task<DailyCost[]> QueryDailyCostAsync(RecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The spread of recorded cost per session over the sessions with calls in the filter.</summary>
    Task<SessionCostDistribution> QuerySessionCostsAsync(RecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>How many records the store holds.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
