using Claudit.Core.Anthropic;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The rollups: per-minute sums in <c>call_rollup</c> (Schema/008) and per-day sums by user and by session in
/// <c>call_rollup_daily</c> (Schema/015). One statement adds a set of calls to them (each appended batch, and
/// the rows stored before a table existed), and <see cref="Relation"/> reads them back for a filter as the
/// relation <c>r</c> — the whole units in range from the rollup, the partial units at its ends aggregated
/// from <c>calls</c> the same way — so that a query over it gives exactly what the same aggregate over the
/// raw rows would.
/// </summary>
internal static class RollupSql
{
    /// <summary>A rollup table, the column holding the start of its unit of time, and the unit.</summary>
    internal sealed record Grain(string Table, string Column, long Ticks);

    internal static readonly Grain Minutes = new("call_rollup", "minute", TimeSpan.TicksPerMinute);

    /// <summary>Users and sessions are too many for minutes (a row per user and minute is about a row per call); a day holds far fewer.</summary>
    internal static readonly Grain Days = new("call_rollup_daily", "day", TimeSpan.TicksPerDay);

    /// <summary>The dimensions rolled up, the key each groups by, the table that holds them, and the calls they hold.</summary>
    private static readonly (string Dim, string Key, Grain Grain, string Rows)[] Dimensions =
    [
        ("all", "''", Minutes, "true"),
        ("model", $"coalesce({BilledModel}, '(none)')", Minutes, "true"),
        ("feature", "coalesce(tag_feature, '(none)')", Minutes, "true"),
        ("tenant", "coalesce(tag_tenant, '(none)')", Minutes, "true"),
        ("error_type", $"CASE WHEN status = 'error' THEN coalesce(error_type, '{ErrorTypes.HttpError}') ELSE '' END", Minutes, "true"),
        ("price_table", "coalesce(price_table_version, '(none)')", Minutes, "true"),
        ("user", "coalesce(tag_user, '(none)')", Days, "true"),
        // A call outside any session belongs to none: the sessions' cost distribution leaves it out.
        ("session", SessionKey, Days, $"{SessionKey} IS NOT NULL"),
    ];

    private static readonly string[] Sums =
    [
        "calls", "errors", "retries", "priced", "unpriced_with_usage", "billable", "cost_usd", "cost_input_usd", "cost_cache_write_5m_usd",
        "cost_cache_write_1h_usd", "cost_cache_read_usd", "cost_output_usd", "cost_web_search_usd", "input_tokens", "output_tokens",
        "cache_read_tokens", "total_input_tokens",
    ];

    /// <summary>The aggregates of one rollup row over a group of <c>calls</c> rows, in the order of <see cref="Sums"/>.</summary>
    private static string Aggregates => $"""
        count(*), count(*) FILTER (status = 'error'), count(*) FILTER (parent_id IS NOT NULL),
        count(*) FILTER (coalesce(cost_priced, false)), count(*) FILTER (NOT coalesce(cost_priced, false) AND input_tokens IS NOT NULL),
        count(*) FILTER (input_tokens IS NOT NULL OR status <> 'error'),
        {string.Join(", ", new[] { "cost_usd", "cost_input_usd", "cost_cache_write_5m_usd", "cost_cache_write_1h_usd", "cost_cache_read_usd", "cost_output_usd", "cost_web_search_usd" }
            .Select(c => $"CAST(coalesce(sum({c}) FILTER (coalesce(cost_priced, false)), 0) AS {Money})"))},
        {Saturated("coalesce(sum(CAST(input_tokens AS HUGEINT)), 0)")}, {Saturated("coalesce(sum(CAST(output_tokens AS HUGEINT)), 0)")},
        {Saturated("coalesce(sum(CAST(cache_read_tokens AS HUGEINT)), 0)")}, {Saturated($"coalesce(sum({TotalInput}), 0)")}
        """;

    /// <summary>The token sums, BIGINT since Schema/011 (DuckDB sums HUGEINT columns ~100x slower); they saturate as <see cref="SumRolled"/> does.</summary>
    private static readonly string[] TokenSums = ["input_tokens", "output_tokens", "cache_read_tokens", "total_input_tokens"];

    private static string Saturated(string hugeint) => $"CAST(greatest(least({hugeint}, {long.MaxValue}), {long.MinValue}) AS BIGINT)";

    private static string UnitStart(Grain grain) => $"({Ticks} // {grain.Ticks}) * {grain.Ticks}";

    /// <summary>Adds the rows of <paramref name="source"/> (a table shaped like <c>calls</c>) to the rollups: the sums, the latency histograms (<see cref="HistogramSql"/>) and the hourly cost peaks (<see cref="CostPeakSql"/>).</summary>
    public static void Add(DuckDBConnection connection, DuckDBTransaction? transaction, string source)
    {
        AddSums(connection, transaction, source);
        HistogramSql.Add(connection, transaction, source);
        CostPeakSql.Add(connection, transaction, source);
    }

