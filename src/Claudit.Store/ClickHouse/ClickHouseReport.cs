using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using static Claudit.Store.ClickHouse.ClickHouseSql;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The <see cref="Report"/> <see cref="ReportAccumulator"/> builds, from ClickHouse aggregates over the cost
/// relation (<see cref="ClickHouseCost"/>); query for query the DuckDB engine's <c>SqlReport</c>, so both
/// engines answer alike (ClickHouseParityTests compares them). Percentiles are exact: each set is sorted
/// (<c>arraySort(groupArray(…))</c>) and the two neighbours of each rank are interpolated in C# by
/// <see cref="Percentiles"/>' formula, not by ClickHouse's approximate quantiles.
/// </summary>
internal sealed class ClickHouseReport(ClickHouseHttp http, ReportOptions options, CostCalculator pricing)
{
    private static readonly double[] Summary3 = [0.50, 0.95, 0.99];
    private static readonly double[] Summary2 = [0.50, 0.95];

    private string _c = "";
    private CancellationToken _cancel;

    private CostCalculator? Pricing => options.CostMode == CostMode.Recorded ? null : pricing;

    public async Task<Report> RunAsync(CancellationToken cancellationToken)
    {
        _cancel = cancellationToken;
        _c = await ClickHouseCost.ForAsync(http, options.Filter, Pricing, cancellationToken).ConfigureAwait(false);

        var totals = await TotalsAsync().ConfigureAwait(false);
        var errorsByType = await CountsAsync($"SELECT ifNull(error_type, '{ErrorTypes.HttpError}') AS k, count() FROM {_c} WHERE status = 'error' GROUP BY k").ConfigureAwait(false);
        var stopReasons = await CountsAsync($"SELECT stop_reason, count() FROM {_c} WHERE isNotNull(stop_reason) GROUP BY stop_reason").ConfigureAwait(false);
        var retries = (await CountsAsync($"SELECT 'retries', count() FROM {_c} WHERE isNotNull(parent_id)").ConfigureAwait(false)).Sum(r => r.Count);
        var unpricedModels = await CountsAsync($"SELECT ifNull({BilledModel}, '(no model)') AS k, count() FROM {_c} WHERE NOT priced AND has_usage GROUP BY k").ConfigureAwait(false);
        return ReportAssembly.Assemble(options, pricing, totals, errorsByType, stopReasons, unpricedModels, retries, await GroupsAsync().ConfigureAwait(false),
            await TopCallsAsync().ConfigureAwait(false), await RecentErrorsAsync().ConfigureAwait(false), await OtherEndpointsAsync().ConfigureAwait(false),
            await BatchGapsAsync().ConfigureAwait(false));
    }

    private Task<string> AllEndpointsAsync() =>
        ClickHouseCost.ForAsync(http, options.Filter with { Endpoint = EndpointScope.All }, Pricing, _cancel);

    private async Task<EndpointRow[]> OtherEndpointsAsync()
    {
        if (options.Filter.Endpoint == EndpointScope.All)
        {
            return [];
        }

        var scope = options.Filter.EndpointKindsSelected;
        var c = await AllEndpointsAsync().ConfigureAwait(false);
        var rows = await http.RowsAsync($"""
            SELECT endpoint_kind, count() AS n, countIf(status = 'error'), {SumMoney("k_total")}, {Neighbours("latency_ms", Summary2)}
            FROM {c} WHERE endpoint_kind NOT IN ({string.Join(", ", scope.Select(Literal))}) GROUP BY endpoint_kind
            """, _cancel).ConfigureAwait(false);
        return [.. rows
            .Select(d =>
            {
                var calls = Long(d[1]);
                var q = Percentiles(d, 4, calls, Summary2);
                return new EndpointRow(d[0]!, calls, Long(d[2]), Money(d[3]), q[0], q[1]);
            })
            .OrderBy(r => EndpointKinds.All.ToList().IndexOf(r.Endpoint))];
    }

    /// <summary>Batches a call showed ended (in the filter) with no result record at all: <see cref="ReportAccumulator"/>'s rule.</summary>
    private async Task<BatchGap[]> BatchGapsAsync()
    {
        var c = await AllEndpointsAsync().ConfigureAwait(false);
        var rows = await http.RowsAsync($"""
            SELECT assumeNotNull(batch_id) AS b, max(batch_request_count), max(ticks) FROM {c}
            WHERE batch_status = 'ended' AND isNotNull(batch_id) AND assumeNotNull(batch_id) NOT IN (
                SELECT assumeNotNull(batch_id) FROM calls WHERE endpoint_kind = '{EndpointKinds.BatchResult}' AND isNotNull(batch_id))
            GROUP BY b ORDER BY b
            """, _cancel).ConfigureAwait(false);
        return [.. rows.Select(d => new BatchGap(d[0]!, NullableLong(d[1]), FromTicks(Long(d[2]))))];
    }

