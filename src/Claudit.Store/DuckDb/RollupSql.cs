using Claudit.Core.Anthropic;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The rollups: per-minute sums in <c>call_rollup_DIM</c> (Schema/008, a table per dimension since 016) and per-day
/// sums by user and by session in <c>call_rollup_daily_DIM</c> (Schema/015). One statement a table adds a set of calls to them (each appended batch, and
/// the rows stored before a table existed), and <see cref="Relation"/> reads them back for a filter as the
/// relation <c>r</c> — the whole units in range from the rollup, the partial units at its ends aggregated
/// from <c>calls</c> the same way — so that a query over it gives exactly what the same aggregate over the
/// raw rows would.
/// </summary>
internal static class RollupSql
{
    /// <summary>A rollup's tables (a dimension's is <c>{Table}_{dim}</c>), the column holding the start of its unit of time, and the unit.</summary>
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

    /// <summary>
    /// Each sum a rollup row holds: its column, its name in <see cref="Relation"/>'s <c>r</c>, and its aggregate over a
    /// group of <c>calls</c> rows.
    /// </summary>
    private static readonly (string Column, string Name, string Aggregate)[] Sums =
    [
        ("calls", "calls", "count(*)"),
        ("errors", "errors", "count(*) FILTER (status = 'error')"),
        ("retries", "retries", "count(*) FILTER (parent_id IS NOT NULL)"),
        ("priced", "priced", "count(*) FILTER (coalesce(cost_priced, false))"),
        ("unpriced_with_usage", "unpriced_with_usage", "count(*) FILTER (NOT coalesce(cost_priced, false) AND input_tokens IS NOT NULL)"),
        ("billable", "billable", "count(*) FILTER (input_tokens IS NOT NULL OR status <> 'error')"),
        Cost("cost_usd", "k_total"),
        Cost("cost_input_usd", "k_input"),
        Cost("cost_cache_write_5m_usd", "k_5m"),
        Cost("cost_cache_write_1h_usd", "k_1h"),
        Cost("cost_cache_read_usd", "k_read"),
        Cost("cost_output_usd", "k_output"),
        Cost("cost_web_search_usd", "k_web"),
        ("input_tokens", "input_tokens", Saturated("coalesce(sum(CAST(input_tokens AS HUGEINT)), 0)")),
        ("output_tokens", "output_tokens", Saturated("coalesce(sum(CAST(output_tokens AS HUGEINT)), 0)")),
        ("cache_read_tokens", "cache_read_tokens", Saturated("coalesce(sum(CAST(cache_read_tokens AS HUGEINT)), 0)")),
        ("total_input_tokens", "total_input_tokens", Saturated($"coalesce(sum({TotalInput}), 0)")),
    ];

    private static (string Column, string Name, string Aggregate) Cost(string column, string name) =>
        (column, name, $"CAST(coalesce(sum({column}) FILTER (coalesce(cost_priced, false)), 0) AS {Money})");

    /// <summary>The aggregates of one rollup row over a group of <c>calls</c> rows, in the order of <see cref="Sums"/>.</summary>
    private static string Aggregates => string.Join(", ", Sums.Select(s => s.Aggregate));

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

