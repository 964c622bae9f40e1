using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The dashboard's queries (docs/api.md), the DuckDB side of <see cref="IDashboardReadModel"/>. Each is
/// one aggregate over <see cref="CostRelation"/>'s <c>c</c> (the filtered calls with their cost, recorded
/// by default), so it reads only the columns it names, and a query re-prices calls only when asked to.
/// </summary>
internal static class DashboardSql
{
    private static string Model => BilledModel;
    private const string Tools = "array_to_string(json_extract_string(tool_calls, '$[*].name'), ',')";

    private static string[] TokenClasses => SeriesLines.TokenClasses;

    public static Overview Overview(DuckDBConnection connection, RecordFilter filter, CostBasis cost)
    {
        var (since, until) = Range(filter);
        var length = until - since;
        var (current, tables) = Period(connection, filter, cost);
        var (previous, _) = Period(connection, filter with { Since = since - length, Until = since }, cost);
        return new Overview(current, previous, cost.Mode, cost.Pricing?.Table.Version ?? tables);
    }

    private static (OverviewPeriod Period, string? RecordedTables) Period(DuckDBConnection connection, RecordFilter filter, CostBasis cost)
    {
        var (since, until) = Range(filter);
        if (RollupSql.Serves(filter, cost))
        {
            return DashboardRollups.Period(connection, filter);
        }

        var c = CostRelation.For(connection, filter, cost);
        using var command = c.Command(connection, $"""
            SELECT count(*), count(*) FILTER (status = 'error'),
                CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR),
                count(*) FILTER (priced), count(*) FILTER (NOT priced AND has_usage),
                count(*) FILTER (has_usage OR status <> 'error'),
                quantile_cont(latency_ms, 0.95), quantile_cont(ttft_ms, 0.95),
                {SumTokens("cache_read_tokens")},
                {SumTokens(TotalInput)},
                string_agg(DISTINCT price_table_version, ',' ORDER BY price_table_version) FILTER (priced AND price_table_version IS NOT NULL),
                count(*) FILTER (parent_id IS NOT NULL)
            FROM c
            """);
        using var d = command.ExecuteReader();
        d.Read();
        return (PeriodOf(since, until, d.GetInt64(0), d.GetInt64(1), Dec(d, 2), d.GetInt64(3), d.GetInt64(4), d.GetInt64(5), Double(d, 6), Double(d, 7),
            d.GetInt64(8), d.GetInt64(9), d.GetInt64(11)), Str(d, 10));
    }

    /// <summary>One period's numbers from its sums, whichever relation (rollups or raw rows) summed them.</summary>
    internal static OverviewPeriod PeriodOf(DateTimeOffset since, DateTimeOffset until, long requests, long errors, decimal cost, long priced, long unpriced,
        long billable, double? p95Latency, double? p95Ttft, long cacheRead, long totalInput, long retries) =>
        new(since, until, requests, errors, requests == 0 ? 0 : (double)errors / requests, cost, priced, unpriced,
            billable == 0 ? null : (double)priced / billable, p95Latency, p95Ttft, totalInput == 0 ? null : (double)cacheRead / totalInput,
            retries, Core.Reporting.AfterRetries.FailureRate(requests, errors, retries));

    /// <summary>
    /// A percentile series from the hourly histograms, when its buckets are whole hours from a whole hour and it
    /// spans many calls; null otherwise (the caller reads the raw rows).
    /// </summary>
    private static TimeSeries? HourlyPercentiles(DuckDBConnection connection, RecordFilter filter, CostBasis cost, TimeSeriesQuery query, string column, SeriesLines lines, bool spread)
    {
        var origin = StoreTime.ToTicks(filter.Since!.Value);
        if (!RollupSql.Serves(filter, cost) || query.Bucket.Ticks % TimeSpan.TicksPerHour != 0 || origin % TimeSpan.TicksPerHour != 0)
        {
            return null;
        }

        var quantiles = spread
            ? HistogramSql.Quantiles(connection, filter, "all", column, "''", "''", (origin, query.Bucket.Ticks), [0.5, 0.95, 0.99])
            : HistogramSql.Quantiles(connection, filter, "model", column, "key", $"coalesce({Model}, '(none)')", (origin, query.Bucket.Ticks), [query.Percentile]);
        if (quantiles is null)
        {
            return null;
        }

        foreach (var ((slot, key), q) in quantiles)
        {
            if (spread)
            {
                (string Line, double? Value)[] points = [("p50", q[0]), ("p95", q[1]), ("p99", q[2])];
                foreach (var (line, value) in points)
                {
                    lines.Put(slot, line, value);
                }
            }
            else
            {
                lines.Put(slot, key, q[0]);
            }
        }

        return lines.Build(filter.Since!.Value, query, keyed: !spread);
    }

