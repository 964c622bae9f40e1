using System.Data.Common;
using Claudit.Core.Records;
using Claudit.Core.Serialization;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// A record as a row of the <c>calls</c> table and back. <see cref="Append"/> writes the columns in the
/// table's order (Schema/*.sql); <see cref="SelectList"/> reads them in the same order. The derived
/// columns (the billed model, the billed cache-write split, the session key) are computed here from
/// the record's own rules, once, so that SQL reads them rather than re-deriving them.
/// </summary>
internal static class CallRows
{
    private static readonly string[] Columns =
    [
        "id", "start_time", "start_time_ticks", "source", "endpoint", "streaming", "model_requested", "model_used", "priced_model",
        "status", "http_status", "error_type", "error_message", "error_retryable", "error_origin", "stop_reason", "complete", "max_tokens",
        "input_tokens", "output_tokens", "cache_creation_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "cache_read_tokens",
        "thinking_tokens", "web_search_requests", "web_fetch_requests", "service_tier", "inference_geo", "speed",
        "cost_priced", "cost_usd", "cost_input_usd", "cost_cache_write_5m_usd", "cost_cache_write_1h_usd", "cost_cache_read_usd",
        "cost_output_usd", "cost_web_search_usd", "price_table_version", "pricing_model", "unpriced_reason",
        "latency_ms", "ttft_ms", "ttfb_ms", "output_tokens_per_second", "request_id", "organization_id",
        "rl_requests_limit", "rl_requests_remaining", "rl_requests_reset", "rl_tokens_limit", "rl_tokens_remaining", "rl_tokens_reset",
        "rl_input_tokens_limit", "rl_input_tokens_remaining", "rl_input_tokens_reset",
        "rl_output_tokens_limit", "rl_output_tokens_remaining", "rl_output_tokens_reset", "rl_retry_after_s",
        "tag_user", "tag_tenant", "tag_feature", "tag_session", "tag_conversation", "trace_id", "span_id", "parent_id", "attempt",
        "properties", "tool_calls", "prompt_hash", "quality_flags", "context_utilisation", BilledWrite5m, BilledWrite1h, SessionKey,
        "message_id", "endpoint_kind", "batch_id", "batch_custom_id", "batch_result", "batch_status", "batch_request_count",
        "tool_results", "tool_result_errors",
    ];

    /// <summary>Every column, decimals as text (exact whatever their size; .NET's decimal holds fewer digits than DECIMAL(38,24)).</summary>
    public static string SelectList { get; } = string.Join(", ", Columns.Select(c => c.StartsWith("cost_", StringComparison.Ordinal) && c != "cost_priced" ? $"CAST({c} AS VARCHAR)" : c));