    /// <summary>Adds the rows of <paramref name="source"/> to the sums of the rollup tables (of <paramref name="only"/> one of them, for its backfill).</summary>
    public static void AddSums(DuckDBConnection connection, DuckDBTransaction? transaction, string source, Grain? only = null)
    {
        foreach (var grain in new[] { Minutes, Days }.Where(g => only is null || g == only))
        {
            var selects = Dimensions.Where(d => d.Grain == grain).Select(d =>
                $"SELECT {UnitStart(grain)}, coalesce(endpoint_kind, 'other'), '{d.Dim}', {d.Key}, {Aggregates} FROM {source} WHERE {d.Rows} GROUP BY ALL");
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO {grain.Table}
                {string.Join("\nUNION ALL\n", selects)}
                ON CONFLICT ({grain.Column}, endpoint_kind, dim, key) DO UPDATE SET
                {string.Join(", ", Sums.Select(s => TokenSums.Contains(s) ? $"{s} = {Saturated($"CAST({grain.Table}.{s} AS HUGEINT) + EXCLUDED.{s}")}" : $"{s} = {grain.Table}.{s} + EXCLUDED.{s}"))}
                """;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Whether the rollups can answer for <paramref name="filter"/>: they are keyed by time and endpoint
    /// only (each dimension apart), so a filter on a model, tag or tenant list needs the raw rows.
    /// </summary>
    public static bool Serves(RecordFilter filter, CostBasis cost) =>
        cost.Pricing is null && filter is { Since: not null, Until: not null, Model: null, Feature: null, User: null, Tenant: null, AllowedTenants: null };

    /// <summary>
    /// Whether <paramref name="dim"/>'s rollup is worth reading for <paramref name="filter"/>: it serves it, and the range
    /// holds at least one whole unit. A range of partial days only (the last 24 hours) would read every call through
    /// the rollup's edge aggregates, which sum more than the raw query does.
    /// </summary>
    public static bool ServesWholeUnits(RecordFilter filter, CostBasis cost, string dim)
    {
        if (!Serves(filter, cost))
        {
            return false;
        }

        var (from, to) = WholeUnits.Bounds(filter, Dimensions.Single(d => d.Dim == dim).Grain.Ticks);
        return to > from;
    }

    /// <summary>
    /// <c>r AS (…)</c>: one row per unit (minute, or day for users and sessions) × endpoint kind × key of <paramref name="dim"/>
    /// with the unit's start (<c>unit</c>) and the sums of the rollup (<c>calls</c>, <c>errors</c>, <c>retries</c>,
    /// <c>priced</c>, <c>unpriced_with_usage</c>, <c>billable</c>, <c>k_total</c> and the cost of each token class,
    /// token sums), over the filter's range.
    /// </summary>
    public static (string Sql, List<DuckDBParameter> Parameters, string Where) Relation(RecordFilter filter, string dim)
    {
        var (_, key, grain, rows) = Dimensions.Single(d => d.Dim == dim);
        var parameters = new List<DuckDBParameter>();
        var (where, endpoints) = WholeUnits.Split(filter, grain.Ticks, "r_", parameters);
        parameters.Add(new DuckDBParameter("r_dim", dim));
        var columns = $"{grain.Column} AS unit, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd AS k_total, cost_input_usd AS k_input, "
            + "cost_cache_write_5m_usd AS k_5m, cost_cache_write_1h_usd AS k_1h, cost_cache_read_usd AS k_read, cost_output_usd AS k_output, cost_web_search_usd AS k_web, "
            + "input_tokens, output_tokens, cache_read_tokens, total_input_tokens";
        var sql = $"""
            r AS (
                SELECT {columns} FROM {grain.Table} WHERE dim = $r_dim AND {grain.Column} >= $r_from AND {grain.Column} < $r_to AND {endpoints.Replace("endpoint_kind", grain.Table + ".endpoint_kind", StringComparison.Ordinal)}
                UNION ALL
                {Edge("<", "$r_from")}
                UNION ALL
                {Edge(">=", "$r_to")})
            """;
        // A partial unit at either end, aggregated from the raw rows; two ranges rather than one OR, so that
        // DuckDB reads only the row groups at the ends (r_from and r_to are whole units, so whole microseconds).
        string Edge(string comparison, string bound) => $"""
            SELECT * FROM (SELECT {UnitStart(grain)} AS unit, coalesce(endpoint_kind, 'other') AS endpoint_kind, {key} AS key, {Aggregates}
                FROM calls WHERE {where} AND {rows} AND start_time {comparison} {StoreTime.MicrosecondSql(bound[1..] + "_us")} GROUP BY ALL)
            """;
        return (sql, parameters, where);
    }

    /// <summary>A count summed over <c>r</c> (DuckDB sums BIGINTs as HUGEINT) as a BIGINT.</summary>
    public static string Count(string column) => $"CAST(coalesce(sum({column}), 0) AS BIGINT)";

    /// <summary>A token sum over <c>r</c> as a BIGINT that saturates, as <see cref="SumTokens"/> does over calls.</summary>
    public static string SumRolled(string column) =>
        $"CAST(greatest(least(coalesce(sum({column}), 0), {long.MaxValue}), {long.MinValue}) AS BIGINT)";
}
