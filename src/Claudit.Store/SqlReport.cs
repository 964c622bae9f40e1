using System.Data.Common;
using System.Globalization;
using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store;

/// <summary>
/// Builds the <see cref="Report"/> that <see cref="ReportAccumulator"/> builds, with SQL aggregates over
/// <c>calls</c>. Every query reads the same derived relation <c>c</c>: the filtered calls with each one's
/// cost, recorded (its own columns) or recomputed. Recomputed prices come from the one pricing engine:
/// the distinct (model, service tier, geo, speed, long-context tier) combinations in range are priced in
/// C# with <see cref="CostCalculator.TryGetRates"/>, handed to SQL as an exact DECIMAL rates table and
/// joined, so each call's cost is its tokens times the same rates, summed without rounding.
/// </summary>
internal sealed class SqlReport
{
    /// <summary>Money in SQL: wide enough for any cost, with the scale of .NET decimals that matter.</summary>
    private const string Money = "DECIMAL(38, 24)";
    private const int MoneyScale = 24;

    /// <summary>
    /// Stands for NULL in the rates join's keys, so that every key is an equality and DuckDB hash-joins
    /// (IS NOT DISTINCT FROM would make it compare every call with every rate).
    /// </summary>
    private const string NoValue = "chr(0)";

    private const string EffectiveWrite5m =
        "CASE WHEN cache_write_5m_tokens IS NULL AND cache_write_1h_tokens IS NULL THEN cache_creation_tokens "
        + "ELSE coalesce(cache_write_5m_tokens, greatest(0, cache_creation_tokens - coalesce(cache_write_1h_tokens, 0))) END";

    private const string EffectiveWrite1h =
        "coalesce(cache_write_1h_tokens, CASE WHEN cache_write_5m_tokens IS NULL THEN 0 ELSE greatest(0, cache_creation_tokens - cache_write_5m_tokens) END)";

    private static readonly double[] Summary3 = [0.50, 0.95, 0.99];
    private static readonly double[] Summary2 = [0.50, 0.95];

    private readonly DuckDBConnection _connection;
    private readonly ReportOptions _options;
    private readonly CostCalculator _pricing;
    private readonly List<DuckDBParameter> _filterParameters = [];
    private readonly string _where;
    private string _relation = "";
    private List<DuckDBParameter> _relationParameters = [];

    public SqlReport(DuckDBConnection connection, ReportOptions options, CostCalculator pricing)
    {
        _connection = connection;
        _options = options;
        _pricing = pricing;
        _where = StoreFilter.Where(options.Filter, _filterParameters);
    }

    public Report Run()
    {
        _relation = _options.CostMode == CostMode.Recorded ? RecordedRelation() : RecomputedRelation();

        var totals = Totals();
        var errorsByType = Counts($"SELECT coalesce(error_type, '{ErrorTypes.HttpError}'), count(*) FROM c WHERE status = 'error' GROUP BY 1");
        var stopReasons = Counts("SELECT stop_reason, count(*) FROM c WHERE stop_reason IS NOT NULL GROUP BY 1");
        var unpricedModels = Counts("SELECT coalesce(priced_model, '(no model)'), count(*) FROM c WHERE NOT priced AND has_usage GROUP BY 1");
        var stopTotal = stopReasons.Sum(s => s.Count);
        var totalInput = totals.Input + totals.CacheWrite + totals.CacheRead;
        var billable = totals.Priced + totals.Unpriced;

        return new Report
        {
            Calls = totals.Calls,
            Successes = totals.Calls - totals.Errors,
            Errors = totals.Errors,
            ErrorRate = Rate(totals.Errors, totals.Calls),
            ErrorsByType = Shares(errorsByType, totals.Errors),
            CostUsd = totals.Cost[0],
            CostBreakdownUsd = new CostBreakdown(totals.Cost[1], totals.Cost[2], totals.Cost[3], totals.Cost[4], totals.Cost[5], totals.Cost[6]),
            CostMode = _options.CostMode == CostMode.Recorded ? "recorded" : "recomputed",
            PriceTableVersion = _options.CostMode == CostMode.Recorded ? null : _pricing.Table.Version,
            Tokens = new TokenTotals(totals.Input, totals.Output, totals.CacheWrite, totals.CacheRead, totals.Thinking),
            CacheHitRate = totalInput == 0 ? null : (double)totals.CacheRead / totalInput,
            LatencyMs = totals.Latency,
            TtftMs = totals.Ttft,
            StopReasons = Shares(stopReasons, stopTotal),
            MaxTokensTruncationRate = stopTotal == 0 ? null : (double)stopReasons.Where(s => s.Key == "max_tokens").Sum(s => s.Count) / stopTotal,
            GroupBy = _options.GroupBy.ToString().ToLowerInvariant(),
            By = Groups(),
            TopCalls = TopCalls(),
            RecentErrors = RecentErrors(),
            Coverage = new CostCoverage(totals.Priced, totals.Unpriced, Shares(unpricedModels, totals.Unpriced), totals.WithoutUsage,
                billable + totals.WithoutUsage == 0 ? null : (double)totals.Priced / (billable + totals.WithoutUsage)),
            From = totals.From,
            To = totals.To,
        };
    }

