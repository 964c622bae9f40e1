namespace Claudit.Core.Records;

/// <summary>
/// One Claude API call as Claudit captured it. Every part of Claudit produces and consumes this
/// one type: the gateway, the in-process library, OTLP ingest, the journal, the store and reports.
/// Its JSON form is the public format documented in docs/record-format.md.
/// </summary>
public sealed record CallRecord
{
    /// <summary>Time-ordered unique id (UUIDv7), so ids sort by start time.</summary>
    public required Guid Id { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public CallSource Source { get; init; } = CallSource.Gateway;

    /// <summary>The API path called, e.g. <c>/v1/messages</c>.</summary>
    public string Endpoint { get; init; } = AnthropicEndpoints.Messages;

    /// <summary>The kind of endpoint (<see cref="EndpointKinds"/>): <c>messages</c>, <c>count_tokens</c>, <c>batches</c>, <c>batch_result</c>, ….</summary>
    public string EndpointKind { get; init; } = EndpointKinds.Messages;

    /// <summary>The Message Batch this call created, described or is a result of; null for calls outside the Batch API.</summary>
    public BatchCallInfo? Batch { get; init; }

    public bool Streaming { get; init; }

    public string? ModelRequested { get; init; }

    /// <summary>The model id the API answered with (a dated snapshot when an alias was requested).</summary>
    public string? ModelUsed { get; init; }

    public CallStatus Status { get; init; } = CallStatus.Ok;

    public int? HttpStatus { get; init; }

    public CallError? Error { get; init; }

    public string? StopReason { get; init; }

    /// <summary>False when a stream ended before <c>message_stop</c>: usage is then what was seen.</summary>
    public bool Complete { get; init; } = true;

    public int? MaxTokens { get; init; }

    /// <summary>Null when the call produced no usage (e.g. an error before any token was counted).</summary>
    public TokenUsage? Usage { get; init; }

    public CallCost? Cost { get; init; }

    public double LatencyMs { get; init; }

    /// <summary>Time to the first content delta (streaming) — what a user perceives as the first token.</summary>
    public double? TtftMs { get; init; }

    /// <summary>Time to the first response byte; earlier than TTFT for streams (message_start arrives first).</summary>
    public double? TtfbMs { get; init; }

    public double? OutputTokensPerSecond { get; init; }

    /// <summary>Anthropic's <c>request-id</c> header (or the error body's <c>request_id</c>).</summary>
    public string? RequestId { get; init; }

    public string? OrganizationId { get; init; }

    /// <summary>The Message's <c>id</c> (<c>msg_…</c>), from the response body or the stream's <c>message_start</c>: the span's <c>gen_ai.response.id</c>.</summary>
    public string? MessageId { get; init; }

    public RateLimitSnapshot? RateLimits { get; init; }

    /// <summary>Tool calls the model made: names and top-level input keys only, never values.</summary>
    public IReadOnlyList<ToolCallInfo> ToolCalls { get; init; } = [];

    /// <summary>
    /// <c>tool_result</c> blocks the request sent back (in its last user message): the outcomes of the
    /// tool calls of the call before it in the conversation. 0 when there were none.
    /// </summary>
    public int ToolResults { get; init; }

    /// <summary>Those of <see cref="ToolResults"/> marked <c>is_error: true</c>: tool calls that failed.</summary>
    public int ToolResultErrors { get; init; }

    public CallTags Tags { get; init; } = CallTags.Empty;

    /// <summary>Hash of the prompt (system, messages, tools) so identical prompts correlate without storing them.</summary>
    public string? PromptHash { get; init; }

    /// <summary>Heuristic flags on the answer (<see cref="Records.QualityFlags"/>); empty when none were found or none were checked.</summary>
    public IReadOnlyList<string> QualityFlags { get; init; } = [];

    /// <summary>Share of the model's context window the input filled (0..1+): actual input tokens when known, else the pre-flight estimate.</summary>
    public double? ContextUtilisation { get; init; }

    /// <summary>
    /// The billed model, the one rule for "which model is this call": the model the API answered with,
    /// else the model requested. Pricing, metrics, reports and the store's <c>priced_model</c> column all read it.
    /// </summary>
    public string? PricedModel => ModelUsed ?? ModelRequested;

    public bool IsError => Status == CallStatus.Error;
}
