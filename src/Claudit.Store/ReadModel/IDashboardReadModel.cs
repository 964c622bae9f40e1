using Claudit.Core.Reporting;

namespace Claudit.Store.ReadModel;

/// <summary>
/// The dashboard's queries (docs/api.md), each with the shape it answers in this folder. Every query
/// takes the filter the whole dashboard shares and the cost it shows (<see cref="CostBasis"/>); ranges
/// have both ends so that views can compare and bucket them.
/// </summary>
public interface IDashboardReadModel
{
    /// <summary>The headline numbers for the filter's range and the range before it.</summary>
    Task<Overview> QueryOverviewAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default);

    /// <summary>A metric in buckets over the filter's range, split into lines.</summary>
    Task<TimeSeries> QueryTimeSeriesAsync(RecordFilter filter, CostBasis cost, TimeSeriesQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls, errors, cost and latency per model, feature, user or tenant, most expensive first; without
    /// <paramref name="latency"/> the latency percentiles are left null (they are the costly part: a sort per key).
    /// </summary>
    Task<BreakdownRow[]> QueryBreakdownAsync(RecordFilter filter, CostBasis cost, BreakdownKey by, int limit, bool latency = true, CancellationToken cancellationToken = default);

    /// <summary>Stop reasons, max_tokens truncation, tool calls per call and quality flags of the answered calls in the filter.</summary>
    Task<Quality> QueryQualityAsync(RecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Cost per UTC day of the calls in the filter, oldest first.</summary>
    Task<DailyCost[]> QueryDailyCostAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the sessions with calls in the filter, most recently active first; <paramref name="search"/>
    /// keeps those whose id, user, feature or tenant holds it (case-insensitive).
    /// </summary>
    Task<SessionSummary[]> QuerySessionsAsync(RecordFilter filter, CostBasis cost, int limit, int offset = 0, string? search = null, CancellationToken cancellationToken = default);

    /// <summary>The spread of cost per session over the sessions with calls in the filter.</summary>
    Task<SessionCostDistribution> QuerySessionCostsAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default);

    /// <summary>
    /// One session, whatever the range, with all its calls in order; null when no call has that session.
    /// Only the calls within <paramref name="scope"/> (a tenant-scoped caller's tenants) make it up.
    /// </summary>
    Task<SessionDetail?> GetSessionAsync(string id, CostBasis cost, RecordFilter? scope = null, CancellationToken cancellationToken = default);

    /// <summary>When the first and the last call in the filter started: the dashboard's default range fits the data with it.</summary>
    Task<DataSpan> QueryDataSpanAsync(RecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The errors in the filter grouped by type, HTTP status and message, most frequent first.</summary>
    Task<ErrorGroup[]> QueryErrorGroupsAsync(RecordFilter filter, int limit, CancellationToken cancellationToken = default);

    /// <summary>A page of the calls in the filter.</summary>
    Task<CallListItem[]> QueryCallsAsync(RecordFilter filter, CostBasis cost, CallListQuery query, CancellationToken cancellationToken = default);
}
