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
            SELECT CAST((epoch_us(start_time) // {stepUs}) * {stepUs} AS BIGINT) AS bucket_us, coalesce({StoreSql.BilledModel}, '{NoModel}'), coalesce(service_tier, '{ReconcileKey.StandardTier}'),
                CAST(sum(input_tokens) AS BIGINT), CAST(sum(coalesce({StoreSql.BilledWrite5m}, 0)) AS BIGINT), CAST(sum(coalesce({StoreSql.BilledWrite1h}, 0)) AS BIGINT),
                CAST(sum(coalesce(cache_read_tokens, 0)) AS BIGINT), CAST(sum(coalesce(output_tokens, 0)) AS BIGINT), CAST(sum(coalesce(web_search_requests, 0)) AS BIGINT),
                CAST(sum(k_total) AS VARCHAR)
            FROM c WHERE has_usage
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """);
        using var d = command.ExecuteReader();
        var cells = new List<ReconcileCell>();
        while (d.Read())
        {
            var bucket = DateTimeOffset.UnixEpoch.AddTicks(d.GetInt64(0) * 10);
            cells.Add(new ReconcileCell(new ReconcileKey(bucket, d.GetString(1), d.GetString(2)), new ReconcileAmounts
            {
                UncachedInputTokens = d.GetInt64(3),
                CacheWrite5mTokens = d.GetInt64(4),
                CacheWrite1hTokens = d.GetInt64(5),
                CacheReadTokens = d.GetInt64(6),
                OutputTokens = d.GetInt64(7),
                WebSearchRequests = d.GetInt64(8),
                CostUsd = StoreSql.Dec(d, 9),
            }));
        }

        return cells;
    }
}
