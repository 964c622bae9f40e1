using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>
/// What Claudit learned from one Messages response, streamed or not: the same shape from
/// <see cref="MessageResponseParser"/> and <see cref="MessageStreamObserver"/>.
/// Timestamps are <see cref="TimeProvider.GetTimestamp"/> values supplied by the caller, or null.
/// </summary>
public sealed class MessageObservation
{
    internal UsageAccumulator UsageState;
    private readonly List<ToolCallInfo> _toolCalls = [];

    public string? MessageId { get; internal set; }

    public string? Model { get; internal set; }

    public string? StopReason { get; internal set; }

    public string? StopSequence { get; internal set; }

    /// <summary>The usage seen so far (last value per field), or null if none arrived.</summary>
    public TokenUsage? Usage => UsageState.ToUsage();

    public IReadOnlyList<ToolCallInfo> ToolCalls => _toolCalls;

    /// <summary>An error body, or a mid-stream <c>error</c> event after HTTP 200.</summary>
    public string? ErrorType { get; internal set; }

    public string? ErrorMessage { get; internal set; }

    /// <summary>The <c>request_id</c> of an error body.</summary>
    public string? RequestId { get; internal set; }

    public bool SawMessageStart { get; internal set; }

    /// <summary>True once <c>message_stop</c> arrived (streams) or a whole message parsed (non-streaming).</summary>
    public bool Complete { get; internal set; }

    public int ContentBlocks { get; internal set; }

    public int EventCount { get; internal set; }

    /// <summary>Events whose JSON could not be read; they are skipped, never thrown.</summary>
    public int MalformedEvents { get; internal set; }

    public long? FirstByteTimestamp { get; internal set; }

    /// <summary>When the first SSE event (normally <c>message_start</c>) was complete.</summary>
    public long? FirstEventTimestamp { get; internal set; }

    /// <summary>When the first content delta arrived: time to first token.</summary>
    public long? FirstContentDeltaTimestamp { get; internal set; }

    public long? LastEventTimestamp { get; internal set; }

    public bool HasError => ErrorType is not null;

    /// <summary>The answer's text, gathered only when content capture asked for it (<see cref="MessageStreamObserver.CollectText"/>, <see cref="MessageResponseParser.Parse(ReadOnlySpan{byte}, int)"/>).</summary>
    internal OutputTextCollector? Text { get; set; }

    /// <summary>The usage with the request's <c>speed</c>, which only the request carries.</summary>
    public TokenUsage? UsageWithSpeed(string? speed) => UsageState.ToUsage(speed);

    internal void AddToolCall(ToolCallInfo call) => _toolCalls.Add(call);
}
