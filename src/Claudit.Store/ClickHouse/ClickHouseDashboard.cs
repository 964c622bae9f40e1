using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;
using static Claudit.Store.ClickHouse.ClickHouseSql;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The dashboard's queries (docs/api.md) on ClickHouse, query for query the DuckDB engine's <c>DashboardSql</c>:
/// each an aggregate over the cost relation (<see cref="ClickHouseCost"/>), or, for the counts and cost sums the rollup
/// serves, the same aggregate over its per-minute sums (<see cref="ClickHouseDashboardRollups"/>). Percentiles are exact and
/// interpolated (<see cref="ExactPercentiles"/>); DuckDB's <c>quantile_cont</c> may differ from them in the last bit.
/// </summary>
internal sealed class ClickHouseDashboard(ClickHouseHttp http)
{
    private static string[] TokenClasses => SeriesLines.TokenClasses;
    private static readonly double[] P95 = [0.95];
    private static readonly double[] P50P95 = [0.5, 0.95];
    private static readonly double[] P50P95P99 = [0.5, 0.95, 0.99];

    private const string TotalInput = "(toDecimal128(input_tokens, 0) + ifNull(cache_creation_tokens, 0) + ifNull(cache_read_tokens, 0))";

    public async Task<Overview> OverviewAsync(RecordFilter filter, CostBasis cost, CancellationToken ct)
    {
        var (since, until) = Range(filter);
        var length = until - since;
        var (current, tables) = await PeriodAsync(filter, cost, ct).ConfigureAwait(false);
        var (previous, _) = await PeriodAsync(filter with { Since = since - length, Until = since }, cost, ct).ConfigureAwait(false);
        return new Overview(current, previous, cost.Mode, cost.Pricing?.Table.Version ?? tables);
    }

    private async Task<(OverviewPeriod, string?)> PeriodAsync(RecordFilter filter, CostBasis cost, CancellationToken ct)
    {
        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var rolled = await ClickHouseRollup.ForAsync(http, filter, cost, ct).ConfigureAwait(false);
        var d = (await http.RowsAsync(rolled is not null ? ClickHouseDashboardRollups.Period(rolled) : $"""
            SELECT count(), countIf(status = 'error'), {SumMoney("k_total")}, countIf(priced), countIf(NOT priced AND has_usage),
                countIf(has_usage OR status != 'error'), {SumTokens("cache_read_tokens")}, {SumTokens(TotalInput)},
                arrayStringConcat(arraySort(groupUniqArrayIf(assumeNotNull(price_table_version), priced AND isNotNull(price_table_version))), ','),
                count(latency_ms), count(ttft_ms), countIf(isNotNull(parent_id))
            FROM {c}
            """, ct).ConfigureAwait(false))[0];
        // The percentiles in a second pass, now that the counts are known (ExactPercentiles.Selected).
        var (latencies, ttfts) = (Long(d[9]), Long(d[10]));
        var selected = new List<string>();
        if (latencies > 0)
        {
            selected.Add(ExactPercentiles.Selected("latency_ms", latencies, P95));
        }

        if (ttfts > 0)
        {
            selected.Add(ExactPercentiles.Selected("ttft_ms", ttfts, P95));
        }

        var q = selected.Count == 0 ? [] : (await http.RowsAsync($"SELECT {string.Join(", ", selected)} FROM {c}", ct).ConfigureAwait(false))[0];
        var latency = latencies > 0 ? ExactPercentiles.Interpolate(ExactPercentiles.Fields(q[0]), 0, latencies, P95)[0] : null;
        var ttft = ttfts > 0 ? ExactPercentiles.Interpolate(ExactPercentiles.Fields(q[^1]), 0, ttfts, P95)[0] : null;
        var (since, until) = Range(filter);
        return (DuckDb.DashboardSql.PeriodOf(since, until, Long(d[0]), Long(d[1]), Money(d[2]), Long(d[3]), Long(d[4]), Long(d[5]),
            latency, ttft, Long(d[6]), Long(d[7]), Long(d[11])), string.IsNullOrEmpty(d[8]) ? null : d[8]);
    }

