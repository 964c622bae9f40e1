using Claudit.Core.Ingest;
using Claudit.Core.Records;

namespace Claudit.Core.Tests;

/// <summary>
/// The same Anthropic call — 200 uncached input tokens, 1,000 cache writes (all 1-hour), 4,000 cache reads,
/// 300 output — as each dialect reports it, and what Claudit records: never the cache counted twice. This is
/// the table of docs/ingest.md.
/// </summary>
public class GenAiSpanReaderTests
{
    public static TheoryData<string, string?, object[], long, long, long, long?> Dialects => new()
    {
        // dialect (scope), attributes, then Claudit's uncached input, cache writes, cache reads, 1h writes
        { "semantic conventions", "my.app", ["gen_ai.usage.input_tokens", 5200L, "gen_ai.usage.cache_write.input_tokens", 1000L, "gen_ai.usage.cache_read.input_tokens", 4000L], 200, 1000, 4000, null },
        { "semantic conventions, pre-2026-08 name", null, ["gen_ai.usage.input_tokens", 5200L, "gen_ai.usage.cache_creation.input_tokens", 1000L, "gen_ai.usage.cache_read.input_tokens", 4000L], 200, 1000, 4000, null },
        { "Anthropic SDK", "com.anthropic.sdk.typescript", ["gen_ai.usage.input_tokens", 5200L, "gen_ai.usage.cache_write.input_tokens", 1000L, "gen_ai.usage.cache_read.input_tokens", 4000L,
            "anthropic.usage.cache_creation.ephemeral_5m_input_tokens", 0L, "anthropic.usage.cache_creation.ephemeral_1h_input_tokens", 1000L], 200, 1000, 4000, 1000 },
        { "OpenLLMetry Node", "@traceloop/instrumentation-anthropic", ["gen_ai.usage.input_tokens", 200L, "gen_ai.usage.cache_creation.input_tokens", 1000L, "gen_ai.usage.cache_read.input_tokens", 4000L, "gen_ai.usage.total_tokens", 500L], 200, 1000, 4000, null },
        { "OpenLLMetry Node, uncached input above the cache", "@traceloop/instrumentation-anthropic", ["gen_ai.usage.input_tokens", 9000L, "gen_ai.usage.cache_read.input_tokens", 4000L], 9000, 0, 4000, null },
        { "OpenLLMetry Python", "opentelemetry.instrumentation.anthropic", ["gen_ai.usage.input_tokens", 5200L, "gen_ai.usage.cache_creation.input_tokens", 1000L, "gen_ai.usage.cache_read.input_tokens", 4000L], 200, 1000, 4000, null },
        { "OpenLLMetry, older names", "opentelemetry.instrumentation.anthropic", ["gen_ai.usage.prompt_tokens", 5200L, "gen_ai.usage.completion_tokens", 300L, "gen_ai.usage.cache_creation_input_tokens", 1000L, "gen_ai.usage.cache_read_input_tokens", 4000L], 200, 1000, 4000, null },
        { "OpenInference", "@arizeai/openinference-instrumentation-anthropic", ["openinference.span.kind", "LLM", "llm.provider", "anthropic", "llm.model_name", "claude-sonnet-4-5", "llm.token_count.prompt", 5200L, "llm.token_count.completion", 300L,
            "llm.token_count.prompt_details.cache_write", 1000L, "llm.token_count.prompt_details.cache_read", 4000L], 200, 1000, 4000, null },
        { "OpenInference before prompt included the cache", "openinference.instrumentation.anthropic", ["openinference.span.kind", "LLM", "llm.provider", "anthropic", "llm.model_name", "claude-sonnet-4-5", "llm.token_count.prompt", 200L, "llm.token_count.completion", 300L,
            "llm.token_count.prompt_details.cache_write", 1000L, "llm.token_count.prompt_details.cache_read", 4000L], 200, 1000, 4000, null },
        // M.E.AI reports no cache writes: they are in its input count, and Claudit can only take them for uncached input.
        { "Microsoft.Extensions.AI", "Experimental.Microsoft.Extensions.AI", ["gen_ai.usage.input_tokens", 5200L, "gen_ai.usage.cache_read.input_tokens", 4000L], 1200, 0, 4000, null },
    };

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Each_dialects_input_is_taken_apart_without_counting_the_cache_twice(string dialect, string? scope, object[] usage, long uncached, long writes, long reads, long? writes1h)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["gen_ai.provider.name"] = "anthropic",
            ["gen_ai.operation.name"] = "chat",
            ["gen_ai.request.model"] = "claude-sonnet-4-5",
            ["gen_ai.usage.output_tokens"] = 300L,
        };
        if (dialect.StartsWith("OpenInference", StringComparison.Ordinal))
        {
            attributes.Clear();
        }

        for (var i = 0; i < usage.Length; i += 2)
        {
            attributes[(string)usage[i]] = usage[i + 1];
        }

        var reading = GenAiSpanReader.Read(Span(scope, attributes));
        Assert.Equal(SpanVerdict.Call, reading.Verdict);
        var u = reading.Record!.Usage!;
        Assert.Equal((uncached, writes, reads, 300L), (u.InputTokens, u.CacheCreationInputTokens, u.CacheReadInputTokens, u.OutputTokens));
        Assert.Equal(writes1h, u.CacheCreation1hInputTokens);
        Assert.Equal(CallSource.Otlp, reading.Record.Source);
    }

    [Theory]
    [InlineData("execute_tool")]
    [InlineData("embeddings")]
    public void Operations_that_are_not_model_calls_are_not_records(string operation)
    {
        var reading = GenAiSpanReader.Read(Span("x", new Dictionary<string, object?> { ["gen_ai.provider.name"] = "anthropic", ["gen_ai.operation.name"] = operation, ["gen_ai.request.model"] = "claude-sonnet-4-5" }));
        Assert.Equal(SpanVerdict.NotGenAi, reading.Verdict);
    }

    [Fact]
    public void The_same_span_makes_the_same_id_and_a_finish_reason_is_named_as_anthropic_names_it()
    {
        var attributes = new Dictionary<string, object?> { ["gen_ai.system"] = "anthropic", ["gen_ai.request.model"] = "claude-haiku-4-5", ["gen_ai.usage.input_tokens"] = 10L, ["gen_ai.response.finish_reasons"] = "[\"length\"]" };
        var first = GenAiSpanReader.Read(Span(null, attributes)).Record!;
        Assert.Equal(first.Id, GenAiSpanReader.Read(Span(null, attributes)).Record!.Id);
        Assert.Equal("max_tokens", first.StopReason);
    }

    private static TelemetrySpan Span(string? scope, Dictionary<string, object?> attributes) => new()
    {
        Name = "chat",
        TraceId = "0af7651916cd43dd8448eb211c80319c",
        SpanId = "b7ad6b7169203331",
        StartUnixNano = 1_790_000_000_000_000_000,
        EndUnixNano = 1_790_000_001_500_000_000,
        ScopeName = scope,
        Attributes = attributes,
    };
}