    public static void Append(DuckDBAppender appender, CallRecord r)
    {
        var u = r.Usage;
        var c = r.Cost;
        var e = r.Error;
        var rl = r.RateLimits;
        var t = r.Tags;
        appender.CreateRow()
            .AppendValue(r.Id)
            .AppendValue(r.StartTime)
            .AppendValue(StoreTime.SubMicrosecondTicks(r.StartTime))
            .AppendValue(EnumNames.Of(r.Source))
            .AppendValue(r.Endpoint)
            .AppendValue(r.Streaming)
            .AppendValue(r.ModelRequested)
            .AppendValue(r.ModelUsed)
            .AppendValue(r.PricedModel) // the billed model: StoreSql.BilledModel
            .AppendValue(EnumNames.Of(r.Status))
            .AppendValue(r.HttpStatus)
            .AppendValue(e?.Type)
            .AppendValue(e?.Message)
            .AppendValue(e?.Retryable)
            .AppendValue(e is null ? null : EnumNames.Of(e.Origin))
            .AppendValue(r.StopReason)
            .AppendValue(r.Complete)
            .AppendValue(r.MaxTokens)
            .AppendValue(u?.InputTokens)
            .AppendValue(u?.OutputTokens)
            .AppendValue(u?.CacheCreationInputTokens)
            .AppendValue(u?.CacheCreation5mInputTokens)
            .AppendValue(u?.CacheCreation1hInputTokens)
            .AppendValue(u?.CacheReadInputTokens)
            .AppendValue(u?.ThinkingTokens)
            .AppendValue(u?.WebSearchRequests)
            .AppendValue(u?.WebFetchRequests)
            .AppendValue(u?.ServiceTier)
            .AppendValue(u?.InferenceGeo)
            .AppendValue(u?.Speed)
            .AppendValue(c?.Priced)
            .AppendValue(c?.TotalUsd)
            .AppendValue(c?.InputUsd)
            .AppendValue(c?.CacheWrite5mUsd)
            .AppendValue(c?.CacheWrite1hUsd)
            .AppendValue(c?.CacheReadUsd)
            .AppendValue(c?.OutputUsd)
            .AppendValue(c?.WebSearchUsd)
            .AppendValue(c?.PriceTableVersion)
            .AppendValue(c?.PricingModel)
            .AppendValue(c?.UnpricedReason)
            .AppendValue(r.LatencyMs)
            .AppendValue(r.TtftMs)
            .AppendValue(r.TtfbMs)
            .AppendValue(r.OutputTokensPerSecond)
            .AppendValue(r.RequestId)
            .AppendValue(r.OrganizationId)
            .AppendValue(rl?.RequestsLimit)
            .AppendValue(rl?.RequestsRemaining)
            .AppendValue(rl?.RequestsReset)
            .AppendValue(rl?.TokensLimit)
            .AppendValue(rl?.TokensRemaining)
            .AppendValue(rl?.TokensReset)
            .AppendValue(rl?.InputTokensLimit)
            .AppendValue(rl?.InputTokensRemaining)
            .AppendValue(rl?.InputTokensReset)
            .AppendValue(rl?.OutputTokensLimit)
            .AppendValue(rl?.OutputTokensRemaining)
            .AppendValue(rl?.OutputTokensReset)
            .AppendValue(rl?.RetryAfterSeconds)
            .AppendValue(t.User)
            .AppendValue(t.Tenant)
            .AppendValue(t.Feature)
            .AppendValue(t.Session)
            .AppendValue(t.Conversation)
            .AppendValue(t.TraceId)
            .AppendValue(t.SpanId)
            .AppendValue(t.ParentId)
            .AppendValue(t.Attempt)
            .AppendValue(StoreJson.Properties(t.Properties))
            .AppendValue(StoreJson.ToolCalls(r.ToolCalls))
            .AppendValue(r.PromptHash)
            .AppendValue(r.QualityFlags.Count == 0 ? null : string.Join(',', r.QualityFlags))
            .AppendValue(r.ContextUtilisation)
            .AppendValue(u?.EffectiveCacheWrite5m)
            .AppendValue(u?.EffectiveCacheWrite1h)
            .AppendValue(t.SessionKey)
            .AppendValue(r.MessageId)
            .AppendValue(r.EndpointKind)
            .AppendValue(r.Batch?.Id)
            .AppendValue(r.Batch?.CustomId)
            .AppendValue(r.Batch?.Result)
            .AppendValue(r.Batch?.ProcessingStatus)
            .AppendValue(r.Batch?.RequestCount)
            .AppendValue(r.ToolResults)
            .AppendValue(r.ToolResultErrors)
            .EndRow();
    }

