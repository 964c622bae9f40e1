using Claudit.Core.Records;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The SQL vocabulary of the ClickHouse engine, the counterpart of the DuckDB engine's <c>StoreSql</c>: the
/// derived columns (stored at append from the record's rules, never re-derived in SQL), exact money, token
/// sums that cannot wrap, and the start time as ticks.
/// </summary>
internal static class ClickHouseSql
{
    /// <summary>Every column a query reads (all but <c>record</c>, the JSON line, which only record readers fetch).</summary>
    public const string Columns = """
        id, start_time, ticks, source, endpoint, endpoint_kind, streaming, model_requested, model_used, priced_model, status, http_status,
        error_type, error_message, error_origin, stop_reason, max_tokens, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens,
        thinking_tokens, cache_write_5m_billed, cache_write_1h_billed, web_search_requests, web_fetch_requests, service_tier, inference_geo, speed,
        cost_priced, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd,
        cost_web_search_usd, price_table_version, latency_ms, ttft_ms, output_tokens_per_second, request_id, tag_user, tag_tenant, tag_feature,
        session_key, parent_id, attempt, trace_id, property_names, property_values, virtual_key, virtual_key_name, quality_flags, context_utilisation, tool_calls, tool_names, tool_count, tool_results, tool_result_errors,
        batch_id, batch_status, batch_request_count
        """;

    public const string BilledModel = "priced_model";

    public const string SessionKey = "session_key";

    public const int MoneyScale = 24;

    /// <summary>Zero of the money type.</summary>
    public static string Zero => $"toDecimal128(0, {MoneyScale})";

    /// <summary>The UTC date of the start time, <c>YYYY-MM-DD</c>.</summary>
    public const string UtcDay = "toString(toDate(start_time))";

    /// <summary>A call to an endpoint Anthropic does not bill (Core's <c>EndpointKinds.Free</c>).</summary>
    public static string FreeEndpoint { get; } = $"endpoint_kind IN ({string.Join(", ", EndpointKinds.Free.Select(ClickHouseText.Literal))})";

    /// <summary>
    /// A token sum as an Int64 that cannot wrap: ClickHouse sums Int64 modulo 2^64, so the sum is taken as a
    /// 38-digit decimal and saturated at the Int64 range, as the DuckDB engine saturates its HUGEINT sums.
    /// </summary>
    public static string SumTokens(string column) =>
        $"toInt64(least(greatest(ifNull(sum(toDecimal128({column}, 0)), toDecimal128(0, 0)), toDecimal128('{long.MinValue}', 0)), toDecimal128('{long.MaxValue}', 0)))";

    /// <summary>A recorded or recomputed money sum over the priced rows, as exact text.</summary>
    public static string SumMoney(string column, string condition = "priced") => $"toString(ifNull(sumIf({column}, {condition}), {Zero}))";

    public static long ToTicks(DateTimeOffset time) => time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    public static DateTimeOffset FromTicks(long ticksSinceEpoch) => DateTimeOffset.UnixEpoch.AddTicks(ticksSinceEpoch);

    public static DateTimeOffset? FromTicks(string? field) => field is null ? null : FromTicks(ClickHouseText.Long(field));
}
