namespace Claudit.Store.ReadModel;

/// <summary>
/// The headline numbers of one time range. Cost is on the overview's basis (recorded by default: what
/// each call was priced at when it was captured); coverage is the share of billable calls that have one.
/// <see cref="Retries"/> are attempts linked to an earlier failed attempt (<c>tags.parent_id</c>); each stands
/// for one failure that was retried, so <see cref="FailureRateAfterRetries"/> is (errors − retries) over
/// (requests − retries) (<see cref="Core.Reporting.AfterRetries"/>): the share of logical requests whose last attempt failed, beside the per-attempt
/// <see cref="ErrorRate"/>.
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
    double? CacheHitRate,
    long Retries,
    double FailureRateAfterRetries);