    private string RecordedRelation()
    {
        _relationParameters = [.. _filterParameters];
        return $"""
            c AS (
                SELECT *, input_tokens IS NOT NULL AS has_usage, coalesce(cost_priced, false) AS priced,
                    coalesce(cost_usd, 0) AS k_total, coalesce(cost_input_usd, 0) AS k_input, coalesce(cost_cache_write_5m_usd, 0) AS k_5m,
                    coalesce(cost_cache_write_1h_usd, 0) AS k_1h, coalesce(cost_cache_read_usd, 0) AS k_read, coalesce(cost_output_usd, 0) AS k_output,
                    coalesce(cost_web_search_usd, 0) AS k_web
                FROM calls WHERE {_where})
            """;
    }

    private string RecomputedRelation()
    {
        // Long-context tiers switch on the call's own total input: a call's tier is how many of the table's
        // thresholds its total exceeds; within one such bucket every model's rates are the same.
        var thresholds = _pricing.Table.Models.SelectMany(m => m.Tiers).Select(t => t.AboveTotalInputTokens).Distinct().Order().ToArray();
        var bucket = thresholds.Length == 0
            ? "0"
            : "(" + string.Join(" + ", thresholds.Select(t => $"CAST(input_tokens + cache_creation_tokens + cache_read_tokens > {t} AS INTEGER)")) + ")";

        var combos = new List<(string Model, string? Tier, string? Geo, string? Speed, int Bucket)>();
        using (var command = Command($"SELECT DISTINCT priced_model, service_tier, inference_geo, speed, {bucket} FROM calls WHERE ({_where}) AND input_tokens IS NOT NULL AND priced_model IS NOT NULL", _filterParameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                combos.Add((reader.GetString(0), Str(reader, 1), Str(reader, 2), Str(reader, 3), reader.GetInt32(4)));
            }
        }

        // The rates table: a typed first row that matches nothing, then one row per priced combination.
        var rates = new StringBuilder($"(NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, -1, {string.Join(", ", Enumerable.Repeat($"NULL::{Money}", 7))})");
        _relationParameters = [.. _filterParameters];
        var n = 0;
        foreach (var (model, tier, geo, speed, b) in combos)
        {
            var representativeTotal = b == 0 ? 0 : thresholds[b - 1] + 1;
            if (!_pricing.TryGetRates(model, tier, geo, speed, representativeTotal, out var r))
            {
                continue;
            }

            rates.Append(CultureInfo.InvariantCulture, $",\n($m{n}, coalesce($t{n}, {NoValue}), coalesce($g{n}, {NoValue}), coalesce($s{n}, {NoValue}), {b}, {Dec(r.Input)}, {Dec(r.CacheWrite5m)}, {Dec(r.CacheWrite1h)}, {Dec(r.CacheRead)}, {Dec(r.Output)}, {Dec(r.WebSearchRequest)}, {Dec(r.WebFetchRequest)})");
            _relationParameters.Add(new DuckDBParameter($"m{n}", model));
            _relationParameters.Add(new DuckDBParameter($"t{n}", tier));
            _relationParameters.Add(new DuckDBParameter($"g{n}", geo));
            _relationParameters.Add(new DuckDBParameter($"s{n}", speed));
            n++;
        }

        return $"""
            rates(pm, tier, geo, spd, bucket, r_input, r_5m, r_1h, r_read, r_output, r_search, r_fetch) AS (VALUES {rates}),
            c AS (
                SELECT calls.*, input_tokens IS NOT NULL AS has_usage, rates.pm IS NOT NULL AS priced,
                    input_tokens * r_input AS k_input, ({EffectiveWrite5m}) * r_5m AS k_5m, ({EffectiveWrite1h}) * r_1h AS k_1h,
                    cache_read_tokens * r_read AS k_read, output_tokens * r_output AS k_output,
                    web_search_requests * r_search + web_fetch_requests * r_fetch AS k_web,
                    k_input + k_5m + k_1h + k_read + k_output + k_web AS k_total
                FROM calls LEFT JOIN rates ON rates.pm = calls.priced_model AND rates.tier = coalesce(calls.service_tier, {NoValue})
                    AND rates.geo = coalesce(calls.inference_geo, {NoValue}) AND rates.spd = coalesce(calls.speed, {NoValue})
                    AND rates.bucket = {bucket}
                WHERE {_where})
            """;
    }

