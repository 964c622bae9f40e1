using System.Globalization;
using System.Text;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The relation every report and dashboard query reads, <c>c</c>: the calls a filter selects, each with
/// its cost split by token class (<c>k_total</c>, <c>k_input</c>, <c>k_5m</c>, <c>k_1h</c>, <c>k_read</c>,
/// <c>k_output</c>, <c>k_web</c>), whether it is priced (<c>priced</c>) and whether it has usage
/// (<c>has_usage</c>). Recorded cost is the record's own cost columns (a free endpoint's call was recorded at $0). Recomputed cost comes from the one
/// pricing engine: the distinct (billed model, service tier, geo, speed, long-context tier) combinations
/// in range are priced in C# with <see cref="CostCalculator.TryGetRates"/>, handed to SQL as an exact
/// DECIMAL rates table and joined, so each call's cost is its billed tokens times the same rates,
/// summed without rounding; a call to a free endpoint (<c>EndpointKinds.Free</c>) costs exactly zero, as the engine prices it.
/// </summary>
internal sealed class CostRelation
{
    /// <summary>
    /// Stands for NULL in the rates join's keys, so that every key is an equality and DuckDB hash-joins
    /// (IS NOT DISTINCT FROM would make it compare every call with every rate).
    /// </summary>
    private const string NoValue = "chr(0)";

    private CostRelation(string sql, List<DuckDBParameter> parameters)
    {
        Sql = sql;
        Parameters = parameters;
    }

    /// <summary><c>c AS (…)</c>, preceded by the rates it joins when recomputed.</summary>
    public string Sql { get; }

    public List<DuckDBParameter> Parameters { get; }

