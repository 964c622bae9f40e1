using Claudit.Core.Anthropic;
using Claudit.Core.Reporting;
using static Claudit.Store.ClickHouse.ClickHouseSql;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The per-minute sums of <c>call_rollup</c> (deploy/clickhouse/004-call-rollup.sql), the ClickHouse counterpart of
/// the DuckDB engine's <c>RollupSql</c>. One SELECT (<see cref="Select"/>) defines a rollup row from calls: the
/// materialized view <c>call_rollup_feed</c> runs it over each block inserted into <c>calls</c>, the backfill over
/// the calls stored before the table existed, and <see cref="Rolled.Relation"/> over the partial minutes at the
/// ends of a range, so a sum over the relation is exactly the same aggregate over the raw rows.
/// <para>
/// Replays add nothing: the store inserts only the ids it does not hold (<see cref="ClickHouseCallStore"/>), so
/// a replayed batch inserts no row and the view sees none. What the view cannot see — two writers racing on one
/// id (collapsed later by the calls' ReplacingMergeTree, not by the sums), a backfill that raced a writer — is
/// caught before the rollup is used: its call count over the range's whole minutes must equal the raw count,
/// else the query reads the raw rows (<see cref="ForAsync"/>).
/// </para>
/// </summary>
internal static class ClickHouseRollup
{
    /// <summary>The schema version whose script creates <c>call_rollup</c>; the feed is created once it is applied.</summary>
    public const int SchemaVersion = 4;

    private const long MinuteTicks = TimeSpan.TicksPerMinute;

    private const string Priced = "ifNull(cost_priced, 0) = 1";

    /// <summary>What <c>key</c> holds for each <c>dim</c>, as the raw queries group by it.</summary>
    private static readonly (string Dim, string Key)[] Dimensions =
    [
        ("all", "''"),
        ("model", $"ifNull({BilledModel}, '(none)')"),
        ("feature", "ifNull(tag_feature, '(none)')"),
        ("tenant", "ifNull(tag_tenant, '(none)')"),
        ("error_type", $"if(status = 'error', ifNull(error_type, '{ErrorTypes.HttpError}'), '')"),
        ("price_table", "ifNull(price_table_version, '(none)')"),
    ];

    /// <summary>The sums of a rollup row, in the table's column order, as the raw queries aggregate each.</summary>
    private static readonly (string Column, string Aggregate)[] Sums =
    [
        ("n_calls", "count()"),
        ("n_errors", "countIf(status = 'error')"),
        ("n_retries", "countIf(isNotNull(parent_id))"),
        ("n_priced", $"countIf({Priced})"),
        ("n_unpriced_with_usage", $"countIf(NOT ({Priced}) AND isNotNull(input_tokens))"),
        ("n_billable", "countIf(isNotNull(input_tokens) OR status != 'error')"),
        ("n_ttfts", "countIf(isNotNull(ttft_ms))"),
        ("usd_total", Usd("cost_usd")),
        ("usd_input", Usd("cost_input_usd")),
        ("usd_5m", Usd("cost_cache_write_5m_usd")),
        ("usd_1h", Usd("cost_cache_write_1h_usd")),
        ("usd_read", Usd("cost_cache_read_usd")),
        ("usd_output", Usd("cost_output_usd")),
        ("usd_web", Usd("cost_web_search_usd")),
        ("tok_input", Tokens("input_tokens")),
        ("tok_output", Tokens("output_tokens")),
        ("tok_read", Tokens("cache_read_tokens")),
        ("tok_total_input", Tokens("toDecimal128(input_tokens, 0) + ifNull(cache_creation_tokens, 0) + ifNull(cache_read_tokens, 0)")),
    ];

    /// <summary>The columns a reader of <see cref="Rolled.Relation"/> sees.</summary>
    private static readonly string Columns = "minute, endpoint_kind, key, " + string.Join(", ", Sums.Select(s => s.Column));

    /// <summary>The cost of the priced calls, as the cost relation's <c>sumIf(k_total, priced)</c> (a null cost adds nothing).</summary>
    private static string Usd(string column) => $"ifNull(sumIf({column}, {Priced}), {Zero})";

    /// <summary>A token sum as a 38-digit decimal, which cannot wrap.</summary>
    private static string Tokens(string expression) => $"ifNull(sum(toDecimal128({expression}, 0)), toDecimal128(0, 0))";

    /// <summary>The rollup rows of the calls matching <paramref name="where"/> for <paramref name="dims"/>, in <c>call_rollup</c>'s column order.</summary>
    private static string Select(IEnumerable<(string Dim, string Key)> dims, string where) => $"""
        SELECT toStartOfMinute(start_time) AS minute, endpoint_kind, d.1 AS dim, d.2 AS key, {string.Join(", ", Sums.Select(s => $"{s.Aggregate} AS {s.Column}"))}
        FROM calls ARRAY JOIN [{string.Join(", ", dims.Select(d => $"('{d.Dim}', {d.Key})"))}] AS d
        WHERE {where}
        GROUP BY minute, endpoint_kind, dim, key
        """;

