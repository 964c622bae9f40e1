using System.Globalization;
using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.RollupSql;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The dashboard's queries answered from the rollups (<see cref="RollupSql"/>) when the filter allows it
/// (<see cref="RollupSql.Serves"/>): totals, counts and cost series, breakdowns and spend per day read the
/// per-minute sums; only percentiles read the raw rows. Each gives what <see cref="DashboardSql"/>'s
/// aggregate over the raw rows gives (checked by the store's parity test).
/// </summary>
internal static class DashboardRollups
{
    public static (OverviewPeriod Period, string? RecordedTables) Period(DuckDBConnection connection, RecordFilter filter)
    {
        var (r, parameters, where) = Relation(filter, "all", "calls", "errors", "k_total", "priced", "unpriced_with_usage", "billable", "cache_read_tokens", "total_input_tokens", "retries");
        long requests, errors, priced, unpriced, billable, cacheRead, totalInput, retries;
        decimal cost;
        using (var command = Command(connection, $"""
            WITH {r}
            SELECT {Count("calls")}, {Count("errors")}, CAST(coalesce(sum(k_total), 0) AS VARCHAR), {Count("priced")}, {Count("unpriced_with_usage")},
                {Count("billable")}, {SumRolled("cache_read_tokens")}, {SumRolled("total_input_tokens")}, {Count("retries")}
            FROM r
            """, parameters))
        using (var d = command.ExecuteReader())
        {
            d.Read();
            (requests, errors, cost, priced, unpriced, billable, cacheRead, totalInput, retries) =
                (d.GetInt64(0), d.GetInt64(1), Dec(d, 2), d.GetInt64(3), d.GetInt64(4), d.GetInt64(5), d.GetInt64(6), d.GetInt64(7), d.GetInt64(8));
        }

        var p95Latency = P95(connection, filter, "latency_ms", requests, where, parameters);
        var p95Ttft = P95(connection, filter, "ttft_ms", requests, where, parameters);

        var (tables, tableParameters, _) = Relation(filter, "price_table", "priced");
        using var names = Command(connection, $"""
            WITH {tables}
            SELECT string_agg(key, ',' ORDER BY key) FROM (SELECT key FROM r GROUP BY key HAVING sum(priced) > 0 AND key <> '(none)')
            """, tableParameters);
        var recorded = names.ExecuteScalar() as string;
        return (DashboardSql.PeriodOf(filter.Since!.Value, filter.Until!.Value, requests, errors, cost, priced, unpriced, billable, p95Latency, p95Ttft,
            cacheRead, totalInput, retries), recorded);
    }

    /// <summary>The 95th percentile of a metric over the range: exact over few calls, from the histograms over many.</summary>
    private static double? P95(DuckDBConnection connection, RecordFilter filter, string metric, long requests, string where, List<DuckDBParameter> parameters)
    {
        if (requests > HistogramSql.ExactUpTo
            && HistogramSql.Quantiles(connection, filter, "all", metric, "''", "''", null, [0.95]) is { } approximate)
        {
            return approximate.TryGetValue((0, ""), out var q) ? q[0] : null;
        }

        using var command = Command(connection, $"SELECT quantile_cont({metric}, 0.95) FROM calls WHERE {where}", parameters);
        return command.ExecuteScalar() is double value ? value : null;
    }

    /// <summary>
    /// The (bucket, key, value) rows of a count or cost series, or null when the rollups cannot bucket it
    /// exactly: they can when buckets are whole minutes from a range that starts on a minute.
    /// </summary>
    public static DuckDBCommand? Series(DuckDBConnection connection, RecordFilter filter, CostBasis cost, TimeSeriesQuery query, string[] tokenClasses)
    {
        var since = StoreTime.ToTicks(filter.Since!.Value);
        if (!Serves(filter, cost) || query.Bucket.Ticks % TimeSpan.TicksPerMinute != 0 || since % TimeSpan.TicksPerMinute != 0
            || query.Metric is not (TimeSeriesMetric.Requests or TimeSeriesMetric.Errors or TimeSeriesMetric.Cost))
        {
            return null;
        }

        var (dim, key) = query.By switch
        {
            TimeSeriesSplit.None or TimeSeriesSplit.TokenClass => ("all", "'total'"),
            TimeSeriesSplit.Model => ("model", "key"),
            TimeSeriesSplit.Feature => ("feature", "key"),
            TimeSeriesSplit.Tenant => ("tenant", "key"),
            TimeSeriesSplit.Endpoint => ("all", "endpoint_kind"),
            TimeSeriesSplit.ErrorType when query.Metric == TimeSeriesMetric.Errors => ("error_type", "key"),
            _ => (null, null),
        };
        if (dim is null || (query.By == TimeSeriesSplit.TokenClass && query.Metric != TimeSeriesMetric.Cost))
        {
            return null;
        }

        string[] sums = query.By == TimeSeriesSplit.TokenClass ? ["k_input", "k_5m", "k_1h", "k_read", "k_output", "k_web"]
            : query.Metric switch { TimeSeriesMetric.Requests => ["calls"], TimeSeriesMetric.Errors => ["errors"], _ => ["k_total"] };
        var (r, parameters, _) = Relation(filter, dim, sums);
        parameters.Add(new DuckDBParameter("bucket", query.Bucket.Ticks));
        parameters.Add(new DuckDBParameter("origin", since));
        const string bucket = "(unit - $origin) // $bucket";
        string select;
        if (query.By == TimeSeriesSplit.TokenClass)
        {
            var classes = string.Join(", ", sums.Select(k => $"CAST(coalesce(sum({k}), 0) AS VARCHAR)"));
            select = $"SELECT b, unnest(['{string.Join("', '", tokenClasses)}']) AS k, unnest(q) AS v FROM (SELECT {bucket} AS b, [{classes}] AS q FROM r GROUP BY b)";
        }
        else
        {
            var value = query.Metric switch
            {
                TimeSeriesMetric.Requests => "CAST(sum(calls) AS DOUBLE)",
                TimeSeriesMetric.Errors => "CAST(sum(errors) AS DOUBLE)",
                _ => "CAST(coalesce(sum(k_total), 0) AS VARCHAR)",
            };
            // An errors series has the keys that had errors, as over the raw rows.
            var rows = query.Metric == TimeSeriesMetric.Errors ? " WHERE errors > 0" : "";
            select = $"SELECT {bucket} AS b, {key} AS k, {value} AS v FROM r{rows} GROUP BY b, k";
        }

        return Command(connection, $"WITH {r}\n{select}", parameters);
    }

