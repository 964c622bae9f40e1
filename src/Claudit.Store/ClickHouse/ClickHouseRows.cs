using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// A record as a <c>JSONEachRow</c> line of the <c>calls</c> table (deploy/clickhouse/001-calls.sql): the
/// columns queries read, derived here from the record's own rules (the billed model, the billed cache-write
/// split, the session key) as the DuckDB engine's <c>CallRows</c> does, and the record itself as its JSON line.
/// </summary>
internal static class ClickHouseRows
{
    /// <summary>Appends one line per record to <paramref name="buffer"/>.</summary>
    public static void Write(ArrayBufferWriter<byte> buffer, IEnumerable<CallRecord> records)
    {
        var line = new ArrayBufferWriter<byte>(2048);
        using var w = new Utf8JsonWriter(buffer);
        using var inner = new Utf8JsonWriter(line);
        foreach (var r in records)
        {
            line.ResetWrittenCount();
            inner.Reset(line);
            CallRecordJsonWriter.Write(inner, r);
            inner.Flush();

            w.Reset(buffer);
            WriteRow(w, r, line.WrittenSpan);
            w.Flush();
            buffer.Write("\n"u8);
        }
    }

    private static void WriteRow(Utf8JsonWriter w, CallRecord r, ReadOnlySpan<byte> json)
    {
        var u = r.Usage;
        var c = r.Cost;
        var t = r.Tags;
        w.WriteStartObject();
        w.WriteString("id"u8, r.Id);
        w.WriteString("start_time"u8, r.StartTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteNumber("ticks"u8, ClickHouseSql.ToTicks(r.StartTime));
        w.WriteString("source"u8, EnumNames.Of(r.Source));
        w.WriteString("endpoint"u8, r.Endpoint);
        w.WriteString("endpoint_kind"u8, r.EndpointKind);
        w.WriteNumber("streaming"u8, r.Streaming ? 1 : 0);
        Str(w, "model_requested"u8, r.ModelRequested);
        Str(w, "model_used"u8, r.ModelUsed);
        Str(w, "priced_model"u8, r.PricedModel);
        w.WriteString("status"u8, EnumNames.Of(r.Status));
        Num(w, "http_status"u8, r.HttpStatus);
        Str(w, "error_type"u8, r.Error?.Type);
        Str(w, "error_message"u8, r.Error?.Message);
        Str(w, "error_origin"u8, r.Error is { } e ? EnumNames.Of(e.Origin) : null);
        Str(w, "stop_reason"u8, r.StopReason);
        Num(w, "max_tokens"u8, r.MaxTokens);
        Num(w, "input_tokens"u8, u?.InputTokens);
        Num(w, "output_tokens"u8, u?.OutputTokens);
        Num(w, "cache_creation_tokens"u8, u?.CacheCreationInputTokens);
        Num(w, "cache_read_tokens"u8, u?.CacheReadInputTokens);
        Num(w, "thinking_tokens"u8, u?.ThinkingTokens);
        Num(w, "cache_write_5m_billed"u8, u?.EffectiveCacheWrite5m);
        Num(w, "cache_write_1h_billed"u8, u?.EffectiveCacheWrite1h);
        Num(w, "web_search_requests"u8, u?.WebSearchRequests);
        Num(w, "web_fetch_requests"u8, u?.WebFetchRequests);
        Str(w, "service_tier"u8, u?.ServiceTier);
        Str(w, "inference_geo"u8, u?.InferenceGeo);
        Str(w, "speed"u8, u?.Speed);
        Num(w, "cost_priced"u8, c is null ? null : c.Priced ? 1 : 0);
        Money(w, "cost_usd"u8, c?.TotalUsd);
        Money(w, "cost_input_usd"u8, c?.InputUsd);
        Money(w, "cost_cache_write_5m_usd"u8, c?.CacheWrite5mUsd);
        Money(w, "cost_cache_write_1h_usd"u8, c?.CacheWrite1hUsd);
        Money(w, "cost_cache_read_usd"u8, c?.CacheReadUsd);
        Money(w, "cost_output_usd"u8, c?.OutputUsd);
        Money(w, "cost_web_search_usd"u8, c?.WebSearchUsd);
        Str(w, "price_table_version"u8, c?.PriceTableVersion);
        w.WriteNumber("latency_ms"u8, Finite(r.LatencyMs));
        Dbl(w, "ttft_ms"u8, r.TtftMs);
        Dbl(w, "output_tokens_per_second"u8, r.OutputTokensPerSecond);
        Str(w, "request_id"u8, r.RequestId);
        Str(w, "tag_user"u8, t.User);
        Str(w, "tag_tenant"u8, t.Tenant);
        Str(w, "tag_feature"u8, t.Feature);
        Str(w, "session_key"u8, t.SessionKey);
        Str(w, "parent_id"u8, t.ParentId);
        Num(w, "attempt"u8, t.Attempt);
        Str(w, "trace_id"u8, t.TraceId);
        w.WriteStartArray("property_names"u8);
        foreach (var (name, _) in t.Properties ?? Empty)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
        w.WriteStartArray("property_values"u8);
        foreach (var (_, value) in t.Properties ?? Empty)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
        Str(w, "virtual_key"u8, Property(t, "virtual_key"));
        Str(w, "virtual_key_name"u8, Property(t, "virtual_key_name"));
        Str(w, "quality_flags"u8, r.QualityFlags.Count == 0 ? null : string.Join(',', r.QualityFlags));
        Dbl(w, "context_utilisation"u8, r.ContextUtilisation);
        Str(w, "tool_calls"u8, DuckDb.StoreJson.ToolCalls(r.ToolCalls));
        Str(w, "tool_names"u8, r.ToolCalls.Count == 0 ? null : string.Join(',', r.ToolCalls.Select(t => t.Name)));
        w.WriteNumber("tool_count"u8, r.ToolCalls.Count);
        Num(w, "tool_results"u8, r.ToolResults);
        Num(w, "tool_result_errors"u8, r.ToolResultErrors);
        Str(w, "batch_id"u8, r.Batch?.Id);
        Str(w, "batch_status"u8, r.Batch?.ProcessingStatus);
        Num(w, "batch_request_count"u8, r.Batch?.RequestCount);
        w.WriteString("record"u8, json);
        w.WriteEndObject();
    }

    private static readonly Dictionary<string, string> Empty = [];

    private static string? Property(CallTags tags, string name) =>
        tags.Properties is { } p && p.TryGetValue(name, out var value) ? value : null;

    private static void Str(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Num(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Dbl(Utf8JsonWriter w, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Money(Utf8JsonWriter w, ReadOnlySpan<byte> name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, decimal.Round(v, ClickHouseSql.MoneyScale));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