    /// <summary>
    /// The relation for <paramref name="filter"/>, extra conditions on <c>calls</c> appended with the parameters
    /// they name (bound before re-pricing reads the rates of the rows they select); recorded cost unless
    /// <paramref name="pricing"/> re-prices.
    /// </summary>
    public static CostRelation For(DuckDBConnection connection, RecordFilter filter, CostCalculator? pricing, string extraConditions = "", IEnumerable<DuckDBParameter>? extraParameters = null)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters) + extraConditions;
        parameters.AddRange(extraParameters ?? []);
        return pricing is null ? Recorded(where, parameters) : Recomputed(connection, where, parameters, pricing);
    }

    public static CostRelation For(DuckDBConnection connection, RecordFilter filter, CostBasis cost, string extraConditions = "", IEnumerable<DuckDBParameter>? extraParameters = null) =>
        For(connection, filter, cost.Pricing, extraConditions, extraParameters);

    /// <summary>A query over <c>c</c>.</summary>
    public string With(string select) => $"WITH {Sql}\n{select}";

    public DuckDBCommand Command(DuckDBConnection connection, string select) => StoreSql.Command(connection, With(select), Parameters);

    private static CostRelation Recorded(string where, List<DuckDBParameter> parameters) => new($"""
        c AS (
            SELECT *, input_tokens IS NOT NULL AS has_usage, coalesce(cost_priced, false) AS priced,
                coalesce(cost_usd, 0) AS k_total, coalesce(cost_input_usd, 0) AS k_input, coalesce(cost_cache_write_5m_usd, 0) AS k_5m,
                coalesce(cost_cache_write_1h_usd, 0) AS k_1h, coalesce(cost_cache_read_usd, 0) AS k_read, coalesce(cost_output_usd, 0) AS k_output,
                coalesce(cost_web_search_usd, 0) AS k_web
            FROM calls WHERE {where})
        """, parameters);

    /// <summary>
    /// A row priced only when its counts are within what a record may hold (<see cref="RecordValidator"/>):
    /// a product of an absurd count (a record stored before validation existed) and a rate would overflow
    /// the money type and fail the query; such a row is unpriced instead.
    /// </summary>
    private static string WithinBounds =>
        string.Join(" AND ", new[] { "input_tokens", "output_tokens", "cache_read_tokens", StoreSql.BilledWrite5m, StoreSql.BilledWrite1h }
            .Select(c => $"coalesce(calls.{c}, 0) BETWEEN 0 AND {RecordValidator.MaxTokens}")
            .Concat(new[] { "web_search_requests", "web_fetch_requests" }.Select(c => $"coalesce(calls.{c}, 0) BETWEEN 0 AND {RecordValidator.MaxServerToolRequests}")));

    private static CostRelation Recomputed(DuckDBConnection connection, string where, List<DuckDBParameter> filterParameters, CostCalculator pricing)
    {
        // Long-context tiers switch on the call's own total input: a call's tier is how many of the table's
        // thresholds its total exceeds; within one such bucket every model's rates are the same.
        var thresholds = pricing.Table.Models.SelectMany(m => m.Tiers).Select(t => t.AboveTotalInputTokens).Distinct().Order().ToArray();
        var bucket = thresholds.Length == 0
            ? "0"
            : "(" + string.Join(" + ", thresholds.Select(t => $"CAST({StoreSql.TotalInput} > {t} AS INTEGER)")) + ")";

        var combos = new List<(string Model, string? Tier, string? Geo, string? Speed, int Bucket)>();
        using (var command = StoreSql.Command(connection, $"SELECT DISTINCT {StoreSql.BilledModel}, service_tier, inference_geo, speed, {bucket} FROM calls WHERE ({where}) AND input_tokens IS NOT NULL AND {StoreSql.BilledModel} IS NOT NULL", filterParameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                combos.Add((reader.GetString(0), StoreSql.Str(reader, 1), StoreSql.Str(reader, 2), StoreSql.Str(reader, 3), reader.GetInt32(4)));
            }
        }

        // The rates table: a typed first row that matches nothing, then one row per priced combination.
        var rates = new StringBuilder($"(NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, -1, {string.Join(", ", Enumerable.Repeat($"NULL::{StoreSql.Money}", 7))})");
        var parameters = new List<DuckDBParameter>(filterParameters);
        var n = 0;
        foreach (var (model, tier, geo, speed, b) in combos)
        {
            var representativeTotal = b == 0 ? 0 : thresholds[b - 1] + 1;
            if (!pricing.TryGetRates(model, tier, geo, speed, representativeTotal, out var r))
            {
                continue;
            }

            rates.Append(CultureInfo.InvariantCulture, $",\n($m{n}, coalesce($t{n}, {NoValue}), coalesce($g{n}, {NoValue}), coalesce($s{n}, {NoValue}), {b}, {StoreSql.MoneyLiteral(r.Input)}, {StoreSql.MoneyLiteral(r.CacheWrite5m)}, {StoreSql.MoneyLiteral(r.CacheWrite1h)}, {StoreSql.MoneyLiteral(r.CacheRead)}, {StoreSql.MoneyLiteral(r.Output)}, {StoreSql.MoneyLiteral(r.WebSearchRequest)}, {StoreSql.MoneyLiteral(r.WebFetchRequest)})");
            parameters.Add(new DuckDBParameter($"m{n}", model));
            parameters.Add(new DuckDBParameter($"t{n}", tier));
            parameters.Add(new DuckDBParameter($"g{n}", geo));
            parameters.Add(new DuckDBParameter($"s{n}", speed));
            n++;
        }

        return new($"""
            rates(pm, tier, geo, spd, bucket, r_input, r_5m, r_1h, r_read, r_output, r_search, r_fetch) AS (VALUES {rates}),
            c AS (
                SELECT calls.*, input_tokens IS NOT NULL AS has_usage, {StoreSql.FreeEndpoint} AS free, free OR rates.pm IS NOT NULL AS priced,
                    CASE WHEN free THEN 0 ELSE input_tokens * r_input END AS k_input,
                    CASE WHEN free THEN 0 ELSE {StoreSql.BilledWrite5m} * r_5m END AS k_5m,
                    CASE WHEN free THEN 0 ELSE {StoreSql.BilledWrite1h} * r_1h END AS k_1h,
                    CASE WHEN free THEN 0 ELSE cache_read_tokens * r_read END AS k_read,
                    CASE WHEN free THEN 0 ELSE output_tokens * r_output END AS k_output,
                    CASE WHEN free THEN 0 ELSE web_search_requests * r_search + web_fetch_requests * r_fetch END AS k_web,
                    k_input + k_5m + k_1h + k_read + k_output + k_web AS k_total
                FROM calls LEFT JOIN rates ON rates.pm = calls.{StoreSql.BilledModel} AND rates.tier = coalesce(calls.service_tier, {NoValue})
                    AND rates.geo = coalesce(calls.inference_geo, {NoValue}) AND rates.spd = coalesce(calls.speed, {NoValue})
                    AND rates.bucket = {bucket} AND {WithinBounds}
                WHERE {where})
            """, parameters);
    }
}
