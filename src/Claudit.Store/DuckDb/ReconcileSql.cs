using Claudit.Core.Reconcile;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// Claudit's side of a reconciliation: the billable calls with usage in [since, until), by UTC bucket × billed
/// model × service tier (no tier = standard), with the token classes the usage report counts (cache writes as
/// billed, 5-minute and 1-hour), web searches, and their recorded cost.
/// </summary>
internal static class ReconcileSql
{
    public const string NoModel = "(no model)";

    public static List<ReconcileCell> Recorded(DuckDBConnection connection, DateTimeOffset since, DateTimeOffset until, ReconcileWidth width)
    {
        var c = CostRelation.For(connection, new RecordFilter { Since = since, Until = until }, (Core.Pricing.CostCalculator?)null);
        var stepUs = ReconcileBuckets.Step(width).Ticks / 10;
        using var command = c.Command(connection, $"""
            SELECT (epoch_us(start_time) // {stepUs}) * {stepUs} AS bucket_us, coalesce({StoreSql.BilledModel}, '{NoModel}'), coalesce(service_tier, '{ReconcileKey.StandardTier}'),
                sum(input_tokens), sum(coalesce({StoreSql.BilledWrite5m}, 0)), sum(coalesce({StoreSql.BilledWrite1h}, 0)), sum(coalesce(cache_read_tokens, 0)),
                sum(coalesce(output_tokens, 0)), sum(coalesce(web_search_requests, 0)), CAST(sum(k_total) AS VARCHAR)
            FROM c WHERE has_usage
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """);
        using var d = command.ExecuteReader();
        var cells = new List<ReconcileCell>();
        while (d.Read())
        {
            var bucket = DateTimeOffset.UnixEpoch.AddTicks(Convert.ToInt64(d.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) * 10);
            cells.Add(new ReconcileCell(new ReconcileKey(bucket, d.GetString(1), d.GetString(2)), new ReconcileAmounts
            {
                UncachedInputTokens = Sum(d, 3),
                CacheWrite5mTokens = Sum(d, 4),
                CacheWrite1hTokens = Sum(d, 5),
                CacheReadTokens = Sum(d, 6),
                OutputTokens = Sum(d, 7),
                WebSearchRequests = Sum(d, 8),
                CostUsd = StoreSql.Dec(d, 9),
            }));
        }

        return cells;
    }

    /// <summary>DuckDB sums BIGINTs into HUGEINT: read whatever integer came back.</summary>
    private static long Sum(System.Data.Common.DbDataReader d, int i) =>
        d.IsDBNull(i) ? 0 : Convert.ToInt64(d.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
}
