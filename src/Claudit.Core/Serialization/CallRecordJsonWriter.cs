using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Serialization;

/// <summary>
/// Writes a <see cref="CallRecord"/> as one JSON object (snake_case; null and empty fields omitted),
/// the public format of docs/record-format.md. Hand-written on <see cref="Utf8JsonWriter"/>: it runs
/// once per call on the capture path and allocates nothing of its own.
/// </summary>
public static class CallRecordJsonWriter
{
    public static void Write(Utf8JsonWriter w, CallRecord r) => Write(w, r, content: null);

    /// <summary>The record, with the call's captured content (redacted) as <c>content</c> when there is any: what <c>/api/calls/{id}</c> answers.</summary>
    internal static void Write(Utf8JsonWriter w, CallRecord r, CallContent? content)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, r.Id);
        w.WriteString("start_time"u8, r.StartTime.UtcDateTime);
        w.WriteString("source"u8, EnumNames.Of(r.Source));
        w.WriteString("endpoint"u8, r.Endpoint);
        w.WriteString("endpoint_kind"u8, r.EndpointKind);
        w.WriteBoolean("streaming"u8, r.Streaming);
        Opt(w, "model_requested"u8, r.ModelRequested);
        Opt(w, "model_used"u8, r.ModelUsed);
        w.WriteString("status"u8, EnumNames.Of(r.Status));
        if (r.HttpStatus is { } http) w.WriteNumber("http_status"u8, http);
        if (!r.Complete) w.WriteBoolean("complete"u8, false);
        Opt(w, "stop_reason"u8, r.StopReason);
        if (r.MaxTokens is { } mt) w.WriteNumber("max_tokens"u8, mt);
        if (r.Error is { } e) WriteError(w, e);
        if (r.Usage is { } u) WriteUsage(w, u);
        if (r.Cost is { } c) WriteCost(w, c);
        w.WriteNumber("latency_ms"u8, Math.Round(r.LatencyMs, 3));
        if (r.TtftMs is { } ttft) w.WriteNumber("ttft_ms"u8, Math.Round(ttft, 3));
        if (r.TtfbMs is { } ttfb) w.WriteNumber("ttfb_ms"u8, Math.Round(ttfb, 3));
        if (r.OutputTokensPerSecond is { } tps) w.WriteNumber("output_tokens_per_second"u8, Math.Round(tps, 2));
        Opt(w, "request_id"u8, r.RequestId);
        Opt(w, "message_id"u8, r.MessageId);
        Opt(w, "organization_id"u8, r.OrganizationId);
        if (r.RateLimits is { } rl) WriteRateLimits(w, rl);
        if (r.ToolCalls.Count > 0) WriteToolCalls(w, r.ToolCalls);
        if (r.ToolResults != 0) w.WriteNumber("tool_results"u8, r.ToolResults);
        if (r.ToolResultErrors != 0) w.WriteNumber("tool_result_errors"u8, r.ToolResultErrors);
        WriteTags(w, r.Tags);
        if (r.Batch is { } b) WriteBatch(w, b);
        Opt(w, "prompt_hash"u8, r.PromptHash);
        if (r.QualityFlags.Count > 0)
        {
            w.WriteStartArray("quality_flags"u8);
            foreach (var flag in r.QualityFlags)
            {
                w.WriteStringValue(flag);
            }

            w.WriteEndArray();
        }

        if (r.ContextUtilisation is { } cu) w.WriteNumber("context_utilisation"u8, Math.Round(cu, 4));
        if (content is not null)
        {
            w.WritePropertyName("content"u8);
            CallContentJson.Write(w, content);
        }

        w.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter w, CallError e)
    {
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, e.Type);
        // A safety net: whoever built the record should have scrubbed it already.
        Opt(w, "message"u8, SecretScrubber.Scrub(e.Message));
        w.WriteBoolean("retryable"u8, e.Retryable);
        w.WriteString("origin"u8, EnumNames.Of(e.Origin));
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, TokenUsage u)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, u.InputTokens);
        w.WriteNumber("output_tokens"u8, u.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, u.CacheCreationInputTokens);
        if (u.CacheCreationInputTokens != 0)
        {
            if (u.CacheCreation5mInputTokens is { } c5) w.WriteNumber("cache_creation_5m_input_tokens"u8, c5);
            if (u.CacheCreation1hInputTokens is { } c1) w.WriteNumber("cache_creation_1h_input_tokens"u8, c1);
        }

        w.WriteNumber("cache_read_input_tokens"u8, u.CacheReadInputTokens);
        if (u.ThinkingTokens is { } th) w.WriteNumber("thinking_tokens"u8, th);
        if (u.WebSearchRequests != 0) w.WriteNumber("web_search_requests"u8, u.WebSearchRequests);
        if (u.WebFetchRequests != 0) w.WriteNumber("web_fetch_requests"u8, u.WebFetchRequests);
        Opt(w, "service_tier"u8, u.ServiceTier);
        Opt(w, "inference_geo"u8, u.InferenceGeo);
        Opt(w, "speed"u8, u.Speed);
        w.WriteEndObject();
    }

    private static void WriteCost(Utf8JsonWriter w, CallCost c)
    {
        w.WriteStartObject("cost"u8);
        w.WriteBoolean("priced"u8, c.Priced);
        if (c.Priced)
        {
            w.WriteNumber("total_usd"u8, c.TotalUsd);
            w.WriteNumber("input_usd"u8, c.InputUsd);
            if (c.CacheWrite5mUsd != 0) w.WriteNumber("cache_write_5m_usd"u8, c.CacheWrite5mUsd);
            if (c.CacheWrite1hUsd != 0) w.WriteNumber("cache_write_1h_usd"u8, c.CacheWrite1hUsd);
            if (c.CacheReadUsd != 0) w.WriteNumber("cache_read_usd"u8, c.CacheReadUsd);
            w.WriteNumber("output_usd"u8, c.OutputUsd);
            if (c.WebSearchUsd != 0) w.WriteNumber("web_search_usd"u8, c.WebSearchUsd);
        }

        Opt(w, "price_table_version"u8, c.PriceTableVersion);
        Opt(w, "pricing_model"u8, c.PricingModel);
        Opt(w, "unpriced_reason"u8, c.UnpricedReason);
        w.WriteEndObject();
    }

    private static void WriteBatch(Utf8JsonWriter w, BatchCallInfo b)
    {
        w.WriteStartObject("batch"u8);
        w.WriteString("id"u8, b.Id);
        Opt(w, "custom_id"u8, b.CustomId);
        Opt(w, "result"u8, b.Result);
        Opt(w, "processing_status"u8, b.ProcessingStatus);
        Opt(w, "request_count"u8, b.RequestCount);
        w.WriteEndObject();
    }

    private static void WriteRateLimits(Utf8JsonWriter w, RateLimitSnapshot r)
    {
        w.WriteStartObject("rate_limits"u8);
        Opt(w, "requests_limit"u8, r.RequestsLimit);
        Opt(w, "requests_remaining"u8, r.RequestsRemaining);
        Opt(w, "requests_reset"u8, r.RequestsReset);
        Opt(w, "tokens_limit"u8, r.TokensLimit);
        Opt(w, "tokens_remaining"u8, r.TokensRemaining);
        Opt(w, "tokens_reset"u8, r.TokensReset);
        Opt(w, "input_tokens_limit"u8, r.InputTokensLimit);
        Opt(w, "input_tokens_remaining"u8, r.InputTokensRemaining);
        Opt(w, "input_tokens_reset"u8, r.InputTokensReset);
        Opt(w, "output_tokens_limit"u8, r.OutputTokensLimit);
        Opt(w, "output_tokens_remaining"u8, r.OutputTokensRemaining);
        Opt(w, "output_tokens_reset"u8, r.OutputTokensReset);
        if (r.RetryAfterSeconds is { } ra) w.WriteNumber("retry_after_s"u8, ra);
        w.WriteEndObject();
    }

    private static void WriteToolCalls(Utf8JsonWriter w, IReadOnlyList<ToolCallInfo> calls)
    {
        w.WriteStartArray("tool_calls"u8);
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, call.Name);
            if (call.Kind != "tool_use") w.WriteString("kind"u8, call.Kind);
            w.WriteStartArray("input_keys"u8);
            foreach (var key in call.InputKeys)
            {
                w.WriteStringValue(key);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteTags(Utf8JsonWriter w, CallTags t)
    {
        if (t == CallTags.Empty)
        {
            return;
        }

        w.WriteStartObject("tags"u8);
        Opt(w, "user"u8, t.User);
        Opt(w, "tenant"u8, t.Tenant);
        Opt(w, "feature"u8, t.Feature);
        Opt(w, "session"u8, t.Session);
        Opt(w, "conversation"u8, t.Conversation);
        Opt(w, "trace_id"u8, t.TraceId);
        Opt(w, "span_id"u8, t.SpanId);
        Opt(w, "parent_id"u8, t.ParentId);
        if (t.Attempt is { } a) w.WriteNumber("attempt"u8, a);
        if (t.Properties is { Count: > 0 } props)
        {
            w.WriteStartObject("properties"u8);
            foreach (var (key, value) in props)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Opt(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Opt(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
    }

    private static void Opt(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is { } v) w.WriteString(name, v);
    }
}