    public async Task<TimeSeries> SeriesAsync(RecordFilter filter, CostBasis cost, TimeSeriesQuery query, CancellationToken ct)
    {
        var (since, until) = Range(filter);
        var bucketTicks = query.Bucket.Ticks;
        var lines = SeriesLines.For(since, until, query);
        var (count, percentile, column) = (lines.Count, lines.Percentile, SeriesLines.ValueColumn(query.Metric));
        var key = SeriesLines.SplitColumn(query, BilledModel, $"ifNull(error_type, '{ErrorTypes.HttpError}')");

        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var errorsOnly = query.Metric == TimeSeriesMetric.Errors ? " AND status = 'error'" : "";
        var bucket = $"intDiv(ticks - {ToTicks(since)}, {bucketTicks})";
        var rolled = ClickHouseDashboardRollups.CanServe(filter, cost, query) ? await ClickHouseRollup.ForAsync(http, filter, cost, ct).ConfigureAwait(false) : null;
        if (rolled is not null)
        {
            // Token classes' rows are (bucket, six costs); the others' (bucket, key, count or cost), as below.
            foreach (var d in await http.RowsAsync(ClickHouseDashboardRollups.Series(rolled, query), ct).ConfigureAwait(false))
            {
                if (query.By == TimeSeriesSplit.TokenClass)
                {
                    for (var i = 0; i < TokenClasses.Length; i++)
                    {
                        lines.Put(Long(d[0]), TokenClasses[i], (double)Money(d[1 + i]));
                    }
                }
                else
                {
                    lines.Put(Long(d[0]), d[1]!, (double)Money(d[2]));
                }
            }
        }
        else if (percentile && key is null)
        {
            foreach (var d in await http.RowsAsync($"SELECT {bucket} AS b, count({column}) AS n, {ExactPercentiles.Neighbours(column!, P50P95P99)} FROM {c} WHERE isNotNull({column}) GROUP BY b", ct).ConfigureAwait(false))
            {
                var q = ExactPercentiles.Interpolate(d, 2, Long(d[1]), P50P95P99);
                lines.Put(Long(d[0]), "p50", q[0]);
                lines.Put(Long(d[0]), "p95", q[1]);
                lines.Put(Long(d[0]), "p99", q[2]);
            }
        }
        else if (query.By == TimeSeriesSplit.TokenClass)
        {
            var sums = string.Join(", ", new[] { "k_input", "k_5m", "k_1h", "k_read", "k_output", "k_web" }.Select(k => SumMoney(k)));
            foreach (var d in await http.RowsAsync($"SELECT {bucket} AS b, {sums} FROM {c} GROUP BY b", ct).ConfigureAwait(false))
            {
                for (var i = 0; i < TokenClasses.Length; i++)
                {
                    lines.Put(Long(d[0]), TokenClasses[i], (double)Money(d[1 + i]));
                }
            }
        }
        else
        {
            var k = key is null ? "'total'" : $"ifNull({key}, '(none)')";
            var nonNull = column is null ? "" : $" AND isNotNull({column})";
            var value = query.Metric switch
            {
                TimeSeriesMetric.Requests or TimeSeriesMetric.Errors => "toString(count())",
                TimeSeriesMetric.Cost => SumMoney("k_total"),
                _ => $"count({column}), {ExactPercentiles.Neighbours(column!, [query.Percentile])}",
            };
            foreach (var d in await http.RowsAsync($"SELECT {bucket} AS b, {k} AS k, {value} FROM {c} WHERE 1{errorsOnly}{nonNull} GROUP BY b, k", ct).ConfigureAwait(false))
            {
                lines.Put(Long(d[0]), d[1]!, column is null ? (double)Money(d[2]) : ExactPercentiles.Interpolate(d, 3, Long(d[2]), [query.Percentile])[0]);
            }
        }

        return lines.Build(since, query, keyed: key is not null);
    }

