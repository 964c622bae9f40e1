using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;
using static Claudit.Store.ClickHouse.ClickHouseSql;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The dashboard's counts and cost sums read from the per-minute rollup (<see cref="ClickHouseRollup"/>) when it
/// serves the filter: each statement returns the same columns, in the same order and exactly the same values,
/// as <see cref="ClickHouseDashboard"/>'s aggregate over the raw rows, which reads them as it reads its own.
/// Percentiles still come from the raw rows.
/// </summary>
internal static class ClickHouseDashboardRollups
{
    /// <summary>The overview period's row: requests, errors, cost, priced, unpriced with usage, billable, cache read, total input, price tables, latencies, TTFTs, retries.</summary>
    public static string Period(ClickHouseRollup.Rolled rolled) => $"""
        SELECT sum(n_calls), sum(n_errors), toString(sum(usd_total)), sum(n_priced), sum(n_unpriced_with_usage), sum(n_billable),
            {SumTokens("tok_read")}, {SumTokens("tok_total_input")},
            (SELECT arrayStringConcat(arraySort(groupArray(key)), ',') FROM (SELECT key FROM {rolled.Relation("price_table")} GROUP BY key HAVING sum(n_priced) > 0 AND key != '(none)')),
            sum(n_calls), sum(n_ttfts), sum(n_retries)
        FROM {rolled.Relation("all")}
        """;

    /// <summary>Whether a series can be bucketed from whole minutes: counts and cost, buckets of whole minutes from a range starting on one, split by a rolled-up key.</summary>
    public static bool CanServe(RecordFilter filter, CostBasis cost, TimeSeriesQuery query) =>
        ClickHouseRollup.Serves(filter, cost)
        && query.Bucket.Ticks % TimeSpan.TicksPerMinute == 0
        && ToTicks(filter.Since!.Value) % TimeSpan.TicksPerMinute == 0
        && query.Metric is TimeSeriesMetric.Requests or TimeSeriesMetric.Errors or TimeSeriesMetric.Cost
        && SeriesDimension(query) is not null;

    private static (string Dim, string Key)? SeriesDimension(TimeSeriesQuery query) => query.By switch
    {
        TimeSeriesSplit.None => ("all", "'total'"),
        TimeSeriesSplit.TokenClass when query.Metric == TimeSeriesMetric.Cost => ("all", "'total'"),
        TimeSeriesSplit.Model => ("model", "key"),
        TimeSeriesSplit.Feature => ("feature", "key"),
        TimeSeriesSplit.Tenant => ("tenant", "key"),
        TimeSeriesSplit.Endpoint => ("all", "endpoint_kind"),
        TimeSeriesSplit.ErrorType when query.Metric == TimeSeriesMetric.Errors => ("error_type", "key"),
        _ => null,
    };

    /// <summary>
    /// A series' (bucket, key, value) rows, or (bucket, cost of each token class) split by token class, as the raw
    /// query's: a bucket is <c>intDiv(ticks - since, width)</c>, the same for a minute's start as for every call in it.
    /// </summary>
    public static string Series(ClickHouseRollup.Rolled rolled, TimeSeriesQuery query)
    {
        var (dim, key) = SeriesDimension(query)!.Value;
        var bucket = $"intDiv({ClickHouseRollup.Rolled.MinuteTicksColumn} - {ToTicks(rolled.Filter.Since!.Value)}, {query.Bucket.Ticks})";
        if (query.By == TimeSeriesSplit.TokenClass)
        {
            var sums = string.Join(", ", new[] { "usd_input", "usd_5m", "usd_1h", "usd_read", "usd_output", "usd_web" }.Select(k => $"toString(sum({k}))"));
            return $"SELECT {bucket} AS b, {sums} FROM {rolled.Relation(dim)} GROUP BY b";
        }

        var (value, rows) = query.Metric switch
        {
            TimeSeriesMetric.Requests => ("toString(sum(n_calls))", ""),
            // An errors series has the keys that had errors, as over the raw rows.
            TimeSeriesMetric.Errors => ("toString(sum(n_errors))", " WHERE n_errors > 0"),
            _ => ("toString(sum(usd_total))", ""),
        };
        return $"SELECT {bucket} AS b, {key} AS k, {value} FROM {rolled.Relation(dim)}{rows} GROUP BY b, k";
    }

    /// <summary>The dimension a breakdown reads and its key, or null for one the minutes do not keep (users: a row per user and minute is about a row per call).</summary>
    public static (string Dim, string Key)? BreakdownDimension(BreakdownKey by) => by switch
    {
        BreakdownKey.Model => ("model", "key"),
        BreakdownKey.Feature => ("feature", "key"),
        BreakdownKey.Tenant => ("tenant", "key"),
        BreakdownKey.Endpoint => ("all", "endpoint_kind"),
        _ => null,
    };

    /// <summary>A breakdown's page: key, calls, errors, cost, input and output tokens, latencies counted (every call has one).</summary>
    public static string Breakdown(ClickHouseRollup.Rolled rolled, (string Dim, string Key) dimension, int limit) => $"""
        SELECT {dimension.Key} AS k, sum(n_calls) AS n, sum(n_errors), toString(sum(usd_total)), {SumTokens("tok_input")}, {SumTokens("tok_output")}, n
        FROM {rolled.Relation(dimension.Dim)} GROUP BY k
        ORDER BY sum(usd_total) DESC, n DESC, k LIMIT {limit}
        """;

    /// <summary>Spend and calls per UTC day.</summary>
    public static string Daily(ClickHouseRollup.Rolled rolled) =>
        $"SELECT toString(toDate(minute)) AS day, toString(sum(usd_total)), sum(n_calls) FROM {rolled.Relation("all")} GROUP BY day ORDER BY day";
}
