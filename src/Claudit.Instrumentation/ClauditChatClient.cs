using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Microsoft.Extensions.AI;

namespace Claudit.Instrumentation;

/// <summary>
/// <see cref="IChatClient"/> middleware that records each chat call. When a <see cref="ClauditHandler"/>
/// sits in the HTTP pipeline underneath (the usual setup), that handler makes the record — with the
/// real bytes, every retry, the rate-limit headers — and this middleware only lends it the call's
/// tags and the logical-call link for retries (<see cref="ChatCallMarker"/>): one call, one record.
/// Without a handler, this middleware records the call itself from what the chat response shows: the
/// SDK's raw message (<see cref="ChatResponse.RawRepresentation"/>, read by Core's parsers for the
/// real stop reason and cache tokens), else <see cref="UsageDetails"/>.
/// </summary>
public sealed class ClauditChatClient(IChatClient innerClient, ClauditRecorder recorder) : DelegatingChatClient(innerClient)
{
    private static readonly JsonSerializerOptions s_raw = new();

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var marker = new ChatCallMarker(TagsOf(options));
        var started = new Started(recorder.Options.TimeProvider, Activity.Current);
        ChatCallMarker.Current = marker;
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (marker.Attempts == 0 && Failed(marker, started, options, streaming: false, ex, cancellationToken))
        {
            throw;
        }