    /// <summary>The record of the current row of a <c>SELECT {SelectList}</c>.</summary>
    public static CallRecord Read(DbDataReader d)
    {
        var i = 0;
        var id = d.GetGuid(i++);
        var start = d.GetFieldValue<DateTimeOffset>(i++).AddTicks(d.GetByte(i++));
        var source = ParseSource(d.GetString(i++));
        var endpoint = d.GetString(i++);
        var streaming = d.GetBoolean(i++);
        var modelRequested = Str(d, i++);
        var modelUsed = Str(d, i++);
        i++; // priced_model is derived from the two above
        var status = d.GetString(i++) == "error" ? CallStatus.Error : CallStatus.Ok;
        var httpStatus = Int(d, i++);
        var errorType = Str(d, i++);
        var errorMessage = Str(d, i++);
        var errorRetryable = Bool(d, i++);
        var errorOrigin = Str(d, i++);
        var stopReason = Str(d, i++);
        var complete = d.GetBoolean(i++);
        var maxTokens = Int(d, i++);
        TokenUsage? usage = null;
        if (!d.IsDBNull(i))
        {
            usage = new TokenUsage
            {
                InputTokens = d.GetInt64(i),
                OutputTokens = Long(d, i + 1) ?? 0,
                CacheCreationInputTokens = Long(d, i + 2) ?? 0,
                CacheCreation5mInputTokens = Long(d, i + 3),
                CacheCreation1hInputTokens = Long(d, i + 4),
                CacheReadInputTokens = Long(d, i + 5) ?? 0,
                ThinkingTokens = Long(d, i + 6),
                WebSearchRequests = Long(d, i + 7) ?? 0,
                WebFetchRequests = Long(d, i + 8) ?? 0,
                ServiceTier = Str(d, i + 9),
                InferenceGeo = Str(d, i + 10),
                Speed = Str(d, i + 11),
            };
        }

        i += 12;
        CallCost? cost = null;
        if (!d.IsDBNull(i))
        {
            cost = new CallCost
            {
                Priced = d.GetBoolean(i),
                TotalUsd = Dec(d, i + 1),
                InputUsd = Dec(d, i + 2),
                CacheWrite5mUsd = Dec(d, i + 3),
                CacheWrite1hUsd = Dec(d, i + 4),
                CacheReadUsd = Dec(d, i + 5),
                OutputUsd = Dec(d, i + 6),
                WebSearchUsd = Dec(d, i + 7),
                PriceTableVersion = Str(d, i + 8),
                PricingModel = Str(d, i + 9),
                UnpricedReason = Str(d, i + 10),
            };
        }

        i += 11;
        var latency = d.GetDouble(i++);
        var ttft = Double(d, i++);
        var ttfb = Double(d, i++);
        var tps = Double(d, i++);
        var requestId = Str(d, i++);
        var organizationId = Str(d, i++);
        var rateLimits = new RateLimitSnapshot
        {
            RequestsLimit = Long(d, i),
            RequestsRemaining = Long(d, i + 1),
            RequestsReset = Time(d, i + 2),
            TokensLimit = Long(d, i + 3),
            TokensRemaining = Long(d, i + 4),
            TokensReset = Time(d, i + 5),
            InputTokensLimit = Long(d, i + 6),
            InputTokensRemaining = Long(d, i + 7),
            InputTokensReset = Time(d, i + 8),
            OutputTokensLimit = Long(d, i + 9),
            OutputTokensRemaining = Long(d, i + 10),
            OutputTokensReset = Time(d, i + 11),
            RetryAfterSeconds = Double(d, i + 12),
        };
        i += 13;
        var tags = new CallTags
        {
            User = Str(d, i),
            Tenant = Str(d, i + 1),
            Feature = Str(d, i + 2),
            Session = Str(d, i + 3),
            Conversation = Str(d, i + 4),
            TraceId = Str(d, i + 5),
            SpanId = Str(d, i + 6),
            ParentId = Str(d, i + 7),
            Attempt = Int(d, i + 8),
            Properties = StoreJson.ReadProperties(Str(d, i + 9)),
        };
        i += 10;
        var toolCalls = StoreJson.ReadToolCalls(Str(d, i++));
        var promptHash = Str(d, i++);
        var qualityFlags = Str(d, i++) is { } flags ? flags.Split(',') : (IReadOnlyList<string>)[];
        var contextUtilisation = Double(d, i++);
        i += 3; // the billed cache-write split and the session key are derived from the usage and tags above
        var messageId = Str(d, i++);
        var endpointKind = Str(d, i++);
        var batchId = Str(d, i++);
        var batch = batchId is null ? null : new BatchCallInfo
        {
            Id = batchId,
            CustomId = Str(d, i),
            Result = Str(d, i + 1),
            ProcessingStatus = Str(d, i + 2),
            RequestCount = Long(d, i + 3),
        };
        i += 4;
        var toolResults = Int(d, i++) ?? 0;
        var toolResultErrors = Int(d, i) ?? 0;

        return new CallRecord
        {
            Id = id,
            StartTime = start,
            Source = source,
            Endpoint = endpoint,
            EndpointKind = endpointKind ?? EndpointKinds.Classify(null, endpoint),
            Batch = batch,
            Streaming = streaming,
            ModelRequested = modelRequested,
            ModelUsed = modelUsed,
            Status = status,
            HttpStatus = httpStatus,
            Error = errorType is null ? null : new CallError
            {
                Type = errorType,
                Message = errorMessage,
                Retryable = errorRetryable ?? false,
                Origin = EnumNames.ParseOrigin(errorOrigin),
            },
            StopReason = stopReason,
            Complete = complete,
            MaxTokens = maxTokens,
            Usage = usage,
            Cost = cost,
            LatencyMs = latency,
            TtftMs = ttft,
            TtfbMs = ttfb,
            OutputTokensPerSecond = tps,
            RequestId = requestId,
            OrganizationId = organizationId,
            MessageId = messageId,
            // A snapshot with no header at all is stored as no snapshot.
            RateLimits = rateLimits.IsEmpty ? null : rateLimits,
            ToolCalls = toolCalls,
            ToolResults = toolResults,
            ToolResultErrors = toolResultErrors,
            Tags = tags,
            PromptHash = promptHash,
            QualityFlags = qualityFlags,
            ContextUtilisation = contextUtilisation,
        };
    }

    private static CallSource ParseSource(string name) => name switch
    {
        "library" => CallSource.Library,
        "ingest" => CallSource.Ingest,
        "import" => CallSource.Import,
        "otlp" => CallSource.Otlp,
        _ => CallSource.Gateway,
    };
}
