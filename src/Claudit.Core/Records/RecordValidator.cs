using System.Globalization;

namespace Claudit.Core.Records;

/// <summary>
/// The one check of a record that arrives from outside (<c>/api/ingest</c>, <c>claudit import</c>, OTLP
/// ingest): every number within the bounds a real call can reach, every string and list of a bounded
/// size, times in a plausible range, and no id twice in one batch. A record that fails is refused whole
/// and named by its first bad field; it never reaches the journal or the store, where one absurd value
/// (a negative token count, a cost of 1e15, a 5 MB tag) would distort every report that sums over it.
/// One validator checks one batch: it remembers the ids it has seen.
/// </summary>
public sealed class RecordValidator(TimeProvider? time = null)
{
    /// <summary>A journal or ingest line longer than this is refused without being parsed.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>Any one token count (10^10: a thousand times the largest context window).</summary>
    public const long MaxTokens = 10_000_000_000;

    /// <summary>Web search and fetch requests in one call.</summary>
    public const long MaxServerToolRequests = 1_000_000;

    /// <summary>Any one cost amount of one call, in USD.</summary>
    public const decimal MaxCostUsd = 1_000_000m;

    /// <summary>Latency, time to first byte or token: 24 hours.</summary>
    public const double MaxDurationMs = 24 * 60 * 60 * 1000.0;

    public const double MaxOutputTokensPerSecond = 10_000_000;

    /// <summary>Rate-limit header values (limits and remaining counts).</summary>
    public const long MaxRateLimitValue = 1_000_000_000_000_000;

    public const double MaxRetryAfterSeconds = 7 * 24 * 60 * 60;

    public const int MaxAttempt = 1_000;

    /// <summary>Context utilisation is a share of the window; an estimate may overshoot, a hundred windows is absurd.</summary>
    public const double MaxContextUtilisation = 100;

    /// <summary>Ids, models, tags and other short text.</summary>
    public const int MaxNameLength = 256;

    public const int MaxErrorMessageLength = 8 * 1024;

    public const int MaxProperties = 64;

    public const int MaxPropertyValueLength = 1024;

    public const int MaxToolCalls = 256;

    public const int MaxToolInputKeys = 256;

    public const int MaxQualityFlags = 16;

    /// <summary>Requests in one Message Batch (Anthropic documents at most 100,000).</summary>
    public const long MaxBatchRequests = 100_000;

    /// <summary>The earliest start time taken: before the API existed nothing could have been recorded.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of this machine's clock a start time may be (another machine's clock may run ahead).</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly HashSet<Guid> _seen = [];

    /// <summary>The record's first problem, or null when it is fine; an id already seen by this validator is a problem.</summary>
    public RecordProblem? Check(CallRecord record)
    {
        if (Validate(record, _time.GetUtcNow()) is { } problem)
        {
            return problem;
        }

        return _seen.Add(record.Id) ? null : new RecordProblem("id", $"{record.Id} appears twice in this batch");
    }

    /// <summary>One record on its own (no duplicate check): its first problem, or null.</summary>
    public static RecordProblem? Validate(CallRecord r, DateTimeOffset now)
    {
        var latest = now + MaxClockAhead;
        return (r.Id == Guid.Empty ? new RecordProblem("id", "must not be the empty id") : null)
            ?? Time("start_time", r.StartTime, latest)
            ?? Text("endpoint", r.Endpoint)
            ?? Text("endpoint_kind", r.EndpointKind)
            ?? Batch(r.Batch)
            ?? Text("model_requested", r.ModelRequested)
            ?? Text("model_used", r.ModelUsed)
            ?? (r.HttpStatus is { } status and (< 100 or > 599) ? OutOfRange("http_status", status, 100, 599) : null)
            ?? Text("stop_reason", r.StopReason)
            ?? (r.MaxTokens is < 0 ? OutOfRange("max_tokens", r.MaxTokens.Value, 0, MaxTokens) : null)
            ?? Error(r.Error)
            ?? Usage(r.Usage)
            ?? Cost(r.Cost)
            ?? Duration("latency_ms", r.LatencyMs)
            ?? Duration("ttft_ms", r.TtftMs)
            ?? Duration("ttfb_ms", r.TtfbMs)
            ?? Range("output_tokens_per_second", r.OutputTokensPerSecond, MaxOutputTokensPerSecond)
            ?? Text("request_id", r.RequestId)
            ?? Text("organization_id", r.OrganizationId)
            ?? RateLimits(r.RateLimits, latest + TimeSpan.FromDays(365))
            ?? ToolCalls(r.ToolCalls)
            ?? Tags(r.Tags)
            ?? Text("prompt_hash", r.PromptHash)
            ?? QualityFlags(r.QualityFlags)
            ?? Range("context_utilisation", r.ContextUtilisation, MaxContextUtilisation);
    }