    public static TimeSeries Series(DuckDBConnection connection, RecordFilter filter, CostBasis cost, TimeSeriesQuery query)
    {
        var (since, until) = Range(filter);
        var bucketTicks = query.Bucket.Ticks;
        var lines = SeriesLines.For(since, until, query);
        var (count, percentile, column) = (lines.Count, lines.Percentile, SeriesLines.ValueColumn(query.Metric));
        var key = SeriesLines.SplitColumn(query, Model, $"coalesce(error_type, '{ErrorTypes.HttpError}')");

        if (percentile && (key is null || query.By == TimeSeriesSplit.Model) && HourlyPercentiles(connection, filter, cost, query, column!, lines, key is null) is { } hourly)
        {
            return hourly;
        }

        var c = CostRelation.For(connection, filter, cost, query.Metric == TimeSeriesMetric.Errors ? " AND status = 'error'" : "");
        c.Parameters.Add(new DuckDBParameter("bucket", bucketTicks));
        c.Parameters.Add(new DuckDBParameter("origin", StoreTime.ToTicks(since)));
        var bucket = $"({Ticks} - $origin) // $bucket";
        string select;
        if (percentile && key is null)
        {
            select = $"""
                SELECT b, unnest(['p50', 'p95', 'p99']) AS k, unnest(q) AS v FROM (
                    SELECT {bucket} AS b, quantile_cont({column}, [0.5, 0.95, 0.99]) AS q FROM c WHERE {column} IS NOT NULL GROUP BY b)
                """;
        }
        else if (query.By == TimeSeriesSplit.TokenClass)
        {
            var sums = string.Join(", ", new[] { "k_input", "k_5m", "k_1h", "k_read", "k_output", "k_web" }
                .Select(k => $"CAST(coalesce(sum({k}) FILTER (priced), 0) AS VARCHAR)"));
            select = $"""
                SELECT b, unnest(['{string.Join("', '", TokenClasses)}']) AS k, unnest(q) AS v FROM (
                    SELECT {bucket} AS b, [{sums}] AS q FROM c GROUP BY b)
                """;
        }
        else
        {
            var value = query.Metric switch
            {
                TimeSeriesMetric.Requests or TimeSeriesMetric.Errors => "CAST(count(*) AS DOUBLE)",
                TimeSeriesMetric.Cost => "CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR)",
                _ => $"quantile_cont({column}, {query.Percentile.ToString("R", CultureInfo.InvariantCulture)})",
            };
            var nonNull = column is null ? "" : $" WHERE {column} IS NOT NULL";
            select = $"SELECT {bucket} AS b, {(key is null ? "'total'" : $"coalesce({key}, '(none)')")} AS k, {value} AS v FROM c{nonNull} GROUP BY b, k";
        }

        using (var command = DashboardRollups.Series(connection, filter, cost, query, TokenClasses) ?? c.Command(connection, select))
        using (var d = command.ExecuteReader())
        {
            while (d.Read())
            {
                // Costs come as exact decimal text: DuckDB's DECIMAL-to-DOUBLE cast is not always the nearest double.
                lines.Put(d.GetInt64(0), d.GetString(1), d.IsDBNull(2) ? null : d.GetFieldType(2) == typeof(string) ? (double)Dec(d, 2) : d.GetDouble(2));
            }
        }

        return lines.Build(since, query, keyed: key is not null);
    }