    public async Task<SessionSummary[]> SessionsAsync(RecordFilter filter, CostBasis cost, int limit, int offset, string? search, CancellationToken ct)
    {
        // Two passes, as in DuckDB: the cheap one picks the page of sessions, the full aggregate runs over their rows only.
        // A search keeps the rows whose session, user, feature or tenant holds it, in both passes, as DuckDB's relation does.
        var searched = search is null ? "" : $" AND {Contains(search, SessionKey, "tag_user", "tag_feature", "tag_tenant")}";
        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var page = await http.RowsAsync(
            $"SELECT assumeNotNull({SessionKey}) AS s, max(ticks) AS last FROM {c} WHERE isNotNull({SessionKey}){searched} GROUP BY s ORDER BY last DESC, s LIMIT {offset}, {limit}", ct).ConfigureAwait(false);
        if (page.Count == 0)
        {
            return [];
        }

        var order = page.Select((p, i) => (p[0]!, i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        var sessions = await ReadSessionsAsync(c, $" AND {SessionKey} IN ({string.Join(", ", order.Keys.Select(Literal))}){searched}", ct).ConfigureAwait(false);
        return [.. sessions.OrderBy(s => order[s.Id])];
    }

    public async Task<SessionDetail?> SessionAsync(string id, CostBasis cost, RecordFilter scope, CancellationToken ct)
    {
        var c = await ClickHouseCost.ForAsync(http, scope, cost.Pricing, ct).ConfigureAwait(false);
        var sessions = await ReadSessionsAsync(c, $" AND {SessionKey} = {Literal(id)}", ct).ConfigureAwait(false);
        if (sessions.Length == 0)
        {
            return null;
        }

        var calls = await CallsAsync(scope, cost, new CallListQuery { Session = id, Order = CallOrder.Recent, Limit = 10_000 }, ct).ConfigureAwait(false);
        Array.Reverse(calls);
        return new SessionDetail(sessions[0], calls);
    }

    private async Task<SessionSummary[]> ReadSessionsAsync(string c, string condition, CancellationToken ct)
    {
        var maxTicks = (RecordValidator.MaxDurationMs * 10_000).ToString("R", CultureInfo.InvariantCulture);
        var rows = await http.RowsAsync($"""
            SELECT assumeNotNull({SessionKey}) AS s, count(), countIf(status = 'error'), {SumMoney("k_total")},
                min(ticks), max(ticks + toInt64(round(least(greatest(latency_ms, 0) * 10000, toFloat64({maxTicks}))))), sum(tool_count),
                arrayStringConcat(arraySort(groupUniqArray({BilledModel})), ','), min(tag_user), min(tag_feature), min(tag_tenant)
            FROM {c} WHERE isNotNull({SessionKey}){condition} GROUP BY s
            """, ct).ConfigureAwait(false);
        return [.. rows.Select(d =>
        {
            var start = FromTicks(Long(d[4]));
            var end = FromTicks(Long(d[5]));
            return new SessionSummary(d[0]!, Long(d[1]), Long(d[2]), Money(d[3]), start, end, (end - start).TotalMilliseconds,
                Long(d[6]), Split(d[7]), d[8], d[9], d[10]);
        })];
    }

    public async Task<CallListItem[]> CallsAsync(RecordFilter filter, CostBasis cost, CallListQuery query, CancellationToken ct)
    {
        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var conditions = new List<string> { "1" };
        if (query.Session is { } session)
        {
            conditions.Add($"ifNull({SessionKey} = {Literal(session)}, 0)");
        }

        if (query.ErrorsOnly)
        {
            conditions.Add("status = 'error'");
        }

        if (query.AnsweredOnly)
        {
            conditions.Add("status != 'error'");
        }

        if (query.Order == CallOrder.Cost)
        {
            conditions.Add("priced");
        }

        Equal($"if(status = 'error', ifNull(error_type, '{ErrorTypes.HttpError}'), NULL)", query.ErrorType);
        Equal("stop_reason", query.StopReason);
        Equal("request_id", query.RequestId);
        Equal("trace_id", query.TraceId);
        foreach (var (name, value) in query.Properties ?? new Dictionary<string, string>())
        {
            conditions.Add($"has(property_names, {Literal(name)}) AND property_values[indexOf(property_names, {Literal(name)})] = {Literal(value)}");
        }

        if (query.Search is { } search)
        {
            conditions.Add(Contains(search, "request_id", "model_used", "model_requested", "error_message", SessionKey, "tag_user", "tag_feature", "tag_tenant", "toString(id)"));
        }

        var desc = query.Ascending ? "ASC" : "DESC";
        var order = query.Order switch
        {
            CallOrder.Cost => $"k_total {desc}, toString(id)",
            CallOrder.Latency => $"latency_ms {desc}, toString(id)",
            _ => $"ticks {desc}, toString(id) {desc}",
        };
        // Two passes, as DuckDB's list: the page's ids and times from the few columns the conditions and the order read,
        // then the page's rows whole, found by id within the page's time span.
        var page = await http.RowsAsync($"SELECT toString(id), ticks FROM {c} WHERE {string.Join(" AND ", conditions)} ORDER BY {order} LIMIT {query.Offset}, {query.Limit}", ct).ConfigureAwait(false);
        if (page.Count == 0)
        {
            return [];
        }

        var at = new Dictionary<Guid, int>();
        foreach (var p in page)
        {
            at.TryAdd(Guid.Parse(p[0]!), at.Count);
        }

        var ticks = page.Select(p => Long(p[1])).ToArray();
        var span = filter with { Since = FromTicks(ticks.Min()), Until = FromTicks(ticks.Max() + 1) };
        var whole = await ClickHouseCost.ForAsync(http, span, cost.Pricing, ct).ConfigureAwait(false);
        var rows = new List<string?[]>();
        // At most 2,000 ids a statement (the append's id check's bound), within ClickHouse's default max_query_size.
        foreach (var ids in at.Keys.Chunk(2_000))
        {
            rows.AddRange(await http.RowsAsync($"""
                SELECT id, ticks, {BilledModel}, status, error_type, error_message, http_status, stop_reason, input_tokens, output_tokens,
                    cache_creation_tokens, cache_read_tokens, if(priced, toString(k_total), NULL), latency_ms, ttft_ms,
                    tool_names, request_id, {SessionKey}, tag_user, tag_feature, tag_tenant, parent_id, attempt, trace_id, tool_results, tool_result_errors
                FROM {whole} WHERE id IN ({string.Join(", ", ids.Select(id => Literal(id.ToString())))})
                """, ct).ConfigureAwait(false));
        }

        return [.. rows.Select(d => new CallListItem(Guid.Parse(d[0]!), FromTicks(Long(d[1])), d[2], d[3]!, d[4], d[5],
            NullableInt(d[6]), d[7], NullableLong(d[8]), NullableLong(d[9]), NullableLong(d[10]), NullableLong(d[11]),
            d[12] is null ? null : Money(d[12]), Double(d[13]), d[14] is null ? null : Double(d[14]), Split(d[15]), d[16], d[17],
            d[18], d[19], d[20], d[21], NullableInt(d[22]), d[23], NullableInt(d[24]), NullableInt(d[25])))
            .DistinctBy(item => item.Id).OrderBy(item => at[item.Id])];

        void Equal(string column, string? value)
        {
            if (value is not null)
            {
                conditions.Add($"ifNull({column} = {Literal(value)}, 0)");
            }
        }
    }

    public async Task<BreakdownRow[]> BreakdownAsync(RecordFilter filter, CostBasis cost, BreakdownKey by, int limit, bool latency, CancellationToken ct)
    {
        var key = by switch
        {
            BreakdownKey.Model => BilledModel,
            BreakdownKey.Feature => "tag_feature",
            BreakdownKey.User => "tag_user",
            BreakdownKey.Endpoint => "endpoint_kind",
            _ => "tag_tenant",
        };
        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var k = $"ifNull({key}, '(none)')";
        var rolled = ClickHouseDashboardRollups.BreakdownDimension(by) is { } dimension && await ClickHouseRollup.ForAsync(http, filter, cost, ct).ConfigureAwait(false) is { } r
            ? ClickHouseDashboardRollups.Breakdown(r, dimension, limit)
            : null;
        var rows = await http.RowsAsync(rolled ?? $"""
            SELECT {k} AS k, count() AS n, countIf(status = 'error'), {SumMoney("k_total")},
                {SumTokens("input_tokens")}, {SumTokens("output_tokens")}, count(latency_ms)
            FROM {c} GROUP BY k
            ORDER BY ifNull(sumIf(k_total, priced), {Zero}) DESC, n DESC, k LIMIT {limit}
            """, ct).ConfigureAwait(false);
        // The page's keys' percentiles in a second pass: one quantilesExactIf per key, its levels from its count
        // (ExactPercentiles.Selected), instead of sorting every key's latencies.
        var withLatency = latency ? rows.Where(d => Long(d[6]) > 0).ToList() : [];
        var q = withLatency.Count == 0 ? [] : (await http.RowsAsync(
            $"SELECT {string.Join(", ", withLatency.Select(d => ExactPercentiles.Selected("latency_ms", Long(d[6]), P50P95, $"{k} = {Literal(d[0]!)}")))} FROM {c}", ct).ConfigureAwait(false))[0];
        var percentiles = withLatency.Select((d, i) => (d[0]!, ExactPercentiles.Interpolate(ExactPercentiles.Fields(q[i]), 0, Long(d[6]), P50P95)))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        return [.. rows.Select(d =>
        {
            var calls = Long(d[1]);
            var errors = Long(d[2]);
            var p = percentiles.GetValueOrDefault(d[0]!) ?? new double?[2];
            return new BreakdownRow(d[0]!, calls, errors, calls == 0 ? 0 : (double)errors / calls, Money(d[3]), Long(d[4]), Long(d[5]), p[0], p[1]);
        })];
    }

    /// <summary>Decades of USD: sessions cost from fractions of a cent to tens of dollars.</summary>
    private static readonly decimal[] CostEdges = [0m, 0.001m, 0.01m, 0.1m, 1m, 10m];

    public async Task<SessionCostDistribution> SessionCostsAsync(RecordFilter filter, CostBasis cost, CancellationToken ct)
    {
        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var bins = string.Join(", ", CostEdges.Select((from, i) => i + 1 < CostEdges.Length
            ? $"countIf(sc >= {MoneyLiteral(from)} AND sc < {MoneyLiteral(CostEdges[i + 1])})"
            : $"countIf(sc >= {MoneyLiteral(from)})"));
        var d = (await http.RowsAsync($"""
            SELECT count(), avg(toFloat64(sc)), max(toFloat64(sc)), {bins}, {ExactPercentiles.Neighbours("toFloat64(sc)", [0.5, 0.9, 0.99])}
            FROM (SELECT {SessionKey} AS k, ifNull(sumIf(k_total, priced), {Zero}) AS sc FROM {c} WHERE isNotNull({SessionKey}) GROUP BY k)
            """, ct).ConfigureAwait(false))[0];
        var sessions = Long(d[0]);
        var counts = CostEdges.Select((from, i) => new CostBin(from, i + 1 < CostEdges.Length ? CostEdges[i + 1] : null, Long(d[3 + i]))).ToArray();
        var q = ExactPercentiles.Interpolate(d, 3 + CostEdges.Length, sessions, [0.5, 0.9, 0.99]);
        return new SessionCostDistribution(sessions, sessions == 0 ? null : Double(d[1]), q[0], q[1], q[2], sessions == 0 ? null : Double(d[2]), counts);
    }

    public async Task<DailyCost[]> DailyAsync(RecordFilter filter, CostBasis cost, CancellationToken ct)
    {
        var c = await ClickHouseCost.ForAsync(http, filter, cost.Pricing, ct).ConfigureAwait(false);
        var rolled = await ClickHouseRollup.ForAsync(http, filter, cost, ct).ConfigureAwait(false);
        var rows = await http.RowsAsync(rolled is not null ? ClickHouseDashboardRollups.Daily(rolled) : $"SELECT {UtcDay} AS day, {SumMoney("k_total")}, count() FROM {c} GROUP BY day ORDER BY day", ct).ConfigureAwait(false);
        return [.. rows.Select(d => new DailyCost(DateOnly.ParseExact(d[0]!, "yyyy-MM-dd", CultureInfo.InvariantCulture), Money(d[1]), Long(d[2])))];
    }

    public async Task<Quality> QualityAsync(RecordFilter filter, CancellationToken ct)
    {
        var where = ClickHouseFilter.Where(filter) + " AND status != 'error'";
        var totals = (await http.RowsAsync($"SELECT count(), sum(tool_count) FROM calls WHERE {where}", ct).ConfigureAwait(false))[0];
        var answered = Long(totals[0]);
        double? toolsPerCall = answered == 0 ? null : (double)Long(totals[1]) / answered;
        var stops = await CountsAsync($"SELECT stop_reason, count() FROM calls WHERE {where} AND isNotNull(stop_reason) GROUP BY stop_reason", ct).ConfigureAwait(false);
        var flags = await CountsAsync($"SELECT arrayJoin(splitByChar(',', assumeNotNull(quality_flags))) AS f, count() FROM calls WHERE {where} AND isNotNull(quality_flags) GROUP BY f", ct).ConfigureAwait(false);
        var stopped = stops.Sum(s => s.Count);
        return new Quality(answered, Shares(stops, stopped),
            stopped == 0 ? null : (double)stops.Where(s => s.Key == "max_tokens").Sum(s => s.Count) / stopped, toolsPerCall, Shares(flags, answered));
    }

    public async Task<DataSpan> SpanAsync(RecordFilter filter, CancellationToken ct)
    {
        var d = (await http.RowsAsync($"SELECT count(), min(ticks), max(ticks) FROM calls WHERE {ClickHouseFilter.Where(filter)}", ct).ConfigureAwait(false))[0];
        return Long(d[0]) == 0 ? new DataSpan(null, null) : new DataSpan(FromTicks(Long(d[1])), FromTicks(Long(d[2])));
    }

    public async Task<ErrorGroup[]> ErrorGroupsAsync(RecordFilter filter, int limit, CancellationToken ct)
    {
        var rows = await http.RowsAsync($"""
            SELECT ifNull(error_type, '{ErrorTypes.HttpError}') AS t, http_status, error_message, count() AS n,
                countIf(ifNull(attempt, 0) > 0), min(ticks), max(ticks)
            FROM calls WHERE {ClickHouseFilter.Where(filter)} AND status = 'error'
            GROUP BY t, http_status, error_message ORDER BY n DESC, t, error_message LIMIT {limit}
            """, ct).ConfigureAwait(false);
        return [.. rows.Select(d => new ErrorGroup(d[0]!, NullableInt(d[1]), d[2], Long(d[3]), Long(d[4]), FromTicks(Long(d[5])), FromTicks(Long(d[6]))))];
    }

    /// <summary>Any of <paramref name="columns"/> holds <paramref name="text"/>, case-insensitively (DuckDB's ILIKE '%text%').</summary>
    private static string Contains(string text, params string[] columns) =>
        "(" + string.Join(" OR ", columns.Select(c => $"positionCaseInsensitiveUTF8(ifNull({c}, ''), {Literal(text)}) > 0")) + ")";

    private async Task<List<(string Key, long Count)>> CountsAsync(string sql, CancellationToken ct) =>
        [.. (await http.RowsAsync(sql, ct).ConfigureAwait(false)).Select(d => (d[0]!, Long(d[1])))];

    private static KeyCount[] Shares(List<(string Key, long Count)> counts, long total) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new KeyCount(c.Key, c.Count, total == 0 ? 0 : (double)c.Count / total))];

    private static (DateTimeOffset Since, DateTimeOffset Until) Range(RecordFilter filter) =>
        filter is { Since: { } since, Until: { } until } && until > since
            ? (since, until)
            : throw new ArgumentException("the dashboard's queries need a range: since before until", nameof(filter));

    private static string[] Split(string? joined) => string.IsNullOrEmpty(joined) ? [] : joined.Split(',');
}