    /// <summary>
    /// A breakdown by a rolled-up key (users by day, the others by minute): counts and cost from the rollups, latency
    /// percentiles of the page's keys from the raw rows, or from the histograms over many calls by model or endpoint.
    /// </summary>
    public static BreakdownRow[]? Breakdown(DuckDBConnection connection, RecordFilter filter, CostBasis cost, BreakdownKey by, int limit, bool latency)
    {
        var (dim, key, rawKey) = by switch
        {
            BreakdownKey.Model => ("model", "key", $"coalesce({BilledModel}, '(none)')"),
            BreakdownKey.Feature => ("feature", "key", "coalesce(tag_feature, '(none)')"),
            BreakdownKey.Tenant => ("tenant", "key", "coalesce(tag_tenant, '(none)')"),
            BreakdownKey.User => ("user", "key", "coalesce(tag_user, '(none)')"),
            BreakdownKey.Endpoint => ("all", "endpoint_kind", "endpoint_kind"),
            _ => (null, null, null),
        };
        if (dim is null || !ServesWholeUnits(filter, cost, dim))
        {
            return null;
        }

        var (r, parameters, where) = Relation(filter, dim, "calls", "errors", "k_total", "input_tokens", "output_tokens");
        if (latency && by is BreakdownKey.Model or BreakdownKey.Endpoint)
        {
            // Over many calls the page's percentiles come from the histograms, which keep models and endpoint kinds.
            var rows = Breakdown(connection, filter, cost, by, limit, latency: false)!;
            if (rows.Sum(row => row.Calls) > HistogramSql.ExactUpTo
                && HistogramSql.Quantiles(connection, filter, by == BreakdownKey.Model ? "model" : "all", "latency_ms", key!,
                    by == BreakdownKey.Model ? rawKey! : "coalesce(endpoint_kind, 'other')", null, [0.5, 0.95]) is { } approximate)
            {
                return [.. rows.Select(row => approximate.TryGetValue((0, row.Key), out var q) ? row with { LatencyP50Ms = q[0], LatencyP95Ms = q[1] } : row)];
            }
        }

        var g = $"""
            g AS (
                SELECT {key} AS k, {Count("calls")} AS n, {Count("errors")} AS e, coalesce(sum(k_total), 0) AS cost,
                    {SumRolled("input_tokens")} AS it, {SumRolled("output_tokens")} AS ot
                FROM r GROUP BY k ORDER BY cost DESC, n DESC, k LIMIT {limit.ToString(CultureInfo.InvariantCulture)})
            """;
        // Without latency no raw row is read at all (a `WHERE false` over calls still costs DuckDB a scan).
        var sql = latency
            ? $"""
                WITH {r},
                {g},
                lat AS (
                    SELECT {rawKey} AS k, quantile_cont(latency_ms, [0.5, 0.95]) AS q FROM calls WHERE {where} AND {rawKey} IN (SELECT k FROM g) GROUP BY k)
                SELECT g.k, n, e, CAST(cost AS VARCHAR), it, ot, lat.q[1], lat.q[2] FROM g LEFT JOIN lat ON lat.k = g.k ORDER BY cost DESC, n DESC, g.k
                """
            : $"""
                WITH {r},
                {g}
                SELECT k, n, e, CAST(cost AS VARCHAR), it, ot, NULL::DOUBLE, NULL::DOUBLE FROM g ORDER BY cost DESC, n DESC, k
                """;
        return DashboardSql.ReadBreakdown(Command(connection, sql, parameters));
    }

    public static DailyCost[]? Daily(DuckDBConnection connection, RecordFilter filter, CostBasis cost)
    {
        if (!Serves(filter, cost))
        {
            return null;
        }

        var (r, parameters, _) = Relation(filter, "all", "k_total", "calls");
        using var command = Command(connection, $"""
            WITH {r}
            SELECT strftime(make_timestamp(unit // 10), '%Y-%m-%d') AS day, CAST(coalesce(sum(k_total), 0) AS VARCHAR), {Count("calls")} FROM r GROUP BY day ORDER BY day
            """, parameters);
        using var d = command.ExecuteReader();
        var days = new List<DailyCost>();
        while (d.Read())
        {
            days.Add(new DailyCost(DateOnly.ParseExact(d.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), Dec(d, 1), d.GetInt64(2)));
        }

        return [.. days];
    }
}