    public static SessionSummary[] Sessions(DuckDBConnection connection, RecordFilter filter, CostBasis cost, int limit, int offset = 0, string? search = null)
    {
        // Two passes: the cheap one (a key and a max per session) picks the page; the full aggregate,
        // with its JSON and string work, then runs over those sessions' rows only, not a million.
        var searched = "";
        if (search is not null)
        {
            searched = $" AND ({SessionKey} ILIKE $search ESCAPE '\\' OR tag_user ILIKE $search ESCAPE '\\' OR tag_feature ILIKE $search ESCAPE '\\' OR tag_tenant ILIKE $search ESCAPE '\\')";
        }

        var searchParameter = search is null ? null : new[] { new DuckDBParameter("search", Like(search)) };
        var c = CostRelation.For(connection, filter, cost, searched, searchParameter);
        var recent = RecentEnough(connection, filter, cost, searched, search, limit + offset);
        var page = new List<string>();
        using (var command = c.Command(connection, $"""
            SELECT {SessionKey} AS s, max({Ticks}) AS last FROM c WHERE {SessionKey} IS NOT NULL AND {Ticks} >= {recent.ToString(CultureInfo.InvariantCulture)}
            GROUP BY s ORDER BY last DESC, s LIMIT {limit} OFFSET {offset}
            """))
        using (var d = command.ExecuteReader())
        {
            while (d.Read())
            {
                page.Add(d.GetString(0));
            }
        }

        if (page.Count == 0)
        {
            return [];
        }

        // The full aggregate over the page's sessions only, named in the scan's filter so that its JSON and
        // list work runs on their rows alone.
        var names = page.Select((_, i) => new DuckDBParameter($"page{i}", page[i])).ToList();
        var rows = CostRelation.For(connection, filter, cost, $"{searched} AND {SessionKey} IN ({string.Join(", ", names.Select(n => "$" + n.ParameterName))})",
            [.. searchParameter ?? [], .. names]);
        var sessions = ReadSessions(rows.Command(connection, $"{SessionSelect} GROUP BY s"));
        return [.. sessions.OrderBy(session => page.IndexOf(session.Id))];
    }

