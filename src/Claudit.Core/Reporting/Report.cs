using System.Text.Json.Serialization;

namespace Claudit.Core.Reporting;

/// <summary>
/// The report model: what <c>claudit report</c> prints and the server's report API returns.
/// Its JSON form (snake_case) is documented in docs/report-format.md.
/// </summary>
public sealed record Report
{
    public required long Calls { get; init; }
    public required long Successes { get; init; }
    public required long Errors { get; init; }
    public required double ErrorRate { get; init; }
    public required IReadOnlyList<CountEntry> ErrorsByType { get; init; }

    /// <summary>Total cost of the priced calls, in USD.</summary>
    public required decimal CostUsd { get; init; }
    public required CostBreakdown CostBreakdownUsd { get; init; }
    /// <summary><c>recorded</c> (the default) or <c>recomputed</c>.</summary>
    public required string CostMode { get; init; }

    /// <summary>The price table(s) behind the cost: those the recorded calls name (comma-separated), or the one that re-priced them.</summary>
    public required string? PriceTableVersion { get; init; }
    public required TokenTotals Tokens { get; init; }
    public required double? CacheHitRate { get; init; }
    public required PercentileSummary LatencyMs { get; init; }
    public required PercentileSummary TtftMs { get; init; }
    public required IReadOnlyList<CountEntry> StopReasons { get; init; }
    public required double? MaxTokensTruncationRate { get; init; }
    public required string GroupBy { get; init; }
    public required IReadOnlyList<GroupRow> By { get; init; }
    public required IReadOnlyList<CallSummary> TopCalls { get; init; }
    public required IReadOnlyList<ErrorSummary> RecentErrors { get; init; }
    public required CostCoverage Coverage { get; init; }
    public required DateTimeOffset? From { get; init; }
    public required DateTimeOffset? To { get; init; }

    /// <summary>Input lines that were not records (corrupt or truncated) and were skipped.</summary>
    public long SkippedLines { get; init; }
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
