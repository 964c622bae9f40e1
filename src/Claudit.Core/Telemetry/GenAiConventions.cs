namespace Claudit.Core.Telemetry;

/// <summary>OpenTelemetry GenAI semantic-convention names (shared/reference/otel-genai.md).</summary>
public static class GenAiConventions
{
    public const string ProviderName = "gen_ai.provider.name";
    public const string OperationName = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ResponseId = "gen_ai.response.id";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestStream = "gen_ai.request.stream";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
    public const string UsageCacheReadTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string UsageCacheWriteTokens = "gen_ai.usage.cache_write.input_tokens";
    public const string UsageCacheCreationTokens = "gen_ai.usage.cache_creation.input_tokens";
    public const string UsageReasoningTokens = "gen_ai.usage.reasoning.output_tokens";
    public const string ConversationId = "gen_ai.conversation.id";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";

    public const string Anthropic = "anthropic";
    public const string Chat = "chat";

    public const string TokenUsageMetric = "gen_ai.client.token.usage";
    public const string OperationDurationMetric = "gen_ai.client.operation.duration";
    public const string TimeToFirstChunkMetric = "gen_ai.client.operation.time_to_first_chunk";

    /// <summary>Explicit buckets of <c>gen_ai.client.token.usage</c>.</summary>
    public static readonly double[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    /// <summary>Explicit buckets of the duration and time-to-first-chunk histograms, in seconds.</summary>
    public static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
}
