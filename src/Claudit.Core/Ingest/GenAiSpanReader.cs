using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Core.Ingest;

/// <summary>What a span turned out to be.</summary>
internal enum SpanVerdict
{
    /// <summary>A Claude call: <see cref="SpanReading.Record"/> holds it.</summary>
    Call,

    /// <summary>Not a Claude model call (an HTTP span, a tool, another provider, Claudit's own span): counted and dropped.</summary>
    NotGenAi,

    /// <summary>A GenAI span Claudit cannot make a record of (no model): rejected, named in the partial-success answer.</summary>
    Rejected,
}

internal readonly record struct SpanReading(SpanVerdict Verdict, CallRecord? Record, string? Problem, GenAiDialect Dialect);

/// <summary>
/// Turns a GenAI span from any of the dialects in use (<see cref="GenAiDialect"/>) into a call record, not yet
/// priced: the finisher prices it with Claudit's price table. Cached input is never counted twice: each
/// dialect's input count is taken apart into Claudit's uncached input, cache writes and cache reads by that
/// dialect's rule, and a count smaller than the cache it would include is read as excluding it.
/// </summary>
internal static class GenAiSpanReader
{
    private static readonly string[] InputKeys = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.usage.prompt_tokens", "llm.token_count.prompt"];
    private static readonly string[] OutputKeys = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.usage.completion_tokens", "llm.token_count.completion"];
    private static readonly string[] CacheReadKeys = ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read"];
    private static readonly string[] CacheWriteKeys =
        ["gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write"];
    private static readonly string[] ReasoningKeys = ["gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens", "llm.token_count.completion_details.reasoning"];
    private static readonly string[] ProviderKeys = ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"];
    private static readonly string[] ChatOperations = ["chat", "text_completion", "generate_content", "completion"];

    public static SpanReading Read(TelemetrySpan span)
    {
        var a = span.Attributes;
        var dialect = DialectOf(span);
        if (a.ContainsKey(Telemetry.ClauditAttributes.CallId))
        {
            return new(SpanVerdict.NotGenAi, null, "a span Claudit emitted: its call is already a record", dialect);
        }

        var provider = First(a, ProviderKeys) as string;
        var requested = Str(a, "gen_ai.request.model") ?? Str(a, "llm.request.model_name") ?? Str(a, "llm.model_name");
        var used = Str(a, "gen_ai.response.model") ?? Str(a, "llm.response.model_name") ?? (dialect == GenAiDialect.OpenInference ? Str(a, "llm.model_name") : null);
        var hasUsage = First(a, InputKeys) is not null || First(a, OutputKeys) is not null;
        var anthropic = provider is not null ? provider.Contains("anthropic", StringComparison.OrdinalIgnoreCase)
            : (requested ?? used)?.StartsWith("claude", StringComparison.OrdinalIgnoreCase) == true;
        var operation = Str(a, "gen_ai.operation.name");
        var openInferenceKind = Str(a, "openinference.span.kind");
        if (!anthropic || (operation is not null && !ChatOperations.Contains(operation)) || (openInferenceKind is not null && openInferenceKind != "LLM")
            || (provider is null && !hasUsage))
        {
            return new(SpanVerdict.NotGenAi, null, null, dialect);
        }

        if ((requested ?? used) is null)
        {
            return new(SpanVerdict.Rejected, null, $"span {span.SpanId}: a GenAI span without gen_ai.request.model or gen_ai.response.model", dialect);
        }

        var start = FromUnixNano(span.StartUnixNano);
        var latency = span.EndUnixNano > span.StartUnixNano ? (span.EndUnixNano - span.StartUnixNano) / 1_000_000.0 : 0;
        var ttft = Dbl(a, "gen_ai.response.time_to_first_chunk") is { } seconds ? seconds * 1000.0 : (double?)null;
        var usage = UsageOf(a, dialect);
        var error = span.StatusError ? ErrorOf(span) : null;
        var tags = TagsOf(span);
        return new(SpanVerdict.Call, new CallRecord
        {
            Id = IdOf(start, span.TraceId, span.SpanId),
            StartTime = start,
            Source = CallSource.Otlp,
            Endpoint = AnthropicEndpoints.Messages,
            EndpointKind = EndpointKinds.Messages,
            Streaming = a.TryGetValue("gen_ai.request.stream", out var stream) && stream is true,
            ModelRequested = requested,
            ModelUsed = used,
            Status = error is null ? CallStatus.Ok : CallStatus.Error,
            Error = error,
            StopReason = StopReasonOf(a),
            MaxTokens = Long(a, "gen_ai.request.max_tokens") is { } max and <= int.MaxValue ? (int)max : null,
            Usage = usage,
            LatencyMs = latency,
            TtftMs = ttft,
            OutputTokensPerSecond = usage is { OutputTokens: > 0 } u && latency - (ttft ?? 0) > 0 ? u.OutputTokens / ((latency - (ttft ?? 0)) / 1000.0) : null,
            RequestId = Str(a, "anthropic.request.id"),
            Tags = tags,
        }, null, dialect);
    }