    private static string Dec(decimal value)
    {
        if (decimal.Round(value, MoneyScale) != value)
        {
            throw new StoreException($"a price-table rate ({value} USD per token) has more than {MoneyScale} decimal places: the store cannot price with it exactly");
        }

        return $"CAST('{value.ToString(CultureInfo.InvariantCulture)}' AS {Money})";
    }

    private sealed record TotalsRow(long Calls, long Errors, long Priced, long Unpriced, long WithoutUsage, long Input, long Output,
        long CacheWrite, long CacheRead, long Thinking, decimal[] Cost, DateTimeOffset? From, DateTimeOffset? To,
        PercentileSummary Latency, PercentileSummary Ttft);

    private TotalsRow Totals()
    {
        const string Tokens = "CAST(coalesce(sum({0}), 0) AS BIGINT)";
        const string Cost = "CAST(coalesce(sum({0}) FILTER (priced), 0) AS VARCHAR)";
        var sql = $"""
            SELECT count(*), count(*) FILTER (status = 'error'), count(*) FILTER (priced), count(*) FILTER (NOT priced AND has_usage),
                count(*) FILTER (NOT has_usage AND status <> 'error'),
                {string.Format(CultureInfo.InvariantCulture, Tokens, "input_tokens")}, {string.Format(CultureInfo.InvariantCulture, Tokens, "output_tokens")},
                {string.Format(CultureInfo.InvariantCulture, Tokens, "cache_creation_tokens")}, {string.Format(CultureInfo.InvariantCulture, Tokens, "cache_read_tokens")},
                {string.Format(CultureInfo.InvariantCulture, Tokens, "thinking_tokens")},
                {string.Join(", ", new[] { "k_total", "k_input", "k_5m", "k_1h", "k_read", "k_output", "k_web" }.Select(k => string.Format(CultureInfo.InvariantCulture, Cost, k)))},
                min({StoreTime.TicksSql}), max({StoreTime.TicksSql}),
                list_sort(list(latency_ms)) AS lat, max(latency_ms),
                count(ttft_ms), list_sort(list(ttft_ms) FILTER (ttft_ms IS NOT NULL)) AS ttft, max(ttft_ms)
            FROM c
            """;
        sql = $"SELECT * EXCLUDE (lat, ttft), {Neighbours("lat", Summary3)}, {Neighbours("ttft", Summary3)} FROM ({With(sql)})";
        using var command = Command(sql, _relationParameters);
        using var d = command.ExecuteReader();
        d.Read();
        var calls = d.GetInt64(0);
        return new TotalsRow(calls, d.GetInt64(1), d.GetInt64(2), d.GetInt64(3), d.GetInt64(4), d.GetInt64(5), d.GetInt64(6), d.GetInt64(7),
            d.GetInt64(8), d.GetInt64(9), [.. Enumerable.Range(10, 7).Select(i => CallRows.Dec(d, i))],
            d.IsDBNull(17) ? null : StoreTime.FromTicks(d.GetInt64(17)), d.IsDBNull(18) ? null : StoreTime.FromTicks(d.GetInt64(18)),
            Summary(calls, d.IsDBNull(19) ? 0 : d.GetDouble(19), Percentiles(d, 22, calls, Summary3)),
            Summary(d.GetInt64(20), d.IsDBNull(21) ? 0 : d.GetDouble(21), Percentiles(d, 28, d.GetInt64(20), Summary3)));
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

    private List<(string Key, long Count)> Counts(string sql)
    {
        using var command = Command(With(sql), _relationParameters);
        using var d = command.ExecuteReader();
        var counts = new List<(string, long)>();
        while (d.Read())
        {
            counts.Add((d.GetString(0), d.GetInt64(1)));
        }

        return counts;
    }

    private GroupRow[] Groups()
    {
        var key = _options.GroupBy switch
        {
            GroupBy.Model => "coalesce(model_used, model_requested)",
            GroupBy.Feature => "tag_feature",
            GroupBy.User => "tag_user",
            GroupBy.Tenant => "tag_tenant",
            GroupBy.Session => "coalesce(tag_session, tag_conversation)",
            // The UTC date, whatever the session's time zone: from the epoch, not from the TIMESTAMPTZ.
            GroupBy.Day => "strftime(make_timestamp(epoch_us(start_time)), '%Y-%m-%d')",
            _ => "NULL",
        };
        var sql = $"""
            SELECT coalesce({key}, '(none)') AS k, count(*), count(*) FILTER (status = 'error'),
                CAST(coalesce(sum(k_total) FILTER (priced), 0) AS VARCHAR),
                CAST(coalesce(sum(input_tokens), 0) AS BIGINT), CAST(coalesce(sum(output_tokens), 0) AS BIGINT),
                CAST(coalesce(sum(cache_creation_tokens), 0) AS BIGINT), CAST(coalesce(sum(cache_read_tokens), 0) AS BIGINT),
                list_sort(list(latency_ms)) AS lat
            FROM c GROUP BY k
            """;
        sql = $"SELECT * EXCLUDE (lat), {Neighbours("lat", Summary2)} FROM ({With(sql)})";
        using var command = Command(sql, _relationParameters);
        using var d = command.ExecuteReader();
        var rows = new List<GroupRow>();
        while (d.Read())
        {
            var calls = d.GetInt64(1);
            var errors = d.GetInt64(2);
            var q = Percentiles(d, 8, calls, Summary2);
            rows.Add(new GroupRow(d.GetString(0), calls, errors, Rate(errors, calls), CallRows.Dec(d, 3), d.GetInt64(4), d.GetInt64(5),
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
            SELECT id, {StoreTime.TicksSql}, priced_model, CAST(k_total AS VARCHAR), coalesce(input_tokens, 0), coalesce(output_tokens, 0),
                coalesce(cache_creation_tokens, 0), coalesce(cache_read_tokens, 0), request_id, tag_feature, tag_user
            FROM c WHERE priced ORDER BY k_total DESC, id LIMIT {_options.TopN}
            """;
        using var command = Command(With(sql), _relationParameters);
        using var d = command.ExecuteReader();
        var calls = new List<CallSummary>();
        while (d.Read())
        {
            calls.Add(new CallSummary(d.GetGuid(0), StoreTime.FromTicks(d.GetInt64(1)), Str(d, 2), CallRows.Dec(d, 3), d.GetInt64(4), d.GetInt64(5),
                d.GetInt64(6), d.GetInt64(7), Str(d, 8), Str(d, 9), Str(d, 10)));
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
            SELECT id, {StoreTime.TicksSql} AS ticks, priced_model, coalesce(error_type, '{ErrorTypes.HttpError}'), error_message, http_status, request_id
            FROM c WHERE status = 'error' ORDER BY ticks DESC, id LIMIT {_options.RecentErrors}
            """;
        using var command = Command(With(sql), _relationParameters);
        using var d = command.ExecuteReader();
        var errors = new List<ErrorSummary>();
        while (d.Read())
        {
            errors.Add(new ErrorSummary(d.GetGuid(0), StoreTime.FromTicks(d.GetInt64(1)), Str(d, 2), d.GetString(3), Str(d, 4),
                d.IsDBNull(5) ? null : d.GetInt32(5), Str(d, 6)));
        }

        return [.. errors];
    }

    private string With(string select) => $"WITH {_relation}\n{select}";

    private DuckDBCommand Command(string sql, IEnumerable<DuckDBParameter> parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(p.ParameterName, p.Value));
        }

        return command;
    }

    private static CountEntry[] Shares(List<(string Key, long Count)> counts, long total) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new CountEntry(c.Key, c.Count, Rate(c.Count, total)))];

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static string? Str(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetString(i);
}
