using System.Data.Common;
using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// Builds the <see cref="Report"/> that <see cref="ReportAccumulator"/> builds, with SQL aggregates over
/// <c>calls</c>. Every query reads the same derived relation (<see cref="CostRelation"/>): the filtered
/// calls with each one's cost, recorded or recomputed.
/// </summary>
internal sealed class SqlReport
{
    private static readonly double[] Summary3 = [0.50, 0.95, 0.99];
    private static readonly double[] Summary2 = [0.50, 0.95];

    private readonly DuckDBConnection _connection;
    private readonly ReportOptions _options;
    private readonly CostCalculator _pricing;
    private CostRelation _c = null!;

    public SqlReport(DuckDBConnection connection, ReportOptions options, CostCalculator pricing)
    {
        _connection = connection;
        _options = options;
        _pricing = pricing;
    }

    public Report Run()
    {
        _c = CostRelation.For(_connection, _options.Filter, _options.CostMode == CostMode.Recorded ? null : _pricing);

        var totals = Totals();
        var errorsByType = Counts($"SELECT coalesce(error_type, '{ErrorTypes.HttpError}'), count(*) FROM c WHERE status = 'error' GROUP BY 1");
        var stopReasons = Counts("SELECT stop_reason, count(*) FROM c WHERE stop_reason IS NOT NULL GROUP BY 1");
        var unpricedModels = Counts($"SELECT coalesce({StoreSql.BilledModel}, '(no model)'), count(*) FROM c WHERE NOT priced AND has_usage GROUP BY 1");
        var retries = Counts("SELECT 'retries', count(*) FROM c WHERE parent_id IS NOT NULL").Sum(r => r.Count);
        return ReportAssembly.Assemble(_options, _pricing, totals, errorsByType, stopReasons, unpricedModels, retries, Groups(), TopCalls(), RecentErrors(),
            OtherEndpoints(), BatchGaps());
    }

    /// <summary>The filter without its endpoint scope: what the other-endpoints table and the batch gaps read.</summary>
    private CostRelation AllEndpoints() =>
        CostRelation.For(_connection, _options.Filter with { Endpoint = EndpointScope.All }, _options.CostMode == CostMode.Recorded ? null : _pricing);

    private EndpointRow[] OtherEndpoints()
    {
        if (_options.Filter.Endpoint == EndpointScope.All)
        {
            return [];
        }

        var scope = _options.Filter.EndpointKindsSelected;
        var c = AllEndpoints();
        var sql = $"""
            SELECT endpoint_kind, count(*), count(*) FILTER (status = 'error'), CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR),
                list_sort(list(latency_ms)) AS lat
            FROM c WHERE endpoint_kind NOT IN ({string.Join(", ", scope.Select(k => $"'{k}'"))}) GROUP BY endpoint_kind
            """;
        sql = $"SELECT * EXCLUDE (lat), {Neighbours("lat", Summary2)} FROM ({c.With(sql)})";
        using var command = StoreSql.Command(_connection, sql, c.Parameters);
        using var d = command.ExecuteReader();
        var rows = new List<EndpointRow>();
        while (d.Read())
        {
            var calls = d.GetInt64(1);
            var q = Percentiles(d, 4, calls, Summary2);
            rows.Add(new EndpointRow(d.GetString(0), calls, d.GetInt64(2), StoreSql.Dec(d, 3), q[0], q[1]));
        }

        return [.. rows.OrderBy(r => IndexOf(r.Endpoint))];

        static int IndexOf(string kind) => EndpointKinds.All.ToList().IndexOf(kind);
    }

    /// <summary>Batches a call showed ended (in the filter) with no result record at all: <see cref="ReportAccumulator"/>'s rule.</summary>
    private BatchGap[] BatchGaps()
    {
        var c = AllEndpoints();
        var sql = $"""
            SELECT batch_id, max(batch_request_count), max({StoreSql.Ticks}) FROM c
            WHERE batch_status = 'ended' AND batch_id NOT IN (
                SELECT batch_id FROM calls WHERE endpoint_kind = '{EndpointKinds.BatchResult}' AND batch_id IS NOT NULL)
            GROUP BY batch_id ORDER BY batch_id
            """;
        using var command = c.Command(_connection, sql);
        using var d = command.ExecuteReader();
        var gaps = new List<BatchGap>();
        while (d.Read())
        {
            gaps.Add(new BatchGap(d.GetString(0), StoreSql.Long(d, 1), StoreTime.FromTicks(d.GetInt64(2))));
        }

        return [.. gaps];
    }

