using Claudit.Core.Reconcile;
using Claudit.Core.Reporting;
using Claudit.Store.Alerting;
using Claudit.Store.Usage;
using static Claudit.Store.ClickHouse.ClickHouseSql;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The sums the gateway reads back from the calls besides reports, as the DuckDB engine computes them: what a
/// budget or rate limit counted (<see cref="IScopeUsageQueries"/>), the alert evaluator's hourly totals, and the
/// recorded side of a reconciliation.
/// </summary>
internal static class ClickHouseUsageSql
{
    private static string Column(UsageScope scope) => scope switch
    {
        UsageScope.Key => "virtual_key",
        UsageScope.User => "tag_user",
        UsageScope.Tenant => "tag_tenant",
        UsageScope.Feature => "tag_feature",
        UsageScope.Model => "model_requested",
        _ => "CAST(NULL AS Nullable(String))",
    };

    public static async Task<ScopeUsage[]> ScopeAsync(ClickHouseHttp http, ScopeUsageQuery q, CancellationToken cancellationToken)
    {
        var conditions = new List<string>
        {
            ClickHouseFilter.Where(new RecordFilter { Since = q.Since, Until = q.Until, Endpoint = EndpointScope.All }),
            "source = 'gateway'",
            "lower(endpoint) = '/v1/messages'",
            "NOT ifNull(error_origin = 'gateway', 0)",
        };
        var scope = Column(q.Scope);
        if (q.Scope != UsageScope.Global)
        {
            conditions.Add($"isNotNull({scope})");
        }

        if (q.Match.Key is { } key)
        {
            // A policy may name a key by its id or by its name.
            conditions.Add($"(ifNull(virtual_key = {Literal(key)}, 0) OR ifNull(virtual_key_name = {Literal(key)}, 0))");
        }

        Equal(UsageScope.User, q.Match.User);
        Equal(UsageScope.Tenant, q.Match.Tenant);
        Equal(UsageScope.Feature, q.Match.Feature);
        if (q.Match.Model is { } model)
        {
            conditions.Add($"ifNull(startsWith(lower(model_requested), {Literal(model.ToLowerInvariant())}), 0)");
        }

        var bucket = q.BucketTicks > 0 && q.Top is null ? $"intDiv(ticks, {q.BucketTicks})" : "toInt64(0)";
        var order = q.Top is { } top
            ? $" ORDER BY {q.Order switch { UsageOrder.Requests => "n", UsageOrder.Tokens => "tokens", _ => "cost_sum" }} DESC, k LIMIT {top}"
            : "";
        var rows = await http.RowsAsync($"""
            SELECT k, b, toString(cost_sum), n, tokens FROM (
                SELECT {scope} AS k, {bucket} AS b, ifNull(sumIf(cost_usd, cost_priced = 1), {Zero}) AS cost_sum, count() AS n,
                    {SumTokens("ifNull(input_tokens, 0) + ifNull(cache_creation_tokens, 0) + ifNull(cache_read_tokens, 0) + ifNull(output_tokens, 0)")} AS tokens
                FROM calls WHERE {string.Join(" AND ", conditions)}
                GROUP BY k, b{order})
            """, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(d => new ScopeUsage(d[0], Long(d[1]), Money(d[2]), Long(d[3]), Long(d[4])))];

        void Equal(UsageScope column, string? value)
        {
            if (value is not null)
            {
                conditions.Add($"ifNull({Column(column)} = {Literal(value)}, 0)");
            }
        }
    }

    public static async Task<HourlyTotals[]> HourlyAsync(ClickHouseHttp http, RecordFilter filter, string? endpoint, IReadOnlyList<CallDimension> groupBy, CancellationToken cancellationToken)
    {
        var where = ClickHouseFilter.Where(endpoint is null ? filter : filter with { Endpoint = EndpointScope.All })
            + (endpoint is null ? "" : $" AND endpoint = {Literal(endpoint)}");
        var groups = string.Concat(groupBy.Select((g, i) => $", {Column(g)} AS g{i}"));
        var rows = await http.RowsAsync($"""
            SELECT intDiv(ticks, {TimeSpan.TicksPerHour}) AS hour{groups}, count(),
                {SumMoney("cost_usd", "cost_priced = 1")},
                {SumTokens("input_tokens + ifNull(cache_creation_tokens, 0) + ifNull(cache_read_tokens, 0)")},
                {SumTokens("cache_read_tokens")}, {SumTokens("output_tokens")}
            FROM calls WHERE {where} GROUP BY hour{string.Concat(groupBy.Select((_, i) => $", g{i}"))} ORDER BY hour
            """, cancellationToken).ConfigureAwait(false);
        var n = groupBy.Count;
        return [.. rows.Select(d => new HourlyTotals(FromTicks(Long(d[0]) * TimeSpan.TicksPerHour), d[1..(1 + n)], Long(d[n + 1]), Money(d[n + 2]), Long(d[n + 3]), Long(d[n + 4]), Long(d[n + 5])))];
    }

    public static string Column(CallDimension dimension) => dimension switch
    {
        CallDimension.Model => BilledModel,
        CallDimension.Feature => "tag_feature",
        CallDimension.User => "tag_user",
        CallDimension.Tenant => "tag_tenant",
        CallDimension.Session => SessionKey,
        CallDimension.Endpoint => "endpoint",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    public static async Task<IReadOnlyList<ReconcileCell>> RecordedAsync(ClickHouseHttp http, DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, CancellationToken cancellationToken)
    {
        var c = await ClickHouseCost.ForAsync(http, new RecordFilter { Since = since, Until = until }, null, cancellationToken).ConfigureAwait(false);
        var step = ReconcileBuckets.Step(width).Ticks;
        var rows = await http.RowsAsync($"""
            SELECT intDiv(ticks, {step}) * {step} AS bucket, ifNull({BilledModel}, '(no model)') AS m, ifNull(service_tier, '{ReconcileKey.StandardTier}') AS t,
                {SumTokens("input_tokens")}, {SumTokens("ifNull(cache_write_5m_billed, 0)")}, {SumTokens("ifNull(cache_write_1h_billed, 0)")},
                {SumTokens("ifNull(cache_read_tokens, 0)")}, {SumTokens("ifNull(output_tokens, 0)")}, {SumTokens("ifNull(web_search_requests, 0)")},
                toString(sum(k_total))
            FROM {c} WHERE has_usage
            GROUP BY bucket, m, t ORDER BY bucket, m, t
            """, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(d => new ReconcileCell(new ReconcileKey(FromTicks(Long(d[0])), d[1]!, d[2]!), new ReconcileAmounts
        {
            UncachedInputTokens = Long(d[3]),
            CacheWrite5mTokens = Long(d[4]),
            CacheWrite1hTokens = Long(d[5]),
            CacheReadTokens = Long(d[6]),
            OutputTokens = Long(d[7]),
            WebSearchRequests = Long(d[8]),
            CostUsd = Money(d[9]),
        }))];
    }
}