        var id = marker.Attempts == 0
            ? Record(marker, started, options, streaming: false, Raw(response.RawRepresentation), response.ModelId, response.FinishReason, response.Usage, ttftMs: null, error: null, response.Text)
            : marker.LastRecordId;
        if (recorder.CapturesContent && id is { } callId)
        {
            Content(callId, started, messages, response.ModelId ?? options?.ModelId, response.Text);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var marker = new ChatCallMarker(TagsOf(options));
        var started = new Started(recorder.Options.TimeProvider, Activity.Current);
        using var stream = new MessageStreamObserver();
        string? model = null;
        ChatFinishReason? finish = null;
        UsageDetails? usage = null;
        double? ttft = null;
        var text = recorder.Options.QualityFlags || recorder.CapturesContent ? new System.Text.StringBuilder() : null;

        // Set before every step: an async iterator's AsyncLocal changes do not outlive the step that made them.
        ChatCallMarker.Current = marker;
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ChatCallMarker.Current = marker;
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (marker.Attempts == 0 && Failed(marker, started, options, streaming: true, ex, cancellationToken))
                {
                    throw;
                }

                if (!more)
                {
                    break;
                }

                var update = updates.Current;
                if (marker.Attempts == 0)
                {
                    model ??= update.ModelId;
                    finish = update.FinishReason ?? finish;
                    ttft ??= update.Contents.Any(c => c is TextContent or TextReasoningContent or FunctionCallContent) ? started.ElapsedMs : null;
                    foreach (var content in update.Contents)
                    {
                        if (content is UsageContent u)
                        {
                            usage = u.Details;
                        }
                    }

                    FeedRaw(stream, update.RawRepresentation);
                }

                text?.Append(update.Text);

                yield return update;
            }
        }

        var id = marker.Attempts == 0
            ? Record(marker, started, options, streaming: true, stream.Observation.SawMessageStart ? stream.Complete() : null, model, finish, usage, ttft, error: null, text?.ToString())
            : marker.LastRecordId;
        if (recorder.CapturesContent && id is { } callId)
        {
            Content(callId, started, messages, model ?? options?.ModelId, text?.ToString());
        }
    }

    private bool Failed(ChatCallMarker marker, Started started, ChatOptions? options, bool streaming, Exception ex, CancellationToken cancellationToken)
    {
        var error = new CallError
        {
            Type = ex is OperationCanceledException or HttpRequestException or IOException ? ObservingReadStream.ErrorType(ex, cancellationToken) : ErrorTypes.Other,
            Message = SecretScrubber.Scrub(ex.Message),
            Origin = ErrorOrigin.Transport,
        };
        Record(marker, started, options, streaming, observation: null, model: null, finish: null, usage: null, ttftMs: null, error, text: null);
        return false;
    }

    /// <summary>The prompt and the answer, redacted, to the content sinks; joined to the record by its id.</summary>
    private void Content(Guid callId, Started started, IEnumerable<ChatMessage> messages, string? model, string? output) =>
        recorder.SubmitContent(new CallContent
        {
            CallId = callId,
            StartTime = started.At,
            Model = model,
            Messages = [.. messages.Select(m => new ContentMessage(m.Role.Value, ContentRedactor.Redact(m.Text) ?? ""))],
            Output = ContentRedactor.Redact(output),
        });

    private Guid Record(ChatCallMarker marker, Started started, ChatOptions? options, bool streaming, MessageObservation? observation,
        string? model, ChatFinishReason? finish, UsageDetails? usage, double? ttftMs, CallError? error, string? text)
    {
        var tokens = observation?.Usage ?? Usage(usage);
        var requested = options?.ModelId ?? model;
        var used = observation?.Model ?? model;
        error ??= observation?.ErrorType is { } type ? new CallError { Type = type, Message = SecretScrubber.Scrub(observation.ErrorMessage) } : null;
        var record = new CallRecord
        {
            Id = Guid.CreateVersion7(started.At),
            StartTime = started.At,
            Source = CallSource.Library,
            Streaming = streaming,
            ModelRequested = requested,
            ModelUsed = used,
            Status = error is null ? CallStatus.Ok : CallStatus.Error,
            Error = error,
            StopReason = observation?.StopReason ?? StopReason(finish),
            MaxTokens = options?.MaxOutputTokens,
            Usage = tokens,
            LatencyMs = started.ElapsedMs,
            TtftMs = ttftMs,
            ToolCalls = observation?.ToolCalls ?? [],
            Tags = recorder.StartTags(attempt: null, marker, started.Activity),
        };
        var pricing = recorder.Options.Pricing;
        record = record with { Cost = tokens is null && error is not null ? null : pricing.Price(used ?? requested, tokens) };
        if (recorder.Options.QualityFlags)
        {
            record = record with { QualityFlags = QualityFlags.Evaluate(record, text) };
        }

        if (recorder.Options.RecordContextUtilisation && tokens is not null && pricing.Table.FindModel(used ?? requested)?.ContextWindow is > 0 and var window)
        {
            record = record with { ContextUtilisation = (double)tokens.TotalInputTokens / window };
        }

        recorder.Finish(record, ClauditTelemetry.SdkSpan(started.Activity), serverAddress: null, serverPort: null);
        return record.Id;
    }

    /// <summary>The SDK's own message, in the API's JSON, through Core's parser: the real stop reason, cache split and tool calls.</summary>
    private static MessageObservation? Raw(object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        try
        {
            var observation = MessageResponseParser.Parse(JsonSerializer.SerializeToUtf8Bytes(raw, raw.GetType(), s_raw));
            return observation.Model is null ? null : observation;
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return null; // not an Anthropic message: UsageDetails it is
        }
    }

    /// <summary>Each raw stream event, in the API's JSON, through Core's stream observer as the SSE frame it came in.</summary>
    private static void FeedRaw(MessageStreamObserver stream, object? raw)
    {
        if (raw is null)
        {
            return;
        }

        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(raw, raw.GetType(), s_raw);
            stream.Feed("data: "u8);
            stream.Feed(json);
            stream.Feed("\n\n"u8);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // not an Anthropic event
        }
    }

    /// <summary>
    /// The Anthropic adapter's counts back into Anthropic's disjoint buckets: its input count is
    /// uncached + cache read + cache write; cache reads are <see cref="UsageDetails.CachedInputTokenCount"/>
    /// and writes <c>AdditionalCounts["CacheCreationInputTokens"]</c>.
    /// </summary>
    internal static TokenUsage? Usage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var cacheRead = usage.CachedInputTokenCount ?? 0;
        var cacheWrite = usage.AdditionalCounts?.GetValueOrDefault("CacheCreationInputTokens") ?? 0;
        return new TokenUsage
        {
            InputTokens = Math.Max(0, (usage.InputTokenCount ?? 0) - cacheRead - cacheWrite),
            OutputTokens = usage.OutputTokenCount ?? 0,
            CacheReadInputTokens = cacheRead,
            CacheCreationInputTokens = cacheWrite,
            ThinkingTokens = usage.ReasoningTokenCount,
            WebSearchRequests = usage.AdditionalCounts?.GetValueOrDefault("WebSearchRequests") ?? 0,
        };
    }

    /// <summary>Only when the raw message is not to be had: the normalised reason mapped back (lossy: pause_turn, stop_sequence are lost).</summary>
    private static string? StopReason(ChatFinishReason? finish) =>
        finish is not { } f ? null
        : f == ChatFinishReason.Stop ? "end_turn"
        : f == ChatFinishReason.Length ? "max_tokens"
        : f == ChatFinishReason.ToolCalls ? "tool_use"
        : f == ChatFinishReason.ContentFilter ? "refusal"
        : f.Value;

    private static CallTags TagsOf(ChatOptions? options) =>
        options?.ConversationId is { } conversation ? new CallTags { Conversation = conversation } : CallTags.Empty;

    /// <summary>When and where (which trace) the call started.</summary>
    private readonly struct Started(TimeProvider time, Activity? activity)
    {
        private readonly long _timestamp = time.GetTimestamp();

        public DateTimeOffset At { get; } = time.GetUtcNow();

        public Activity? Activity => activity;

        public double ElapsedMs => time.GetElapsedTime(_timestamp).TotalMilliseconds;
    }
}