    private ReportTotals Totals()
    {
        const string Cost = "CAST(coalesce(sum({0}) FILTER (priced), 0) AS VARCHAR)";
        var sql = $"""
            SELECT count(*), count(*) FILTER (status = 'error'), count(*) FILTER (priced), count(*) FILTER (NOT priced AND has_usage),
                count(*) FILTER (NOT has_usage AND status <> 'error' AND NOT priced),
                {StoreSql.SumTokens("input_tokens")}, {StoreSql.SumTokens("output_tokens")},
                {StoreSql.SumTokens("cache_creation_tokens")}, {StoreSql.SumTokens("cache_read_tokens")},
                {StoreSql.SumTokens("thinking_tokens")},
                {string.Join(", ", new[] { "k_total", "k_input", "k_5m", "k_1h", "k_read", "k_output", "k_web" }.Select(k => string.Format(CultureInfo.InvariantCulture, Cost, k)))},
                min({StoreSql.Ticks}), max({StoreSql.Ticks}),
                list_sort(list(latency_ms)) AS lat, max(latency_ms),
                count(ttft_ms), list_sort(list(ttft_ms) FILTER (ttft_ms IS NOT NULL)) AS ttft, max(ttft_ms),
                string_agg(DISTINCT price_table_version, ',' ORDER BY price_table_version) FILTER (priced AND price_table_version IS NOT NULL) AS tables
            FROM c
            """;
        sql = $"SELECT * EXCLUDE (lat, ttft, tables), {Neighbours("lat", Summary3)}, {Neighbours("ttft", Summary3)}, tables FROM ({_c.With(sql)})";
        using var command = StoreSql.Command(_connection, sql, _c.Parameters);
        using var d = command.ExecuteReader();
        d.Read();
        var calls = d.GetInt64(0);
        return new ReportTotals(calls, d.GetInt64(1), d.GetInt64(2), d.GetInt64(3), d.GetInt64(4), d.GetInt64(5), d.GetInt64(6), d.GetInt64(7),
            d.GetInt64(8), d.GetInt64(9), [.. Enumerable.Range(10, 7).Select(i => StoreSql.Dec(d, i))],
            d.IsDBNull(17) ? null : StoreTime.FromTicks(d.GetInt64(17)), d.IsDBNull(18) ? null : StoreTime.FromTicks(d.GetInt64(18)),
            Summary(calls, d.IsDBNull(19) ? 0 : d.GetDouble(19), Percentiles(d, 22, calls, Summary3)),
            Summary(d.GetInt64(20), d.IsDBNull(21) ? 0 : d.GetDouble(21), Percentiles(d, 28, d.GetInt64(20), Summary3)),
            StoreSql.Str(d, 34));
    }

    private static PercentileSummary Summary(long count, double max, double?[] p) =>
        count == 0 ? PercentileSummary.Empty : new PercentileSummary(count, p[0], p[1], p[2], max);

    /// <summary>
    /// The SQL for the two neighbours of each percentile's rank in a sorted list (1-based): <c>l[lo + 1]</c>
    /// and <c>l[min(lo + 2, n)]</c> with <c>lo = floor(p * (n - 1))</c>. The interpolation between them is
    /// done in C# by <see cref="Percentiles"/>' own formula: DuckDB's quantile_cont interpolates the same
    /// way but rounds the last bit differently, and reports must not change with where they were computed.
    /// </summary>
    private static string Neighbours(string list, double[] ps) =>
        string.Join(", ", ps.Select(p =>
        {
            var lo = $"CAST(floor(CAST('{p.ToString("R", CultureInfo.InvariantCulture)}' AS DOUBLE) * (len({list}) - 1)) AS BIGINT)";
            return $"{list}[{lo} + 1], {list}[least({lo} + 2, len({list}))]";
        }));

    /// <summary>The percentiles from the neighbours <see cref="Neighbours"/> selected, starting at column <paramref name="at"/>.</summary>
    private static double?[] Percentiles(DbDataReader d, int at, long count, double[] ps)
    {
        var values = new double?[ps.Length];
        if (count == 0)
        {
            return values;
        }

        for (var i = 0; i < ps.Length; i++)
        {
            // Percentiles.Of, term for term: sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo])).
            var rank = ps[i] * (count - 1);
            var lo = Math.Floor(rank);
            var low = d.GetDouble(at + (2 * i));
            var high = d.GetDouble(at + (2 * i) + 1);
            values[i] = low + ((rank - lo) * (high - low));
        }

        return values;
    }

