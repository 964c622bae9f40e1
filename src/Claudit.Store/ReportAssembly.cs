using Claudit.Core.Pricing;
using Claudit.Core.Reporting;

namespace Claudit.Store;

/// <summary>One report's whole-range sums, as each engine's first query reads them.</summary>
internal sealed record ReportTotals(long Calls, long Errors, long Priced, long Unpriced, long WithoutUsage, long Input, long Output,
    long CacheWrite, long CacheRead, long Thinking, decimal[] Cost, DateTimeOffset? From, DateTimeOffset? To,
    PercentileSummary Latency, PercentileSummary Ttft, string? RecordedTables);

/// <summary>
/// The <see cref="Report"/> from what a store engine's queries read (DuckDB's <c>SqlReport</c>, ClickHouse's
/// <c>ClickHouseReport</c>): one assembly, so that the engines differ only in their SQL and answer alike.
/// </summary>
internal static class ReportAssembly
{
    /// <summary>Counts per key (error types, stop reasons, unpriced models) with their share of <paramref name="total"/>, largest first.</summary>
    public static CountEntry[] Shares(List<(string Key, long Count)> counts, long total) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new CountEntry(c.Key, c.Count, Rate(c.Count, total)))];

    public static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    public static Report Assemble(ReportOptions options, CostCalculator pricing, ReportTotals totals, List<(string Key, long Count)> errorsByType,
        List<(string Key, long Count)> stopReasons, List<(string Key, long Count)> unpricedModels, long retries, IReadOnlyList<GroupRow> groups,
        IReadOnlyList<CallSummary> topCalls, IReadOnlyList<ErrorSummary> recentErrors, IReadOnlyList<EndpointRow> otherEndpoints, IReadOnlyList<BatchGap> batchGaps)
    {
        var stopTotal = stopReasons.Sum(s => s.Count);
        var totalInput = totals.Input + totals.CacheWrite + totals.CacheRead;
        var billable = totals.Priced + totals.Unpriced;
        return new Report(
            Calls: totals.Calls,
            Successes: totals.Calls - totals.Errors,
            Errors: totals.Errors,
            ErrorRate: Rate(totals.Errors, totals.Calls),
            ErrorsByType: Shares(errorsByType, totals.Errors),
            CostUsd: totals.Cost[0],
            CostBreakdownUsd: new CostBreakdown(totals.Cost[1], totals.Cost[2], totals.Cost[3], totals.Cost[4], totals.Cost[5], totals.Cost[6]),
            CostMode: options.CostMode == CostMode.Recorded ? "recorded" : "recomputed",
            PriceTableVersion: options.CostMode == CostMode.Recorded ? totals.RecordedTables : pricing.Table.Version,
            Tokens: new TokenTotals(totals.Input, totals.Output, totals.CacheWrite, totals.CacheRead, totals.Thinking),
            CacheHitRate: totalInput == 0 ? null : (double)totals.CacheRead / totalInput,
            LatencyMs: totals.Latency,
            TtftMs: totals.Ttft,
            StopReasons: Shares(stopReasons, stopTotal),
            MaxTokensTruncationRate: stopTotal == 0 ? null : (double)stopReasons.Where(s => s.Key == "max_tokens").Sum(s => s.Count) / stopTotal,
            GroupBy: options.GroupBy.ToString().ToLowerInvariant(),
            By: groups,
            TopCalls: topCalls,
            RecentErrors: recentErrors,
            Coverage: new CostCoverage(totals.Priced, totals.Unpriced, Shares(unpricedModels, totals.Unpriced), totals.WithoutUsage,
                billable + totals.WithoutUsage == 0 ? null : (double)totals.Priced / (billable + totals.WithoutUsage)),
            From: totals.From,
            To: totals.To)
        {
            FailureRateAfterRetries = AfterRetries.FailureRate(totals.Calls, totals.Errors, retries),
            Endpoint = options.Filter.Endpoint ?? EndpointScope.Billable,
            OtherEndpoints = otherEndpoints,
            BatchGaps = batchGaps,
        };
    }
}
