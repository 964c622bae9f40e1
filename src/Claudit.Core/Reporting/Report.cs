using System.Text.Json.Serialization;

namespace Claudit.Core.Reporting;

/// <summary>
/// The report model: what <c>claudit report</c> prints and the server's report API returns.
/// Its JSON form (snake_case) is documented in docs/report.md. <c>CostUsd</c> is the total cost of the
/// priced calls in USD; <c>CostMode</c> is <c>recorded</c> (the default) or <c>recomputed</c>;
/// <c>PriceTableVersion</c> names the price table(s) behind the cost: those the recorded calls name
/// (comma-separated), or the one that re-priced them.
/// </summary>
public sealed record Report(
    long Calls, long Successes, long Errors, double ErrorRate, IReadOnlyList<CountEntry> ErrorsByType,
    decimal CostUsd, CostBreakdown CostBreakdownUsd, string CostMode, string? PriceTableVersion,
    TokenTotals Tokens, double? CacheHitRate, PercentileSummary LatencyMs, PercentileSummary TtftMs,
    IReadOnlyList<CountEntry> StopReasons, double? MaxTokensTruncationRate,
    string GroupBy, IReadOnlyList<GroupRow> By, IReadOnlyList<CallSummary> TopCalls, IReadOnlyList<ErrorSummary> RecentErrors,
    CostCoverage Coverage, DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>
    /// The share of logical requests whose last attempt failed (<see cref="AfterRetries"/>): beside <see cref="ErrorRate"/>,
    /// which counts every attempt, what callers finally saw.
    /// </summary>
    public double FailureRateAfterRetries { get; init; }

    /// <summary>Input lines that were not records (corrupt or truncated) and were skipped.</summary>
    public long SkippedLines { get; init; }

    /// <summary>The endpoint scope the figures above cover: <c>billable</c> (the default), <c>all</c> or one kind.</summary>
    public string Endpoint { get; init; } = EndpointScope.Billable;

    /// <summary>
    /// The calls the filter matches but the endpoint scope leaves out (count_tokens, models, batch management,
    /// …), one row per kind: listed apart so that free calls neither dilute the billable figures nor vanish.
    /// </summary>
    public IReadOnlyList<EndpointRow> OtherEndpoints { get; init; } = [];

    /// <summary>Message Batches a response showed ended whose results were never read through the gateway: their spend is not in the cost.</summary>
    public IReadOnlyList<BatchGap> BatchGaps { get; init; } = [];
}

/// <summary>The calls of one endpoint kind outside the report's scope.</summary>
public sealed record EndpointRow(string Endpoint, long Calls, long Errors, decimal CostUsd, double? LatencyP50Ms, double? LatencyP95Ms);

/// <summary>
/// A batch whose results Claudit never saw: "batch N: results not seen". <c>RequestCount</c> is what its
/// management calls reported; <c>LastSeen</c> the last call that showed it.
/// </summary>
public sealed record BatchGap(string BatchId, long? RequestCount, DateTimeOffset LastSeen)
{
    public string Note => $"batch {BatchId}: results not seen";
}

public sealed record CountEntry(string Key, long Count, double Share);

public sealed record CostBreakdown(decimal Input,
    [property: JsonPropertyName("cache_write_5m")] decimal CacheWrite5m,
    [property: JsonPropertyName("cache_write_1h")] decimal CacheWrite1h, decimal CacheRead, decimal Output, decimal WebSearch);

public sealed record TokenTotals(long Input, long Output, long CacheWrite, long CacheRead, long Thinking);

public sealed record GroupRow(string Key, long Calls, long Errors, double ErrorRate, decimal CostUsd, long InputTokens, long OutputTokens,
    long CacheWriteTokens, long CacheReadTokens, double? LatencyP50Ms, double? LatencyP95Ms);

public sealed record CallSummary(Guid Id, DateTimeOffset StartTime, string? Model, decimal CostUsd, long InputTokens, long OutputTokens,
    long CacheWriteTokens, long CacheReadTokens, string? RequestId, string? Feature, string? User);

public sealed record ErrorSummary(Guid Id, DateTimeOffset StartTime, string? Model, string Type, string? Message, int? HttpStatus, string? RequestId);

/// <summary>How much of the reported cost can be trusted: calls that could not be priced are counted, never guessed.</summary>
public sealed record CostCoverage(long PricedCalls, long UnpricedCalls, IReadOnlyList<CountEntry> UnpricedModels, long CallsWithoutUsage, double? Coverage);