    private List<(string Key, long Count)> Counts(string sql) => StoreSql.Counts(_connection, _c.With(sql), _c.Parameters);

    private GroupRow[] Groups()
    {
        var key = _options.GroupBy switch
        {
            GroupBy.Model => StoreSql.BilledModel,
            GroupBy.Feature => "tag_feature",
            GroupBy.User => "tag_user",
            GroupBy.Tenant => "tag_tenant",
            GroupBy.Session => StoreSql.SessionKey,
            GroupBy.Day => StoreSql.UtcDay,
            GroupBy.Endpoint => "endpoint_kind",
            _ => "NULL",
        };
        var sql = $"""
            SELECT coalesce({key}, '(none)') AS k, count(*), count(*) FILTER (status = 'error'),
                CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR),
                {StoreSql.SumTokens("input_tokens")}, {StoreSql.SumTokens("output_tokens")},
                {StoreSql.SumTokens("cache_creation_tokens")}, {StoreSql.SumTokens("cache_read_tokens")},
                list_sort(list(latency_ms)) AS lat
            FROM c GROUP BY k
            """;
        sql = $"SELECT * EXCLUDE (lat), {Neighbours("lat", Summary2)} FROM ({_c.With(sql)})";
        using var command = StoreSql.Command(_connection, sql, _c.Parameters);
        using var d = command.ExecuteReader();
        var rows = new List<GroupRow>();
        while (d.Read())
        {
            var calls = d.GetInt64(1);
            var errors = d.GetInt64(2);
            var q = Percentiles(d, 8, calls, Summary2);
            rows.Add(new GroupRow(d.GetString(0), calls, errors, ReportAssembly.Rate(errors, calls), StoreSql.Dec(d, 3), d.GetInt64(4), d.GetInt64(5),
                d.GetInt64(6), d.GetInt64(7), q[0], q[1]));
        }

        // The accumulator's order: by date for days, else by cost, calls, then key.
        var byDay = _options.GroupBy == GroupBy.Day;
        return [.. rows
            .OrderBy(g => byDay ? g.Key : null, StringComparer.Ordinal)
            .ThenByDescending(g => g.CostUsd)
            .ThenByDescending(g => g.Calls)
            .ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    private CallSummary[] TopCalls()
    {
        if (_options.TopN <= 0)
        {
            return [];
        }

        var sql = $"""
            SELECT id, {StoreSql.Ticks}, {StoreSql.BilledModel}, CAST(k_total AS VARCHAR), coalesce(input_tokens, 0), coalesce(output_tokens, 0),
                coalesce(cache_creation_tokens, 0), coalesce(cache_read_tokens, 0), request_id, tag_feature, tag_user
            FROM c WHERE priced ORDER BY k_total DESC, id LIMIT {_options.TopN}
            """;
        using var command = _c.Command(_connection, sql);
        using var d = command.ExecuteReader();
        var calls = new List<CallSummary>();
        while (d.Read())
        {
            calls.Add(new CallSummary(d.GetGuid(0), StoreTime.FromTicks(d.GetInt64(1)), StoreSql.Str(d, 2), StoreSql.Dec(d, 3), d.GetInt64(4), d.GetInt64(5),
                d.GetInt64(6), d.GetInt64(7), StoreSql.Str(d, 8), StoreSql.Str(d, 9), StoreSql.Str(d, 10)));
        }

        return [.. calls];
    }

    private ErrorSummary[] RecentErrors()
    {
        if (_options.RecentErrors <= 0)
        {
            return [];
        }

        var sql = $"""
            SELECT id, {StoreSql.Ticks} AS ticks, {StoreSql.BilledModel}, coalesce(error_type, '{ErrorTypes.HttpError}'), error_message, http_status, request_id
            FROM c WHERE status = 'error' ORDER BY ticks DESC, id LIMIT {_options.RecentErrors}
            """;
        using var command = _c.Command(_connection, sql);
        using var d = command.ExecuteReader();
        var errors = new List<ErrorSummary>();
        while (d.Read())
        {
            errors.Add(new ErrorSummary(d.GetGuid(0), StoreTime.FromTicks(d.GetInt64(1)), StoreSql.Str(d, 2), d.GetString(3), StoreSql.Str(d, 4),
                StoreSql.Int(d, 5), StoreSql.Str(d, 6)));
        }

        return [.. errors];
    }

}
