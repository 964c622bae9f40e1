using System.Globalization;
using System.Text;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The relation every report query reads, <c>c</c>, as the DuckDB engine's <c>CostRelation</c> defines it:
/// the calls a filter selects, each with <c>has_usage</c>, <c>priced</c> and its cost by token class
/// (<c>k_total</c>, <c>k_input</c>, <c>k_5m</c>, <c>k_1h</c>, <c>k_read</c>, <c>k_output</c>, <c>k_web</c>).
/// Recorded: the record's own cost columns. Recomputed: the distinct (billed model, tier, geo, speed,
/// long-context bucket) combinations in range are priced in C# by <see cref="CostCalculator.TryGetRates"/>
/// and each row picks its rates by the index of its combination (ClickHouse 18.16 joins only on USING, so
/// the rates are arrays, not a joined table); each cost is its tokens times the same exact rates.
/// </summary>
internal static class ClickHouseCost
{
    /// <summary>The relation as a subquery <c>(SELECT …) AS c</c>.</summary>
    public static async Task<string> ForAsync(ClickHouseHttp http, RecordFilter filter, CostCalculator? pricing, CancellationToken cancellationToken)
    {
        var where = ClickHouseFilter.Where(filter);
        return pricing is null ? Recorded(where) : await RecomputedAsync(http, where, pricing, cancellationToken).ConfigureAwait(false);
    }

    private static string Recorded(string where)
    {
        var z = ClickHouseSql.Zero;
        return $"""
            (SELECT {ClickHouseSql.Columns}, isNotNull(input_tokens) AS has_usage, ifNull(cost_priced, 0) = 1 AS priced,
                ifNull(cost_usd, {z}) AS k_total, ifNull(cost_input_usd, {z}) AS k_input, ifNull(cost_cache_write_5m_usd, {z}) AS k_5m,
                ifNull(cost_cache_write_1h_usd, {z}) AS k_1h, ifNull(cost_cache_read_usd, {z}) AS k_read, ifNull(cost_output_usd, {z}) AS k_output,
                ifNull(cost_web_search_usd, {z}) AS k_web
            FROM calls WHERE {where}) AS c
            """;
    }

    /// <summary>A row priced only when its counts are within what a record may hold (<see cref="RecordValidator"/>), as in the DuckDB engine.</summary>
    private static string WithinBounds =>
        string.Join(" AND ", new[] { "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_billed", "cache_write_1h_billed" }
            .Select(c => $"ifNull({c}, 0) BETWEEN 0 AND {RecordValidator.MaxTokens}")
            .Concat(new[] { "web_search_requests", "web_fetch_requests" }.Select(c => $"ifNull({c}, 0) BETWEEN 0 AND {RecordValidator.MaxServerToolRequests}")));

    private static async Task<string> RecomputedAsync(ClickHouseHttp http, string where, CostCalculator pricing, CancellationToken cancellationToken)
    {
        var thresholds = pricing.Table.Models.SelectMany(m => m.Tiers).Select(t => t.AboveTotalInputTokens).Distinct().Order().ToArray();
        const string TotalInput = "(toDecimal128(input_tokens, 0) + ifNull(cache_creation_tokens, 0) + ifNull(cache_read_tokens, 0))";
        var bucket = thresholds.Length == 0
            ? "0"
            : "(" + string.Join(" + ", thresholds.Select(t => $"toInt32({TotalInput} > {t.ToString(CultureInfo.InvariantCulture)})")) + ")";

        var combos = await http.RowsAsync(
            $"SELECT DISTINCT {ClickHouseSql.BilledModel}, service_tier, inference_geo, speed, {bucket} FROM calls WHERE ({where}) AND isNotNull(input_tokens) AND isNotNull({ClickHouseSql.BilledModel})",
            cancellationToken).ConfigureAwait(false);

        var conditions = new StringBuilder();
        var rates = new List<decimal>[7];
        for (var i = 0; i < rates.Length; i++)
        {
            rates[i] = [0m];
        }

        var n = 0;
        foreach (var combo in combos)
        {
            var b = int.Parse(combo[4]!, CultureInfo.InvariantCulture);
            if (!pricing.TryGetRates(combo[0]!, combo[1], combo[2], combo[3], b == 0 ? 0 : thresholds[b - 1] + 1, out var r))
            {
                continue;
            }

            n++;
            conditions.Append(CultureInfo.InvariantCulture, $"{Same(ClickHouseSql.BilledModel, combo[0])} AND {Same("service_tier", combo[1])} AND {Same("inference_geo", combo[2])} AND {Same("speed", combo[3])} AND {bucket} = {b}, {n}, ");
            decimal[] values = [r.Input, r.CacheWrite5m, r.CacheWrite1h, r.CacheRead, r.Output, r.WebSearchRequest, r.WebFetchRequest];
            for (var i = 0; i < values.Length; i++)
            {
                rates[i].Add(values[i]);
            }
        }

        var comboIndex = n == 0 ? "0" : $"if({WithinBounds}, multiIf({conditions}0), 0)";
        string Rate(int i) => $"[{string.Join(", ", rates[i].Select(MoneyLiteral))}][combo + 1]";
        var z = ClickHouseSql.Zero;
        return $"""
            (SELECT {ClickHouseSql.Columns}, isNotNull(input_tokens) AS has_usage, {ClickHouseSql.FreeEndpoint} AS free, {comboIndex} AS combo,
                free OR combo > 0 AS priced,
                if(free, {z}, input_tokens * {Rate(0)}) AS k_input,
                if(free, {z}, cache_write_5m_billed * {Rate(1)}) AS k_5m,
                if(free, {z}, cache_write_1h_billed * {Rate(2)}) AS k_1h,
                if(free, {z}, cache_read_tokens * {Rate(3)}) AS k_read,
                if(free, {z}, output_tokens * {Rate(4)}) AS k_output,
                if(free, {z}, web_search_requests * {Rate(5)} + web_fetch_requests * {Rate(6)}) AS k_web,
                k_input + k_5m + k_1h + k_read + k_output + k_web AS k_total
            FROM calls WHERE {where}) AS c
            """;
    }

    /// <summary>A nullable column equal to a value or both null: every comparison is an equality.</summary>
    private static string Same(string column, string? value) =>
        value is null ? $"isNull({column})" : $"ifNull({column} = {Literal(value)}, 0)";
}