    /// <summary>The dialect a scope writes; unknown scopes are read by the current conventions.</summary>
    public static GenAiDialect DialectOf(TelemetrySpan span) => span.ScopeName switch
    {
        "@traceloop/instrumentation-anthropic" => GenAiDialect.TraceloopNode,
        "opentelemetry.instrumentation.anthropic" => GenAiDialect.TraceloopPython,
        "Experimental.Microsoft.Extensions.AI" or "Microsoft.Extensions.AI" => GenAiDialect.MicrosoftExtensionsAi,
        { } s when s.StartsWith("com.anthropic.sdk", StringComparison.Ordinal) => GenAiDialect.AnthropicSdk,
        { } s when s.Contains("openinference", StringComparison.OrdinalIgnoreCase) => GenAiDialect.OpenInference,
        _ when span.Attributes.ContainsKey("openinference.span.kind") => GenAiDialect.OpenInference,
        _ => GenAiDialect.SemanticConventions,
    };

    /// <summary>
    /// Claudit's four token classes from the dialect's counts. Only OpenLLMetry for Node reports Anthropic's
    /// uncached <c>input_tokens</c> as is; every other dialect's input count includes the cache and is taken
    /// apart here. Whatever the dialect, an input count smaller than the cache reads and writes reported
    /// beside it cannot include them, and is read as uncached.
    /// </summary>
    public static TokenUsage? UsageOf(IReadOnlyDictionary<string, object?> a, GenAiDialect dialect)
    {
        var input = LongOf(First(a, InputKeys));
        var output = LongOf(First(a, OutputKeys));
        if (input is null && output is null)
        {
            return null;
        }

        var read = LongOf(First(a, CacheReadKeys)) ?? 0;
        var write = LongOf(First(a, CacheWriteKeys)) ?? 0;
        long? w5 = Long(a, "anthropic.usage.cache_creation.ephemeral_5m_input_tokens");
        long? w1 = Long(a, "anthropic.usage.cache_creation.ephemeral_1h_input_tokens");
        var inputIncludesCache = dialect != GenAiDialect.TraceloopNode && (input ?? 0) >= read + write;
        var uncached = input is not { } i ? 0 : inputIncludesCache ? i - read - write : i;
        return new TokenUsage
        {
            InputTokens = Math.Max(0, uncached),
            OutputTokens = Math.Max(0, output ?? 0),
            CacheCreationInputTokens = Math.Max(0, write),
            // The split, only when it accounts for every write (else the writes are billed as 5-minute ones).
            CacheCreation5mInputTokens = w5 is not null && w1 is not null && w5 + w1 == write ? w5 : null,
            CacheCreation1hInputTokens = w5 is not null && w1 is not null && w5 + w1 == write ? w1 : null,
            CacheReadInputTokens = Math.Max(0, read),
            ThinkingTokens = LongOf(First(a, ReasoningKeys)),
            ServiceTier = Str(a, "anthropic.response.service_tier"),
        };
    }