    private static RecordProblem? Batch(BatchCallInfo? b) => b is null ? null
        : Text("batch.id", b.Id) ?? Text("batch.custom_id", b.CustomId) ?? Text("batch.result", b.Result)
            ?? Text("batch.processing_status", b.ProcessingStatus) ?? Count("batch.request_count", b.RequestCount, MaxBatchRequests);

    private static RecordProblem? Error(CallError? e) => e is null ? null
        : Text("error.type", e.Type) ?? Text("error.message", e.Message, MaxErrorMessageLength);

    private static RecordProblem? Usage(TokenUsage? u) => u is null ? null
        : Tokens("usage.input_tokens", u.InputTokens)
            ?? Tokens("usage.output_tokens", u.OutputTokens)
            ?? Tokens("usage.cache_creation_input_tokens", u.CacheCreationInputTokens)
            ?? Tokens("usage.cache_creation_5m_input_tokens", u.CacheCreation5mInputTokens)
            ?? Tokens("usage.cache_creation_1h_input_tokens", u.CacheCreation1hInputTokens)
            ?? Tokens("usage.cache_read_input_tokens", u.CacheReadInputTokens)
            ?? Tokens("usage.thinking_tokens", u.ThinkingTokens)
            ?? Count("usage.web_search_requests", u.WebSearchRequests, MaxServerToolRequests)
            ?? Count("usage.web_fetch_requests", u.WebFetchRequests, MaxServerToolRequests)
            ?? Text("usage.service_tier", u.ServiceTier)
            ?? Text("usage.inference_geo", u.InferenceGeo)
            ?? Text("usage.speed", u.Speed);

    private static RecordProblem? Cost(CallCost? c) => c is null ? null
        : Money("cost.total_usd", c.TotalUsd)
            ?? Money("cost.input_usd", c.InputUsd)
            ?? Money("cost.cache_write_5m_usd", c.CacheWrite5mUsd)
            ?? Money("cost.cache_write_1h_usd", c.CacheWrite1hUsd)
            ?? Money("cost.cache_read_usd", c.CacheReadUsd)
            ?? Money("cost.output_usd", c.OutputUsd)
            ?? Money("cost.web_search_usd", c.WebSearchUsd)
            ?? Text("cost.price_table_version", c.PriceTableVersion)
            ?? Text("cost.pricing_model", c.PricingModel)
            ?? Text("cost.unpriced_reason", c.UnpricedReason);

    private static RecordProblem? RateLimits(RateLimitSnapshot? l, DateTimeOffset latestReset) => l is null ? null
        : Count("rate_limits.requests_limit", l.RequestsLimit, MaxRateLimitValue)
            ?? Count("rate_limits.requests_remaining", l.RequestsRemaining, MaxRateLimitValue)
            ?? Time("rate_limits.requests_reset", l.RequestsReset, latestReset)
            ?? Count("rate_limits.tokens_limit", l.TokensLimit, MaxRateLimitValue)
            ?? Count("rate_limits.tokens_remaining", l.TokensRemaining, MaxRateLimitValue)
            ?? Time("rate_limits.tokens_reset", l.TokensReset, latestReset)
            ?? Count("rate_limits.input_tokens_limit", l.InputTokensLimit, MaxRateLimitValue)
            ?? Count("rate_limits.input_tokens_remaining", l.InputTokensRemaining, MaxRateLimitValue)
            ?? Time("rate_limits.input_tokens_reset", l.InputTokensReset, latestReset)
            ?? Count("rate_limits.output_tokens_limit", l.OutputTokensLimit, MaxRateLimitValue)
            ?? Count("rate_limits.output_tokens_remaining", l.OutputTokensRemaining, MaxRateLimitValue)
            ?? Time("rate_limits.output_tokens_reset", l.OutputTokensReset, latestReset)
            ?? Range("rate_limits.retry_after_s", l.RetryAfterSeconds, MaxRetryAfterSeconds);