    /// <summary>
    /// A start (ticks) late enough that the sessions with calls after it include the <paramref name="needed"/>
    /// most recently active ones: every session active after it was active later than every other one. The
    /// page then groups the calls of the last minutes, not of the whole range; the window grows fourfold
    /// until it holds enough sessions or reaches the range's start.
    /// </summary>
    private static long RecentEnough(DuckDBConnection connection, RecordFilter filter, CostBasis cost, string searched, string? search, int needed)
    {
        var since = StoreTime.ToTicks(filter.Since!.Value);
        var until = StoreTime.ToTicks(filter.Until!.Value);
        for (var window = TimeSpan.TicksPerMinute * 10; until - window > since; window *= 4)
        {
            var recent = filter with { Since = StoreTime.FromTicks(until - window) };
            var c = CostRelation.For(connection, recent, cost.Pricing is null ? cost : CostBasis.Recorded, searched, search is null ? null : [new DuckDBParameter("search", Like(search))]);
            using var command = c.Command(connection, $"SELECT count(DISTINCT {SessionKey}) FROM c");
            if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) >= needed)
            {
                return until - window;
            }
        }

        return since;
    }

    public static SessionDetail? Session(DuckDBConnection connection, string id, CostBasis cost, RecordFilter scope)
    {
        var c = CostRelation.For(connection, scope, cost, $" AND {SessionKey} = $session", [new DuckDBParameter("session", id)]);
        var sessions = ReadSessions(c.Command(connection, $"{SessionSelect} GROUP BY s"));
        if (sessions.Length == 0)
        {
            return null;
        }

        var calls = Calls(connection, scope, cost, new CallListQuery { Session = id, Order = CallOrder.Recent, Limit = 10_000 });
        Array.Reverse(calls);
        return new SessionDetail(sessions[0], calls);
    }

    private static string SessionSelect => $"""
        SELECT {SessionKey} AS s, count(*) AS n, count(*) FILTER (status = 'error') AS errors, CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR) AS cost,
            min({Ticks}) AS first, max({Ticks} + CAST(least(greatest(latency_ms, 0), {Core.Records.RecordValidator.MaxDurationMs.ToString("R", CultureInfo.InvariantCulture)}) * 10000 AS BIGINT)) AS ended, CAST(coalesce(sum(json_array_length(tool_calls)), 0) AS BIGINT) AS tools,
            array_to_string(list_sort(list(DISTINCT {Model})), ',') AS models, min(tag_user) AS u, min(tag_feature) AS f, min(tag_tenant) AS t
        FROM c
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
                sessions.Add(new SessionSummary(d.GetString(0), d.GetInt64(1), d.GetInt64(2), Dec(d, 3), start, end, (end - start).TotalMilliseconds,
                    d.GetInt64(6), Split(Str(d, 7)), Str(d, 8), Str(d, 9), Str(d, 10)));
            }

            return [.. sessions];
        }
    }

    public static CallListItem[] Calls(DuckDBConnection connection, RecordFilter filter, CostBasis cost, CallListQuery query)
    {
        var conditions = "";
        if (query.ErrorsOnly)
        {
            conditions += " AND status = 'error'";
        }

        if (query.AnsweredOnly)
        {
            conditions += " AND status <> 'error'";
        }

        var values = new List<DuckDBParameter>();
        Equal("session", SessionKey, query.Session);
        Equal("error_type", $"CASE WHEN status = 'error' THEN coalesce(error_type, '{ErrorTypes.HttpError}') END", query.ErrorType);
        Equal("stop_reason", "stop_reason", query.StopReason);
        Equal("request_id", "request_id", query.RequestId);
        Equal("trace_id", "trace_id", query.TraceId);
        var n = 0;
        foreach (var (name, value) in query.Properties ?? new Dictionary<string, string>())
        {
            // The name is a parameter too: json_extract_string takes a path, built here from the escaped name.
            conditions += $" AND json_extract_string(properties, '$.\"' || $pname{n} || '\"') = $pvalue{n}";
            values.Add(new DuckDBParameter($"pname{n}", name.Replace("\"", "", StringComparison.Ordinal)));
            values.Add(new DuckDBParameter($"pvalue{n}", value));
            n++;
        }

        if (query.Search is { } search)
        {
            conditions += $" AND (request_id ILIKE $search ESCAPE '\\' OR {Model} ILIKE $search ESCAPE '\\' OR error_message ILIKE $search ESCAPE '\\' OR {SessionKey} ILIKE $search ESCAPE '\\'"
                + " OR tag_user ILIKE $search ESCAPE '\\' OR tag_feature ILIKE $search ESCAPE '\\' OR tag_tenant ILIKE $search ESCAPE '\\' OR CAST(id AS VARCHAR) ILIKE $search ESCAPE '\\')";
            values.Add(new DuckDBParameter("search", Like(search)));
        }

        // The dearest calls of a range, bounded by the hourly cost peaks when nothing but the filter narrows the list.
        if (conditions.Length == 0 && values.Count == 0 && CostPeakSql.Bound(connection, filter, cost, query, values) is { } peak)
        {
            conditions += peak;
        }

        var desc = query.Ascending ? "ASC" : "DESC";
        var order = query.Order switch
        {
            CallOrder.Cost => $"k_total {desc}, id",
            CallOrder.Latency => $"latency_ms {desc}, id",
            _ => $"start_time {desc}, start_time_ticks {desc}, id {desc}",
        };

        // Two steps: the page's ids, reading only the columns that order them, then those rows whole. Sorting
        // every column of a million rows to keep fifty cost DuckDB ten times more.
        var ids = new List<Guid>();
        var c = CostRelation.For(connection, filter, cost, conditions, values);
        var rows = query.Order == CallOrder.Cost ? "WHERE priced" : "WHERE true";
        if (PageBound(connection, c, query, rows, desc) is { } bound)
        {
            rows += bound;
        }

        using (var page = c.Command(connection, $"SELECT id FROM c {rows} ORDER BY {order} LIMIT {query.Limit} OFFSET {query.Offset}"))
        using (var pageReader = page.ExecuteReader())
        {
            while (pageReader.Read())
            {
                ids.Add(pageReader.GetGuid(0));
            }
        }

        if (ids.Count == 0)
        {
            return [];
        }

        var picked = CostRelation.For(connection, filter, cost, $"{conditions} AND id IN ({string.Join(", ", ids.Select(id => $"'{id:D}'::UUID"))})", values);
        var sql = $"""
            SELECT id, {Ticks}, {Model}, status, error_type, error_message, http_status, stop_reason, input_tokens, output_tokens,
                cache_creation_tokens, cache_read_tokens, CASE WHEN priced THEN CAST(k_total AS VARCHAR) END, latency_ms, ttft_ms,
                {Tools}, request_id, {SessionKey}, tag_user, tag_feature, tag_tenant, parent_id, attempt, trace_id, tool_results, tool_result_errors
            FROM c ORDER BY {order}
            """;
        using var command = picked.Command(connection, sql);
        using var d = command.ExecuteReader();
        var calls = new List<CallListItem>();
        while (d.Read())
        {
            calls.Add(new CallListItem(d.GetGuid(0), StoreTime.FromTicks(d.GetInt64(1)), Str(d, 2), d.GetString(3), Str(d, 4), Str(d, 5),
                Int(d, 6), Str(d, 7), Long(d, 8), Long(d, 9), Long(d, 10), Long(d, 11),
                d.IsDBNull(12) ? null : Dec(d, 12), d.GetDouble(13), Double(d, 14), Split(Str(d, 15)), Str(d, 16), Str(d, 17),
                Str(d, 18), Str(d, 19), Str(d, 20), Str(d, 21), Int(d, 22), Str(d, 23), Int(d, 24), Int(d, 25)));
        }

        return [.. calls];

        void Equal(string name, string column, string? value)
        {
            if (value is not null)
            {
                conditions += $" AND {column} = ${name}";
                values.Add(new DuckDBParameter(name, value));
            }
        }
    }

    /// <summary>
    /// For a page ordered by cost or latency, the condition that keeps only the rows at or before its last
    /// position: that position's value, found by a top-N over the value alone. DuckDB's top-N with the id as
    /// tie-break costs two to three times more over a million rows; over the rows the bound keeps (the page
    /// and its ties) it is nothing. The page is the same: every row before its end has a value at or past the bound.
    /// </summary>
    private static string? PageBound(DuckDBConnection connection, CostRelation c, CallListQuery query, string rows, string direction)
    {
        if (query.Order is not (CallOrder.Cost or CallOrder.Latency) || query.Limit <= 0)
        {
            return null;
        }

        var value = query.Order == CallOrder.Cost ? "k_total" : "latency_ms";
        using var command = c.Command(connection,
            $"SELECT CAST({value} AS VARCHAR) FROM c {rows} ORDER BY {value} {direction} LIMIT 1 OFFSET {(long)query.Limit + query.Offset - 1}");
        if (command.ExecuteScalar() is not string bound)
        {
            return null;
        }

        // The bound goes back as text cast to the column's own type: exact for DECIMAL, and DuckDB writes a DOUBLE so that it reads back equal.
        c.Parameters.Add(new DuckDBParameter("page_bound", bound));
        return $" AND {value} {(direction == "DESC" ? ">=" : "<=")} CAST($page_bound AS {(query.Order == CallOrder.Cost ? Money : "DOUBLE")})";
    }

    public static BreakdownRow[] Breakdown(DuckDBConnection connection, RecordFilter filter, CostBasis cost, BreakdownKey by, int limit, bool latency = true)
    {
        var key = by switch
        {
            BreakdownKey.Model => Model,
            BreakdownKey.Feature => "tag_feature",
            BreakdownKey.User => "tag_user",
            BreakdownKey.Endpoint => "endpoint_kind",
            _ => "tag_tenant",
        };
        if (DashboardRollups.Breakdown(connection, filter, cost, by, limit, latency) is { } rolled)
        {
            return rolled;
        }

        var c = CostRelation.For(connection, filter, cost);
        var sql = $"""
            SELECT coalesce({key}, '(none)') AS k, count(*), count(*) FILTER (status = 'error'),
                CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR) AS cost,
                {SumTokens("input_tokens")}, {SumTokens("output_tokens")},
                {(latency ? "quantile_cont(latency_ms, [0.5, 0.95])" : "[NULL::DOUBLE, NULL::DOUBLE]")} AS q
            FROM c GROUP BY k
            ORDER BY coalesce(sum(k_total) FILTER (priced), 0) DESC, count(*) DESC, k LIMIT {limit}
            """;
        return ReadBreakdown(StoreSql.Command(connection, $"SELECT * EXCLUDE (q), q[1], q[2] FROM ({c.With(sql)})", c.Parameters));
    }

    /// <summary>Rows of (key, calls, errors, cost text, input tokens, output tokens, p50, p95 latency).</summary>
    internal static BreakdownRow[] ReadBreakdown(DuckDBCommand command)
    {
        using (command)
        using (var d = command.ExecuteReader())
        {
            var rows = new List<BreakdownRow>();
            while (d.Read())
            {
                var calls = d.GetInt64(1);
                var errors = d.GetInt64(2);
                rows.Add(new BreakdownRow(d.GetString(0), calls, errors, calls == 0 ? 0 : (double)errors / calls, Dec(d, 3),
                    d.GetInt64(4), d.GetInt64(5), Double(d, 6), Double(d, 7)));
            }

            return [.. rows];
        }
    }

    /// <summary>Decades of USD: sessions cost from fractions of a cent to tens of dollars.</summary>
    private static readonly decimal[] CostEdges = [0m, 0.001m, 0.01m, 0.1m, 1m, 10m];

    /// <summary>A decimal as the double nearest it (DuckDB's direct cast from a wide DECIMAL can be off by an ulp).</summary>
    private static string AsDouble(string value) => $"CAST(CAST({value} AS VARCHAR) AS DOUBLE)";

    public static SessionCostDistribution SessionCosts(DuckDBConnection connection, RecordFilter filter, CostBasis cost)
    {
        var bins = string.Join(", ", CostEdges.Select((from, i) => i + 1 < CostEdges.Length
            ? $"count(*) FILTER (c >= {from.ToString(CultureInfo.InvariantCulture)} AND c < {CostEdges[i + 1].ToString(CultureInfo.InvariantCulture)})"
            : $"count(*) FILTER (c >= {from.ToString(CultureInfo.InvariantCulture)})"));
        // Each session's cost in range: from the per-day rollup when it serves the filter (a row per session and
        // day rather than per call), else from the calls.
        string perSession;
        List<DuckDBParameter> parameters;
        if (RollupSql.ServesWholeUnits(filter, cost, "session"))
        {
            (var r, parameters, _) = RollupSql.Relation(filter, "session", "k_total");
            perSession = $"{r},\ns AS (SELECT key AS k, coalesce(sum(k_total), 0) AS c FROM r GROUP BY k)";
        }
        else
        {
            var relation = CostRelation.For(connection, filter, cost, $" AND {SessionKey} IS NOT NULL");
            (perSession, parameters) = ($"{relation.Sql},\ns AS (SELECT {SessionKey} AS k, coalesce(sum(k_total) FILTER (priced), 0) AS c FROM c GROUP BY k)", relation.Parameters);
        }

        // The mean from the exact sum: a mean of doubles depends on the order DuckDB's threads add them in. The
        // percentiles and the maximum of the decimals themselves: casting each session's DECIMAL(38,24) to a double
        // cost DuckDB more than the rest of the query. The few results become doubles through their text, because
        // DuckDB's DECIMAL(38,24)-to-DOUBLE cast is not correctly rounded (0.4375 comes out 0.43750000000000006).
        var sql = $"""
            WITH {perSession}
            SELECT count(*) AS n, {AsDouble("sum(c)")} / count(*) AS mean, quantile_cont(c, [0.5, 0.9, 0.99]) AS q, {AsDouble("max(c)")} AS top, {bins} FROM s
            """;
        using var command = StoreSql.Command(connection, $"SELECT * EXCLUDE (q), {AsDouble("q[1]")}, {AsDouble("q[2]")}, {AsDouble("q[3]")} FROM ({sql})", parameters);
        using var d = command.ExecuteReader();
        d.Read();
        var sessions = d.GetInt64(0);
        var at = 3;
        var counts = CostEdges.Select((from, i) => new CostBin(from, i + 1 < CostEdges.Length ? CostEdges[i + 1] : null, d.GetInt64(at + i))).ToArray();
        var q = at + CostEdges.Length;
        return new SessionCostDistribution(sessions, Double(d, 1), Double(d, q), Double(d, q + 1), Double(d, q + 2), Double(d, 2), counts);
    }

    public static DailyCost[] Daily(DuckDBConnection connection, RecordFilter filter, CostBasis cost)
    {
        if (DashboardRollups.Daily(connection, filter, cost) is { } rolled)
        {
            return rolled;
        }

        var c = CostRelation.For(connection, filter, cost);
        using var command = c.Command(connection, $"SELECT {UtcDay} AS day, CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR), count(*) FROM c GROUP BY day ORDER BY day");
        using var d = command.ExecuteReader();
        var days = new List<DailyCost>();
        while (d.Read())
        {
            days.Add(new DailyCost(DateOnly.ParseExact(d.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), Dec(d, 1), d.GetInt64(2)));
        }

        return [.. days];
    }

    public static Quality Quality(DuckDBConnection connection, RecordFilter filter)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters) + " AND status <> 'error'";
        long answered;
        double? toolsPerCall;
        using (var command = StoreSql.Command(connection, $"SELECT count(*), CAST(coalesce(sum(json_array_length(tool_calls)), 0) AS BIGINT) FROM calls WHERE {where}", parameters))
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

    public static DataSpan Span(DuckDBConnection connection, RecordFilter filter)
    {
        var parameters = new List<DuckDBParameter>();
        using var command = StoreSql.Command(connection, $"SELECT min({Ticks}), max({Ticks}) FROM calls WHERE {StoreFilter.Where(filter, parameters)}", parameters);
        using var d = command.ExecuteReader();
        d.Read();
        return d.IsDBNull(0) ? new DataSpan(null, null) : new DataSpan(StoreTime.FromTicks(d.GetInt64(0)), StoreTime.FromTicks(d.GetInt64(1)));
    }

    public static ErrorGroup[] ErrorGroups(DuckDBConnection connection, RecordFilter filter, int limit)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        using var command = StoreSql.Command(connection, $"""
            SELECT coalesce(error_type, '{ErrorTypes.HttpError}') AS t, http_status, error_message, count(*) AS n,
                count(*) FILTER (attempt IS NOT NULL AND attempt > 0) AS retried, min({Ticks}), max({Ticks})
            FROM calls WHERE {where} AND status = 'error'
            GROUP BY t, http_status, error_message ORDER BY n DESC, t, error_message LIMIT {limit}
            """, parameters);
        using var d = command.ExecuteReader();
        var groups = new List<ErrorGroup>();
        while (d.Read())
        {
            groups.Add(new ErrorGroup(d.GetString(0), Int(d, 1), Str(d, 2), d.GetInt64(3), d.GetInt64(4), StoreTime.FromTicks(d.GetInt64(5)), StoreTime.FromTicks(d.GetInt64(6))));
        }

        return [.. groups];
    }

    /// <summary>A search text as an ILIKE pattern that matches it anywhere, its own wildcards taken literally.</summary>
    private static string Like(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private static KeyCount[] Shares(List<(string Key, long Count)> counts, long total) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new KeyCount(c.Key, c.Count, total == 0 ? 0 : (double)c.Count / total))];

    private static (DateTimeOffset Since, DateTimeOffset Until) Range(RecordFilter filter) =>
        filter is { Since: { } since, Until: { } until } && until > since
            ? (since, until)
            : throw new ArgumentException("the dashboard's queries need a range: since before until", nameof(filter));
}
