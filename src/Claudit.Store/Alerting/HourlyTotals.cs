namespace Claudit.Store.Alerting;

/// <summary>
/// The sums of one hour of calls for one group (the values of the dimensions asked for, in order; null
/// for a call without that tag): what the alert evaluator's long memories (24 h and 7 day baselines,
/// calendar-day and -month spend) are seeded with when it starts, instead of replaying days of records.
/// </summary>
public sealed record HourlyTotals(DateTimeOffset Hour, IReadOnlyList<string?> Group, long Calls, decimal CostUsd, long InputTokens, long CacheReadTokens, long OutputTokens);