    /// <summary>
    /// Creates the feed, then adds the calls stored before it — only into an empty rollup, so that a migration
    /// run again after failing half-way adds nothing twice. (Should a writer insert between the two, the backfill
    /// is skipped and the count check keeps the older ranges on the raw rows: see docs/scale-out.md.)
    /// </summary>
    public static async Task CreateFeedAsync(ClickHouseHttp http, CancellationToken ct)
    {
        await http.ExecuteAsync($"CREATE MATERIALIZED VIEW IF NOT EXISTS call_rollup_feed TO call_rollup AS {Select(Dimensions, "1")}", ct).ConfigureAwait(false);
        await http.ExecuteAsync(
            $"INSERT INTO call_rollup (minute, endpoint_kind, dim, key, {string.Join(", ", Sums.Select(s => s.Column))}) {Select(Dimensions, "(SELECT count() FROM call_rollup) = 0")}",
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the rollup can answer for <paramref name="filter"/>: it is keyed by time and endpoint kind only (each
    /// dimension apart) and holds the recorded cost, so a filter on a model, tag or tenant list, or a recomputed cost, needs the raw rows.
    /// </summary>
    public static bool Serves(RecordFilter filter, CostBasis cost) =>
        cost.Pricing is null && filter is { Since: not null, Until: not null, Model: null, Feature: null, User: null, Tenant: null, AllowedTenants: null };

    /// <summary>
    /// The range of <paramref name="filter"/> split into whole minutes (read from the rollup) and partial ones at
    /// its ends (from the raw rows); null when the rollup does not serve the filter, the range holds no whole
    /// minute, or the rollup's count over those minutes differs from the raw count.
    /// </summary>
    public static async Task<Rolled?> ForAsync(ClickHouseHttp http, RecordFilter filter, CostBasis cost, CancellationToken ct)
    {
        if (!Serves(filter, cost))
        {
            return null;
        }

        var from = (ToTicks(filter.Since!.Value) + MinuteTicks - 1) / MinuteTicks * MinuteTicks;
        var to = ToTicks(filter.Until!.Value) / MinuteTicks * MinuteTicks;
        if (from < 0 || to <= from)
        {
            return null;
        }

        var rolled = new Rolled(filter, from / TimeSpan.TicksPerSecond, to / TimeSpan.TicksPerSecond);
        var same = await http.ScalarAsync($"""
            SELECT (SELECT count() FROM calls WHERE start_time >= toDateTime({rolled.From}) AND start_time < toDateTime({rolled.To}))
                = (SELECT sum(n_calls) FROM call_rollup WHERE dim = 'all' AND minute >= toDateTime({rolled.From}) AND minute < toDateTime({rolled.To}))
            """, ct).ConfigureAwait(false);
        return same == "1" ? rolled : null;
    }

    /// <summary>A filter's range whose whole minutes, <see cref="From"/> to <see cref="To"/> (Unix seconds), the rollup holds exactly.</summary>
    internal sealed record Rolled(RecordFilter Filter, long From, long To)
    {
        /// <summary>The origin of a bucketing that the minutes can answer: the range's start when it is a whole minute.</summary>
        public bool StartsOnMinute => ToTicks(Filter.Since!.Value) % MinuteTicks == 0;

        /// <summary>The minute's start as ticks since the Unix epoch, for bucketing as the raw queries do by <c>ticks</c>.</summary>
        public const string MinuteTicksColumn = "toInt64(toUInt32(minute)) * 10000000";

        /// <summary>
        /// <c>(…) AS r</c>: one row per minute × endpoint kind × key of <paramref name="dim"/> with the sums, over the
        /// filter's range: whole minutes from the rollup, the partial minutes at either end from the raw rows.
        /// </summary>
        public string Relation(string dim)
        {
            var d = Dimensions.Single(x => x.Dim == dim);
            var endpoints = ClickHouseFilter.Where(RecordFilter.None with { Endpoint = Filter.Endpoint });
            var edges = $"{ClickHouseFilter.Where(Filter)} AND (start_time < toDateTime({From}) OR start_time >= toDateTime({To}))";
            return $"""
                (SELECT {Columns} FROM call_rollup
                    WHERE dim = {Literal(dim)} AND minute >= toDateTime({From}) AND minute < toDateTime({To}) AND {endpoints}
                UNION ALL
                SELECT {Columns} FROM ({Select([d], edges)})) AS r
                """;
        }
    }
}
