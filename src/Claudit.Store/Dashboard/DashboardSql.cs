using System.Data.Common;
using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store.Dashboard;

/// <summary>
/// The dashboard's queries (docs/api.md) over <c>calls</c>. Each is one aggregate over the filtered rows,
/// so it reads only the columns it names; costs are the recorded cost columns, so the split by token class
/// is what each call was priced at, and a query never re-prices a million calls.
/// </summary>
internal static class DashboardSql
{
    private const string Ticks = StoreTime.TicksSql;
    private const string SessionKey = "coalesce(tag_session, tag_conversation)";
    private const string Model = "coalesce(model_used, model_requested)";
    private const string Tools = "array_to_string(json_extract_string(tool_calls, '$[*].name'), ',')";

    private static readonly string[] TokenClasses = ["input", "cache_write_5m", "cache_write_1h", "cache_read", "output", "web_search"];

    public static Overview Overview(DuckDBConnection connection, RecordFilter filter)
    {
        var (since, until) = Range(filter);
        var length = until - since;
        return new Overview(Period(connection, filter), Period(connection, filter with { Since = since - length, Until = since }));
    }

    private static OverviewPeriod Period(DuckDBConnection connection, RecordFilter filter)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        var sql = $"""
            SELECT count(*), count(*) FILTER (status = 'error'),
                CAST(coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS VARCHAR),
                count(*) FILTER (cost_priced), count(*) FILTER (NOT coalesce(cost_priced, false) AND input_tokens IS NOT NULL),
                count(*) FILTER (input_tokens IS NOT NULL OR status <> 'error'),
                quantile_cont(latency_ms, 0.95), quantile_cont(ttft_ms, 0.95),
                CAST(coalesce(sum(cache_read_tokens), 0) AS BIGINT),
                CAST(coalesce(sum(input_tokens + coalesce(cache_creation_tokens, 0) + coalesce(cache_read_tokens, 0)), 0) AS BIGINT)
            FROM calls WHERE {where}
            """;
        using var command = Command(connection, sql, parameters);
        using var d = command.ExecuteReader();
        d.Read();
        var requests = d.GetInt64(0);
        var errors = d.GetInt64(1);
        var priced = d.GetInt64(3);
        var billable = d.GetInt64(5);
        var cacheRead = d.GetInt64(8);
        var totalInput = d.GetInt64(9);
        var (since, until) = Range(filter);
        return new OverviewPeriod(since, until, requests, errors, requests == 0 ? 0 : (double)errors / requests, CallRows.Dec(d, 2),
            priced, d.GetInt64(4), billable == 0 ? null : (double)priced / billable, Double(d, 6), Double(d, 7),
            totalInput == 0 ? null : (double)cacheRead / totalInput);
    }

    public static TimeSeries Series(DuckDBConnection connection, RecordFilter filter, TimeSeriesQuery query)
    {
        var (since, until) = Range(filter);
        var bucketTicks = query.Bucket.Ticks;
        var count = (int)Math.Max(1, (until - since).Ticks / bucketTicks + ((until - since).Ticks % bucketTicks == 0 ? 0 : 1));
        if (count > 10_000)
        {
            throw new ArgumentException($"{count} buckets is too many: widen the bucket", nameof(query));
        }

        var parameters = new List<DuckDBParameter> { new("bucket", bucketTicks), new("origin", StoreTime.ToTicks(since)) };
        var where = StoreFilter.Where(filter, parameters);
        var percentile = query.Metric is TimeSeriesMetric.Latency or TimeSeriesMetric.Ttft or TimeSeriesMetric.TokensPerSecond;
        var column = query.Metric switch
        {
            TimeSeriesMetric.Latency => "latency_ms",
            TimeSeriesMetric.Ttft => "ttft_ms",
            TimeSeriesMetric.TokensPerSecond => "output_tokens_per_second",
            _ => null,
        };
        if (query.Metric == TimeSeriesMetric.Errors)
        {
            where += " AND status = 'error'";
        }

        var key = query.By switch
        {
            TimeSeriesSplit.Model => Model,
            TimeSeriesSplit.Feature => "tag_feature",
            TimeSeriesSplit.User => "tag_user",
            TimeSeriesSplit.Tenant => "tag_tenant",
            TimeSeriesSplit.ErrorType when query.Metric == TimeSeriesMetric.Errors => $"coalesce(error_type, '{ErrorTypes.HttpError}')",
            TimeSeriesSplit.None or TimeSeriesSplit.TokenClass => null,
            _ => throw new ArgumentException($"{query.Metric} cannot be split by {query.By}", nameof(query)),
        };
        if (query.By == TimeSeriesSplit.TokenClass && query.Metric != TimeSeriesMetric.Cost)
        {
            throw new ArgumentException("only cost can be split by token class", nameof(query));
        }

        var bucket = $"({Ticks} - $origin) // $bucket";
        string select;
        if (percentile && key is null)
        {
            select = $"""
                SELECT b, unnest(['p50', 'p95', 'p99']) AS k, unnest(q) AS v FROM (
                    SELECT {bucket} AS b, quantile_cont({column}, [0.5, 0.95, 0.99]) AS q FROM calls WHERE {where} AND {column} IS NOT NULL GROUP BY b)
                """;
        }
        else if (query.By == TimeSeriesSplit.TokenClass)
        {
            var sums = string.Join(", ", new[] { "cost_input_usd", "cost_cache_write_5m_usd", "cost_cache_write_1h_usd", "cost_cache_read_usd", "cost_output_usd", "cost_web_search_usd" }
                .Select(c => $"CAST(coalesce(sum({c}) FILTER (cost_priced), 0) AS VARCHAR)"));
            select = $"""
                SELECT b, unnest(['{string.Join("', '", TokenClasses)}']) AS k, unnest(q) AS v FROM (
                    SELECT {bucket} AS b, [{sums}] AS q FROM calls WHERE {where} GROUP BY b)
                """;
        }
        else
        {
            var value = query.Metric switch
            {
                TimeSeriesMetric.Requests or TimeSeriesMetric.Errors => "CAST(count(*) AS DOUBLE)",
                TimeSeriesMetric.Cost => "CAST(coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS VARCHAR)",
                _ => $"quantile_cont({column}, {query.Percentile.ToString("R", CultureInfo.InvariantCulture)})",
            };
            var nonNull = column is null ? "" : $" AND {column} IS NOT NULL";
            select = $"SELECT {bucket} AS b, {(key is null ? "'total'" : $"coalesce({key}, '(none)')")} AS k, {value} AS v FROM calls WHERE {where}{nonNull} GROUP BY b, k";
        }

        var lines = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        using (var command = Command(connection, select, parameters))
        using (var d = command.ExecuteReader())
        {
            while (d.Read())
            {
                var b = d.GetInt64(0);
                if (b < 0 || b >= count)
                {
                    continue;
                }

                var k = d.GetString(1);
                if (!lines.TryGetValue(k, out var values))
                {
                    values = new double?[count];
                    if (!percentile)
                    {
                        Array.Fill(values, 0);
                    }

                    lines[k] = values;
                }

                // Costs come as exact decimal text: DuckDB's DECIMAL-to-DOUBLE cast is not always the nearest double.
                values[b] = d.IsDBNull(2) ? null : d.GetFieldType(2) == typeof(string) ? (double)CallRows.Dec(d, 2) : d.GetDouble(2);
            }
        }

        if (percentile && key is null)
        {
            foreach (var p in new[] { "p50", "p95", "p99" })
            {
                lines.TryAdd(p, new double?[count]);
            }
        }
        else if (query.By == TimeSeriesSplit.TokenClass)
        {
            foreach (var c in TokenClasses)
            {
                lines.TryAdd(c, Zeros(count));
            }
        }
        else if (key is null)
        {
            lines.TryAdd("total", Zeros(count));
        }

        // Fixed orders (percentiles, token classes) stay as named; keyed lines go largest first.
        IEnumerable<KeyValuePair<string, double?[]>> ordered = key is null
            ? lines.OrderBy(l => Array.IndexOf(TokenClasses, l.Key)).ThenBy(l => l.Key, StringComparer.Ordinal)
            : lines.OrderByDescending(l => l.Value.Sum(v => v ?? 0)).ThenBy(l => l.Key, StringComparer.Ordinal);
        var buckets = Enumerable.Range(0, count).Select(i => since + TimeSpan.FromTicks(bucketTicks * i)).ToArray();
        return new TimeSeries(Name(query.Metric), Name(query.By), (int)query.Bucket.TotalSeconds, buckets,
            [.. ordered.Select(l => new TimeSeriesLine(l.Key, l.Value))]);
    }

    public static SessionSummary[] Sessions(DuckDBConnection connection, RecordFilter filter, int limit)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        // Two passes: the cheap one (a key and a max per session) picks the page; the full aggregate,
        // with its JSON and string work, then runs over those sessions' rows only, not a million.
        var sql = $"""
            WITH page AS (
                SELECT {SessionKey} AS s, max({Ticks}) AS last FROM calls WHERE {where} AND {SessionKey} IS NOT NULL
                GROUP BY s ORDER BY last DESC, s LIMIT {limit})
            SELECT q.* FROM (
                {SessionSelect} SEMI JOIN page ON {SessionKey} = page.s WHERE {where} GROUP BY {SessionKey}) q
            JOIN page ON q.s = page.s ORDER BY page.last DESC, q.s
            """;
        return ReadSessions(Command(connection, sql, parameters));
    }

    public static SessionDetail? Session(DuckDBConnection connection, string id)
    {
        var parameters = new List<DuckDBParameter> { new("session", id) };
        var sessions = ReadSessions(Command(connection, $"{SessionSelect} WHERE {SessionKey} = $session GROUP BY s", parameters));
        if (sessions.Length == 0)
        {
            return null;
        }

        var calls = Calls(connection, RecordFilter.None, new CallListQuery { Session = id, Order = CallOrder.Recent, Limit = 10_000 });
        Array.Reverse(calls);
        return new SessionDetail(sessions[0], calls);
    }

    private static string SessionSelect => $"""
        SELECT {SessionKey} AS s, count(*) AS n, count(*) FILTER (status = 'error') AS errors, CAST(coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS VARCHAR) AS cost,
            min({Ticks}) AS first, max({Ticks} + CAST(latency_ms * 10000 AS BIGINT)) AS ended, CAST(coalesce(sum(json_array_length(tool_calls)), 0) AS BIGINT) AS tools,
            array_to_string(list_sort(list(DISTINCT {Model})), ',') AS models, min(tag_user) AS u, min(tag_feature) AS f, min(tag_tenant) AS t
        FROM calls
        """;

    private static SessionSummary[] ReadSessions(DuckDBCommand command)
    {
        using (command)
        using (var d = command.ExecuteReader())
        {
            var sessions = new List<SessionSummary>();
            while (d.Read())
            {
                var start = StoreTime.FromTicks(d.GetInt64(4));
                var end = StoreTime.FromTicks(d.GetInt64(5));
                sessions.Add(new SessionSummary(d.GetString(0), d.GetInt64(1), d.GetInt64(2), CallRows.Dec(d, 3), start, end, (end - start).TotalMilliseconds,
                    d.GetInt64(6), Split(Str(d, 7)), Str(d, 8), Str(d, 9), Str(d, 10)));
            }

            return [.. sessions];
        }
    }

    public static CallListItem[] Calls(DuckDBConnection connection, RecordFilter filter, CallListQuery query)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        if (query.Session is { } session)
        {
            where += $" AND {SessionKey} = $session";
            parameters.Add(new DuckDBParameter("session", session));
        }

        if (query.ErrorsOnly)
        {
            where += " AND status = 'error'";
        }

        var order = query.Order switch
        {
            CallOrder.Cost => "cost_usd DESC, id",
            CallOrder.Latency => "latency_ms DESC, id",
            _ => $"{Ticks} DESC, id DESC",
        };
        if (query.Order == CallOrder.Cost)
        {
            where += " AND cost_priced";
        }

        var sql = $"""
            SELECT id, {Ticks}, {Model}, status, error_type, error_message, http_status, stop_reason, input_tokens, output_tokens,
                cache_creation_tokens, cache_read_tokens, CASE WHEN cost_priced THEN CAST(cost_usd AS VARCHAR) END, latency_ms, ttft_ms,
                {Tools}, request_id, {SessionKey}, tag_user, tag_feature, tag_tenant
            FROM calls WHERE {where} ORDER BY {order} LIMIT {query.Limit} OFFSET {query.Offset}
            """;
        using var command = Command(connection, sql, parameters);
        using var d = command.ExecuteReader();
        var calls = new List<CallListItem>();
        while (d.Read())
        {
            calls.Add(new CallListItem(d.GetGuid(0), StoreTime.FromTicks(d.GetInt64(1)), Str(d, 2), d.GetString(3), Str(d, 4), Str(d, 5),
                d.IsDBNull(6) ? null : d.GetInt32(6), Str(d, 7), Long(d, 8), Long(d, 9), Long(d, 10), Long(d, 11),
                d.IsDBNull(12) ? null : CallRows.Dec(d, 12), d.GetDouble(13), Double(d, 14), Split(Str(d, 15)), Str(d, 16), Str(d, 17),
                Str(d, 18), Str(d, 19), Str(d, 20)));
        }

        return [.. calls];
    }

    public static BreakdownRow[] Breakdown(DuckDBConnection connection, RecordFilter filter, BreakdownKey by, int limit)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        var key = by switch
        {
            BreakdownKey.Model => Model,
            BreakdownKey.Feature => "tag_feature",
            BreakdownKey.User => "tag_user",
            _ => "tag_tenant",
        };
        var sql = $"""
            SELECT coalesce({key}, '(none)') AS k, count(*), count(*) FILTER (status = 'error'),
                CAST(coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS VARCHAR) AS cost,
                CAST(coalesce(sum(input_tokens), 0) AS BIGINT), CAST(coalesce(sum(output_tokens), 0) AS BIGINT),
                quantile_cont(latency_ms, [0.5, 0.95]) AS q
            FROM calls WHERE {where} GROUP BY k
            ORDER BY coalesce(sum(cost_usd) FILTER (cost_priced), 0) DESC, count(*) DESC, k LIMIT {limit}
            """;
        using var command = Command(connection, $"SELECT * EXCLUDE (q), q[1], q[2] FROM ({sql})", parameters);
        using var d = command.ExecuteReader();
        var rows = new List<BreakdownRow>();
        while (d.Read())
        {
            var calls = d.GetInt64(1);
            var errors = d.GetInt64(2);
            rows.Add(new BreakdownRow(d.GetString(0), calls, errors, calls == 0 ? 0 : (double)errors / calls, CallRows.Dec(d, 3),
                d.GetInt64(4), d.GetInt64(5), Double(d, 6), Double(d, 7)));
        }

        return [.. rows];
    }

    /// <summary>Decades of USD: sessions cost from fractions of a cent to tens of dollars.</summary>
    private static readonly decimal[] CostEdges = [0m, 0.001m, 0.01m, 0.1m, 1m, 10m];

    public static SessionCostDistribution SessionCosts(DuckDBConnection connection, RecordFilter filter)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        var bins = string.Join(", ", CostEdges.Select((from, i) => i + 1 < CostEdges.Length
            ? $"count(*) FILTER (c >= {from.ToString(CultureInfo.InvariantCulture)} AND c < {CostEdges[i + 1].ToString(CultureInfo.InvariantCulture)})"
            : $"count(*) FILTER (c >= {from.ToString(CultureInfo.InvariantCulture)})"));
        var sql = $"""
            WITH s AS (
                SELECT {SessionKey} AS k, coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS c
                FROM calls WHERE {where} AND {SessionKey} IS NOT NULL GROUP BY k)
            SELECT count(*), avg(CAST(c AS DOUBLE)), quantile_cont(CAST(c AS DOUBLE), [0.5, 0.9, 0.99]) AS q, max(CAST(c AS DOUBLE)), {bins} FROM s
            """;
        using var command = Command(connection, $"SELECT * EXCLUDE (q), q[1], q[2], q[3] FROM ({sql})", parameters);
        using var d = command.ExecuteReader();
        d.Read();
        var sessions = d.GetInt64(0);
        var at = 3;
        var counts = CostEdges.Select((from, i) => new CostBin(from, i + 1 < CostEdges.Length ? CostEdges[i + 1] : null, d.GetInt64(at + i))).ToArray();
        var q = at + CostEdges.Length;
        return new SessionCostDistribution(sessions, Double(d, 1), Double(d, q), Double(d, q + 1), Double(d, q + 2), Double(d, 2), counts);
    }

    public static DailyCost[] Daily(DuckDBConnection connection, RecordFilter filter)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        // The UTC date, whatever the session's time zone: from the epoch, not from the TIMESTAMPTZ.
        var sql = $"""
            SELECT strftime(make_timestamp(epoch_us(start_time)), '%Y-%m-%d') AS day, CAST(coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS VARCHAR), count(*)
            FROM calls WHERE {where} GROUP BY day ORDER BY day
            """;
        using var command = Command(connection, sql, parameters);
        using var d = command.ExecuteReader();
        var days = new List<DailyCost>();
        while (d.Read())
        {
            days.Add(new DailyCost(DateOnly.ParseExact(d.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), CallRows.Dec(d, 1), d.GetInt64(2)));
        }

        return [.. days];
    }

    public static Quality Quality(DuckDBConnection connection, RecordFilter filter)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters) + " AND status <> 'error'";
        long answered;
        double? toolsPerCall;
        using (var command = Command(connection, $"SELECT count(*), CAST(coalesce(sum(json_array_length(tool_calls)), 0) AS BIGINT) FROM calls WHERE {where}", parameters))
        using (var d = command.ExecuteReader())
        {
            d.Read();
            answered = d.GetInt64(0);
            toolsPerCall = answered == 0 ? null : (double)d.GetInt64(1) / answered;
        }

        var stops = Counts(connection, $"SELECT stop_reason, count(*) FROM calls WHERE {where} AND stop_reason IS NOT NULL GROUP BY 1", parameters);
        var flags = Counts(connection, $"SELECT f, count(*) FROM (SELECT unnest(string_split(quality_flags, ',')) AS f FROM calls WHERE {where} AND quality_flags IS NOT NULL) GROUP BY 1", parameters);
        var stopped = stops.Sum(s => s.Count);
        return new Quality(answered, Shares(stops, stopped),
            stopped == 0 ? null : (double)stops.Where(s => s.Key == "max_tokens").Sum(s => s.Count) / stopped, toolsPerCall, Shares(flags, answered));
    }

    private static List<(string Key, long Count)> Counts(DuckDBConnection connection, string sql, List<DuckDBParameter> parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var d = command.ExecuteReader();
        var counts = new List<(string, long)>();
        while (d.Read())
        {
            counts.Add((d.GetString(0), d.GetInt64(1)));
        }

        return counts;
    }

    private static KeyCount[] Shares(List<(string Key, long Count)> counts, long total) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new KeyCount(c.Key, c.Count, total == 0 ? 0 : (double)c.Count / total))];

    private static (DateTimeOffset Since, DateTimeOffset Until) Range(RecordFilter filter) =>
        filter is { Since: { } since, Until: { } until } && until > since
            ? (since, until)
            : throw new ArgumentException("the dashboard's queries need a range: since before until", nameof(filter));

    private static string Name<T>(T value)
        where T : struct, Enum =>
        string.Concat(value.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    private static double?[] Zeros(int count)
    {
        var values = new double?[count];
        Array.Fill(values, 0);
        return values;
    }

    private static string[] Split(string? joined) => string.IsNullOrEmpty(joined) ? [] : joined.Split(',');

    private static string? Str(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetString(i);

    private static long? Long(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetInt64(i);

    private static double? Double(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetDouble(i);

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, List<DuckDBParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            // A parameter belongs to one command: the same filter's parameters serve several queries.
            command.Parameters.Add(new DuckDBParameter(p.ParameterName, p.Value));
        }

        return command;
    }
}