    private static RecordProblem? ToolCalls(IReadOnlyList<ToolCallInfo> calls) =>
        Each("tool_calls", calls, MaxToolCalls, call =>
            Text("tool_calls.name", call.Name) ?? Text("tool_calls.kind", call.Kind)
            ?? Each("tool_calls.input_keys", call.InputKeys, MaxToolInputKeys, key => Text("tool_calls.input_keys", key)));

    private static RecordProblem? Tags(CallTags t)
    {
        var problem = Text("tags.user", t.User) ?? Text("tags.tenant", t.Tenant) ?? Text("tags.feature", t.Feature)
            ?? Text("tags.session", t.Session) ?? Text("tags.conversation", t.Conversation) ?? Text("tags.trace_id", t.TraceId)
            ?? Text("tags.span_id", t.SpanId) ?? Text("tags.parent_id", t.ParentId)
            ?? (t.Attempt is { } attempt and (< 0 or > MaxAttempt) ? OutOfRange("tags.attempt", attempt, 0, MaxAttempt) : null);
        if (problem is not null || t.Properties is not { } properties)
        {
            return problem;
        }

        if (properties.Count > MaxProperties)
        {
            return TooMany("tags.properties", properties.Count, MaxProperties);
        }

        foreach (var (key, value) in properties)
        {
            var bad = (key.Length == 0 ? new RecordProblem("tags.properties", "a property name must not be empty") : null)
                ?? Text("tags.properties", key) ?? Text($"tags.properties.{Shorten(key)}", value, MaxPropertyValueLength);
            if (bad is not null)
            {
                return bad;
            }
        }

        return null;
    }

    private static RecordProblem? QualityFlags(IReadOnlyList<string> flags) =>
        Each("quality_flags", flags, MaxQualityFlags, flag => Text("quality_flags", flag));

    /// <summary>A list of at most <paramref name="max"/> items, each checked by <paramref name="check"/>.</summary>
    private static RecordProblem? Each<T>(string field, IReadOnlyList<T> items, int max, Func<T, RecordProblem?> check)
    {
        if (items.Count > max)
        {
            return TooMany(field, items.Count, max);
        }

        foreach (var item in items)
        {
            if (check(item) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static RecordProblem? Text(string field, string? value, int max = MaxNameLength) =>
        value is { Length: var length } && length > max ? new RecordProblem(field, $"is {length} characters long; at most {max} are taken") : null;

    private static RecordProblem? Tokens(string field, long? value) => Count(field, value, MaxTokens);

    private static RecordProblem? Count(string field, long? value, long max) =>
        value is { } v && (v < 0 || v > max) ? OutOfRange(field, v, 0, max) : null;

    private static RecordProblem? Money(string field, decimal value) =>
        value is < 0 or > MaxCostUsd ? OutOfRange(field, value, 0, MaxCostUsd) : null;

    private static RecordProblem? Duration(string field, double? value) => Range(field, value, MaxDurationMs);

    private static RecordProblem? Range(string field, double? value, double max) =>
        value is { } v && (!double.IsFinite(v) || v < 0 || v > max) ? OutOfRange(field, v, 0, max) : null;

    private static RecordProblem? Time(string field, DateTimeOffset? value, DateTimeOffset latest) =>
        value is { } t && (t < Earliest || t > latest)
            ? new RecordProblem(field, $"must be between {Iso(Earliest)} and {Iso(latest)}, not {Iso(t)}")
            : null;

    private static RecordProblem OutOfRange<T>(string field, T value, T min, T max)
        where T : IFormattable =>
        new(field, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}, not {value}"));

    private static RecordProblem TooMany(string field, int count, int max) =>
        new(field, string.Create(CultureInfo.InvariantCulture, $"has {count} entries; at most {max} are taken"));

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A property's name in a message, cut short: the name itself may be the oversized part.</summary>
    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
