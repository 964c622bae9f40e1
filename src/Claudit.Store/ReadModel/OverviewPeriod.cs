namespace Claudit.Store.ReadModel;

/// <summary>
/// The headline numbers of one time range. Cost is on the overview's basis (recorded by default: what
/// each call was priced at when it was captured); coverage is the share of billable calls that have one.
/// </summary>
public sealed record OverviewPeriod(
    DateTimeOffset Since,
    DateTimeOffset Until,
    long Requests,
    long Errors,
    double ErrorRate,
    decimal CostUsd,
    long PricedCalls,
    long UnpricedCalls,
    double? CostCoverage,
    double? P95LatencyMs,
    double? P95TtftMs,
    double? CacheHitRate);