    /// <summary>The stop reason as Anthropic names it: the SDK's own attribute, else the conventions' finish reason, mapped back from its normalised names.</summary>
    private static string? StopReasonOf(IReadOnlyDictionary<string, object?> a)
    {
        if (Str(a, "anthropic.message.stop_reason") is { } stop)
        {
            return stop;
        }

        var reason = First(a, ["gen_ai.response.finish_reasons", "llm.finish_reason"]) switch
        {
            object?[] { Length: > 0 } array => array[0] as string,
            // M.E.AI writes the array as text: ["stop"]
            string text => text.Trim().TrimStart('[').TrimEnd(']').Trim().Trim('"'),
            _ => null,
        };
        return reason switch
        {
            null or "" => null,
            "stop" => "end_turn",
            "length" => "max_tokens",
            "tool_call" or "tool_calls" => "tool_use",
            "content_filter" => "refusal",
            _ => reason,
        };
    }

    private static CallError ErrorOf(TelemetrySpan span)
    {
        var type = Str(span.Attributes, "error.type");
        // An exception's full name (M.E.AI writes e.g. Anthropic.Exceptions.AnthropicRateLimitException): its last part.
        var shortType = type?[(type.LastIndexOf('.') + 1)..];
        var normalised = shortType is null ? ErrorTypes.Api : TracerErrorTypes.Normalise(shortType, null);
        return new CallError
        {
            Type = normalised,
            Message = Records.SecretScrubber.Scrub(span.StatusMessage),
            Retryable = ErrorTypes.IsRetryable(normalised, null),
            Origin = ErrorOrigin.Api,
        };
    }

    /// <summary>Tags from the span's attributes, else its resource's: user, session, conversation, feature (service.name when nothing better).</summary>
    private static CallTags TagsOf(TelemetrySpan span)
    {
        string? Either(params string[] keys) => keys.Select(k => Str(span.Attributes, k) ?? Str(span.Resource, k)).FirstOrDefault(v => v is not null);
        return new CallTags
        {
            User = Either("user.id", "enduser.id", "claudit.user"),
            Tenant = Either("tenant.id", "claudit.tenant"),
            Feature = Either("claudit.feature", "gen_ai.agent.name", "traceloop.workflow.name") ?? Str(span.Resource, "service.name"),
            Session = Either("session.id", "claudit.session"),
            Conversation = Either("gen_ai.conversation.id"),
            TraceId = span.TraceId.Length == 32 ? span.TraceId : null,
            SpanId = span.SpanId.Length == 16 ? span.SpanId : null,
        };
    }

    /// <summary>A UUIDv7 of the span's start and a hash of its trace and span ids: an exporter that sends a span again makes the same record.</summary>
    private static Guid IdOf(DateTimeOffset start, string traceId, string spanId)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.IO.Hashing.XxHash128.Hash(System.Text.Encoding.ASCII.GetBytes(traceId + "/" + spanId), bytes);
        var ms = Math.Max(0, start.ToUnixTimeMilliseconds());
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    private static DateTimeOffset FromUnixNano(ulong nanos) =>
        nanos == 0 ? DateTimeOffset.UnixEpoch : DateTimeOffset.UnixEpoch.AddTicks((long)Math.Min(nanos / 100, (ulong)(DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks));

    private static object? First(IReadOnlyDictionary<string, object?> a, string[] keys)
    {
        foreach (var key in keys)
        {
            if (a.TryGetValue(key, out var value) && value is not null)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Str(IReadOnlyDictionary<string, object?> a, string key) => a.TryGetValue(key, out var v) && v is string s && s.Length > 0 ? s : null;

    private static long? Long(IReadOnlyDictionary<string, object?> a, string key) => a.TryGetValue(key, out var v) ? LongOf(v) : null;

    private static double? Dbl(IReadOnlyDictionary<string, object?> a, string key) =>
        a.TryGetValue(key, out var v) ? v switch { double d when double.IsFinite(d) => d, long l => l, _ => null } : null;

    /// <summary>A count, whether it came as an integer, a whole double or text.</summary>
    private static long? LongOf(object? value) => value switch
    {
        long l => l,
        double d when double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