    private async Task<ReportTotals> TotalsAsync()
    {
        var d = (await http.RowsAsync($"""
            SELECT count() AS n, countIf(status = 'error'), countIf(priced), countIf(NOT priced AND has_usage),
                countIf(NOT has_usage AND status != 'error' AND NOT priced),
                {SumTokens("input_tokens")}, {SumTokens("output_tokens")}, {SumTokens("cache_creation_tokens")}, {SumTokens("cache_read_tokens")},
                {SumTokens("thinking_tokens")},
                {string.Join(", ", new[] { "k_total", "k_input", "k_5m", "k_1h", "k_read", "k_output", "k_web" }.Select(k => SumMoney(k)))},
                min(ticks), max(ticks), max(latency_ms), count(ttft_ms), ifNull(max(ttft_ms), 0),
                {Neighbours("latency_ms", Summary3)}, {Neighbours("ttft_ms", Summary3)},
                arrayStringConcat(arraySort(groupUniqArrayIf(assumeNotNull(price_table_version), priced AND isNotNull(price_table_version))), ',')
            FROM {_c}
            """, _cancel).ConfigureAwait(false))[0];
        var calls = Long(d[0]);
        var ttftCount = Long(d[20]);
        return new ReportTotals(calls, Long(d[1]), Long(d[2]), Long(d[3]), Long(d[4]), Long(d[5]), Long(d[6]), Long(d[7]), Long(d[8]), Long(d[9]),
            [.. Enumerable.Range(10, 7).Select(i => Money(d[i]))],
            calls == 0 ? null : FromTicks(Long(d[17])), calls == 0 ? null : FromTicks(Long(d[18])),
            Summary(calls, Double(d[19]), Percentiles(d, 22, calls, Summary3)),
            Summary(ttftCount, Double(d[21]), Percentiles(d, 28, ttftCount, Summary3)),
            string.IsNullOrEmpty(d[34]) ? null : d[34]);
    }

    private static PercentileSummary Summary(long count, double max, double?[] p) =>
        count == 0 ? PercentileSummary.Empty : new PercentileSummary(count, p[0], p[1], p[2], max);

    private static string Neighbours(string column, double[] ps) => ExactPercentiles.Neighbours(column, ps);

    private static double?[] Percentiles(string?[] d, int at, long count, double[] ps) => ExactPercentiles.Interpolate(d, at, count, ps);

    private async Task<List<(string Key, long Count)>> CountsAsync(string sql) =>
        [.. (await http.RowsAsync(sql, _cancel).ConfigureAwait(false)).Select(d => (d[0]!, Long(d[1])))];

    private async Task<GroupRow[]> GroupsAsync()
    {
        var key = options.GroupBy switch
        {
            GroupBy.Model => BilledModel,
            GroupBy.Feature => "tag_feature",
            GroupBy.User => "tag_user",
            GroupBy.Tenant => "tag_tenant",
            GroupBy.Session => SessionKey,
            GroupBy.Day => UtcDay,
            GroupBy.Endpoint => "endpoint_kind",
            _ => "CAST(NULL AS Nullable(String))",
        };
        var rows = await http.RowsAsync($"""
            SELECT ifNull({key}, '(none)') AS k, count() AS n, countIf(status = 'error'), {SumMoney("k_total")},
                {SumTokens("input_tokens")}, {SumTokens("output_tokens")}, {SumTokens("cache_creation_tokens")}, {SumTokens("cache_read_tokens")},
                {Neighbours("latency_ms", Summary2)}
            FROM {_c} GROUP BY k
            """, _cancel).ConfigureAwait(false);
        var groups = rows.Select(d =>
        {
            var calls = Long(d[1]);
            var errors = Long(d[2]);
            var q = Percentiles(d, 8, calls, Summary2);
            return new GroupRow(d[0]!, calls, errors, ReportAssembly.Rate(errors, calls), Money(d[3]), Long(d[4]), Long(d[5]), Long(d[6]), Long(d[7]), q[0], q[1]);
        });

        // The accumulator's order: by date for days, else by cost, calls, then key.
        var byDay = options.GroupBy == GroupBy.Day;
        return [.. groups
            .OrderBy(g => byDay ? g.Key : null, StringComparer.Ordinal)
            .ThenByDescending(g => g.CostUsd)
            .ThenByDescending(g => g.Calls)
            .ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    private async Task<CallSummary[]> TopCallsAsync()
    {
        if (options.TopN <= 0)
        {
            return [];
        }

        // Ties broken by the id's text, which orders as .NET orders Guids (ClickHouse orders UUIDs by their halves).
        var rows = await http.RowsAsync($"""
            SELECT id, ticks, {BilledModel}, toString(k_total), ifNull(input_tokens, 0), ifNull(output_tokens, 0),
                ifNull(cache_creation_tokens, 0), ifNull(cache_read_tokens, 0), request_id, tag_feature, tag_user
            FROM {_c} WHERE priced ORDER BY k_total DESC, toString(id) LIMIT {options.TopN}
            """, _cancel).ConfigureAwait(false);
        return [.. rows.Select(d => new CallSummary(Guid.Parse(d[0]!), FromTicks(Long(d[1])), d[2], Money(d[3]), Long(d[4]), Long(d[5]),
            Long(d[6]), Long(d[7]), d[8], d[9], d[10]))];
    }

    private async Task<ErrorSummary[]> RecentErrorsAsync()
    {
        if (options.RecentErrors <= 0)
        {
            return [];
        }

        var rows = await http.RowsAsync($"""
            SELECT id, ticks, {BilledModel}, ifNull(error_type, '{ErrorTypes.HttpError}'), error_message, http_status, request_id
            FROM {_c} WHERE status = 'error' ORDER BY ticks DESC, toString(id) LIMIT {options.RecentErrors}
            """, _cancel).ConfigureAwait(false);
        return [.. rows.Select(d => new ErrorSummary(Guid.Parse(d[0]!), FromTicks(Long(d[1])), d[2], d[3]!, d[4], NullableInt(d[5]), d[6]))];
    }

}