    /// <summary>Adds the rows of <paramref name="source"/> to the sums of the rollup tables (of <paramref name="only"/> one grain's, for a backfill).</summary>
    public static void AddSums(DuckDBConnection connection, DuckDBTransaction? transaction, string source, Grain? only = null)
    {
        foreach (var (dim, key, grain, rows) in Dimensions.Where(d => only is null || d.Grain == only))
        {
            var table = TableOf(dim, grain);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO {table}
                SELECT {UnitStart(grain)}, coalesce(endpoint_kind, 'other'), {key}, {Aggregates} FROM {source} WHERE {rows} GROUP BY ALL
                ON CONFLICT ({grain.Column}, endpoint_kind, key) DO UPDATE SET
                {string.Join(", ", Sums.Select(s => s.Column).Select(s => TokenSums.Contains(s) ? $"{s} = {Saturated($"CAST({table}.{s} AS HUGEINT) + EXCLUDED.{s}")}" : $"{s} = {table}.{s} + EXCLUDED.{s}"))}
                """;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A dimension's own table (Schema/016): <c>call_rollup_model</c>, <c>call_rollup_daily_user</c>…</summary>
    private static string TableOf(string dim, Grain grain) => $"{grain.Table}_{dim}";

    /// <summary>
    /// Version 16's backfill: a grain whose tables came over empty from a store with calls (one that had not run the
    /// script creating its rollup, so the move had nothing to move) is rolled up from the calls.
    /// </summary>
    internal static void RollUpWhereEmpty(DuckDBConnection connection, Action<Action<string>> inChunks)
    {
        foreach (var grain in new[] { Minutes, Days })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT (SELECT count(*) FROM {TableOf(Dimensions.First(d => d.Grain == grain).Dim, grain)}) = 0 AND EXISTS (SELECT 1 FROM calls)";
            if ((bool)command.ExecuteScalar()!)
            {
                inChunks(source => AddSums(connection, null, source, grain));
            }
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
    /// with the unit's start (<c>unit</c>), <c>endpoint_kind</c>, <c>key</c> and the sums named in <paramref name="sums"/> (of
    /// <c>calls</c>, <c>errors</c>, <c>retries</c>, <c>priced</c>, <c>unpriced_with_usage</c>, <c>billable</c>, <c>k_total</c>
    /// and the cost of each token class <c>k_input</c>, <c>k_5m</c>, <c>k_1h</c>, <c>k_read</c>, <c>k_output</c>, <c>k_web</c>,
    /// and the token sums), over the filter's range. Only the sums a query reads: binding the partial units' aggregates
    /// was most of a small query's time in DuckDB (about 2.5 ms for each end with every sum, against 8 ms for the whole query).
    /// </summary>
    public static (string Sql, List<DuckDBParameter> Parameters, string Where) Relation(RecordFilter filter, string dim, params string[] sums)
    {
        var (_, key, grain, rows) = Dimensions.Single(d => d.Dim == dim);
        var read = sums.Select(name => Array.Find(Sums, s => s.Name == name) is { Name: not null } s ? s : throw new ArgumentException($"no rollup sum '{name}'", nameof(sums))).ToArray();
        var parameters = new List<DuckDBParameter>();
        var (where, endpoints) = WholeUnits.Split(filter, grain.Ticks, "r_", parameters);
        var table = TableOf(dim, grain);
        var columns = string.Concat(read.Select(s => $", {s.Column} AS {s.Name}"));
        var aggregates = string.Concat(read.Select(s => $", {s.Aggregate}"));
        // A partial unit at either end, aggregated from the raw rows; two ranges rather than one OR, so that
        // DuckDB reads only the row groups at the ends (r_from and r_to are whole units, so whole microseconds).
        // An end that falls on a unit's start has none, and is left out of the query rather than planned for nothing.
        var (before, after) = WholeUnits.PartialEnds(filter, grain.Ticks);
        var edges = string.Concat(before ? Edge("<", "$r_from") : "", after ? Edge(">=", "$r_to") : "");
        var sql = $"""
            r AS (
                SELECT {grain.Column} AS unit, endpoint_kind, key{columns} FROM {table} WHERE {grain.Column} >= $r_from AND {grain.Column} < $r_to AND {endpoints.Replace("endpoint_kind", table + ".endpoint_kind", StringComparison.Ordinal)}{edges})
            """;
        string Edge(string comparison, string bound) => $"""

                UNION ALL
                SELECT * FROM (SELECT {UnitStart(grain)} AS unit, coalesce(endpoint_kind, 'other') AS endpoint_kind, {key} AS key{aggregates}
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
