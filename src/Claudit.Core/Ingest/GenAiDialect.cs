namespace Claudit.Core.Ingest;

/// <summary>
/// Who wrote a GenAI span, told by its instrumentation scope; what matters is whether its input-token
/// count includes the cached input (docs/ingest.md has the table).
/// </summary>
internal enum GenAiDialect
{
    /// <summary>The current GenAI conventions: <c>gen_ai.usage.input_tokens</c> = uncached + cache reads + cache writes (the Anthropic rule).</summary>
    SemanticConventions,

    /// <summary>The official Anthropic SDKs' own spans (<c>com.anthropic.sdk.*</c>): the conventions, plus the 5m/1h split of cache writes.</summary>
    AnthropicSdk,

    /// <summary>OpenLLMetry for Node (<c>@traceloop/instrumentation-anthropic</c>): <c>gen_ai.usage.input_tokens</c> is Anthropic's own <c>input_tokens</c>, cache excluded.</summary>
    TraceloopNode,

    /// <summary>OpenLLMetry for Python (<c>opentelemetry.instrumentation.anthropic</c>): input = uncached + cache reads + cache writes.</summary>
    TraceloopPython,

    /// <summary>OpenInference (Arize): <c>llm.token_count.prompt</c> includes the cache, detailed in <c>prompt_details.cache_read/cache_write</c>.</summary>
    OpenInference,

    /// <summary>Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c>: input includes the cache; cache reads are reported, cache writes are not.</summary>
    MicrosoftExtensionsAi,
}
