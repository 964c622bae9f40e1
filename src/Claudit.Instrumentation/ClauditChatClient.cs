using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Instrumentation.Implementation;
using Microsoft.Extensions.AI;

namespace Claudit.Instrumentation;

/// <summary>
/// <see cref="IChatClient"/> middleware that records each chat call (<c>UseClaudit()</c>). When a
/// <see cref="ClauditHandler"/> sits in the HTTP pipeline underneath (the usual setup), that handler
/// makes the record — with the real bytes, every retry, the rate-limit headers — and this middleware
/// only lends it the call's tags and the logical-call link for retries: one call, one record. Without
/// a handler, this middleware feeds what the chat response shows to Core's <see cref="CallCapture"/>:
/// the SDK's raw message or stream events (<see cref="ChatResponse.RawRepresentation"/>, read by Core's
/// parsers for the real stop reason and cache tokens), else the normalised response; Core's
/// <see cref="CallFinisher"/> makes the record either way. What only HTTP shows (status, request id,
/// rate limits, prompt hash) is then absent.
/// </summary>
public sealed class ClauditChatClient : DelegatingChatClient
{
    private static readonly JsonSerializerOptions s_raw = new();
    private readonly TimeProvider _time;
    private readonly CallTagger _tagger;
    private readonly CallFinisher _finisher;
    private readonly ContentQueue _content;
    private readonly ChatClientMetadata? _metadata;

    internal ClauditChatClient(IChatClient innerClient, TimeProvider time, CallTagger tagger, CallFinisher finisher, ContentQueue content)
        : base(innerClient)
    {
        _time = time;
        _tagger = tagger;
        _finisher = finisher;
        _content = content;
        _metadata = innerClient.GetService<ChatClientMetadata>();
        CaptureContent = content.Enabled;
    }

    /// <summary>
    /// Tags every call through this client carries (e.g. its <c>Feature</c>). The closer to the call wins:
    /// a call's own <c>ChatOptions.ConversationId</c> over these, these over an ambient <c>ClauditContext</c> scope's.
    /// </summary>
    public CallTags? Tags { get; set; }

    /// <summary>Capture this client's prompts and outputs, redacted, for the content sinks; on when <see cref="ClauditOptions.CaptureContent"/> is and a content sink is added.</summary>
    public bool CaptureContent { get; set; }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : base.GetService(serviceType, serviceKey);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Start(options, streaming: false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            call.Capture.OnResponseStarted();
            if (Serialize(response.RawRepresentation) is { } raw)
            {
                call.Capture.OnResponseBody(raw);
            }

            call.Capture.OnResponseSummary(response.ModelId, StopReason(response.FinishReason), Usage(response.Usage));
            Finish(call, messages, response.Text);
            return response;
        }
        catch (Exception ex) when (Failed(call, ex, cancellationToken))
        {
            throw; // not reached: the filter records and declines
        }
        finally
        {
            call.Capture.Dispose();
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Start(options, streaming: true);
        string? model = null;
        ChatFinishReason? finish = null;
        UsageDetails? usage = null;
        var text = _finisher.Guards.QualityFlags || CaptureContent ? new System.Text.StringBuilder() : null;
        var ended = false;
        try
        {
            var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (updates.ConfigureAwait(false))
            {
                while (true)
                {
                    // Set before every step: an async iterator's AsyncLocal changes do not outlive the step that made them.
                    ChatCallMarker.Current = call.Marker;
                    bool more;
                    try
                    {
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (Failed(call, ex, cancellationToken))
                    {
                        throw; // not reached
                    }

                    if (!more)
                    {
                        break;
                    }

                    var update = updates.Current;
                    if (call.Marker.Attempts == 0)
                    {
                        model ??= update.ModelId;
                        finish = update.FinishReason ?? finish;
                        usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? usage;
                        if (update.Contents.Any(c => c is TextContent or TextReasoningContent or FunctionCallContent))
                        {
                            call.Capture.OnFirstToken();
                        }

                        if (Serialize(update.RawRepresentation) is { } raw)
                        {
                            call.Capture.OnStreamChunk("data: "u8);
                            call.Capture.OnStreamChunk(raw);
                            call.Capture.OnStreamChunk("\n\n"u8);
                        }
                    }

                    text?.Append(update.Text);
                    yield return update;
                }
            }

            ended = true;
        }
        finally
        {
            if (!call.Failed)
            {
                if (!ended && !call.Capture.StreamEnded)
                {
                    call.Capture.OnTransportError(ErrorTypes.ClientClosed, "the application stopped reading the stream before it ended");
                }

                call.Capture.OnResponseSummary(model, StopReason(finish), Usage(usage));
                Finish(call, messages, text?.ToString());
            }

            call.Capture.Dispose();
        }
    }

    /// <summary>One logical chat call: its marker (for a handler underneath) and its capture (for when there is none).</summary>
    private sealed class Call(ChatCallMarker marker, CallCapture capture, Activity? activity)
    {
        public ChatCallMarker Marker => marker;

        public CallCapture Capture => capture;

        public Activity? Activity => activity;

        public bool Failed { get; set; }
    }

    private Call Start(ChatOptions? options, bool streaming)
    {
        var tags = Tags ?? CallTags.Empty;
        if (options?.ConversationId is { } conversation)
        {
            tags = tags with { Conversation = conversation };
        }

        var capture = new CallCapture(_time, CallSource.Library, AnthropicEndpoints.Messages);
        capture.OnRequest(new MessageRequestInfo { Model = options?.ModelId ?? _metadata?.DefaultModelId, Stream = streaming, MaxTokens = options?.MaxOutputTokens });
        var call = new Call(new ChatCallMarker(tags), capture, Activity.Current);
        ChatCallMarker.Current = call.Marker;
        return call;
    }

    /// <summary>The call failed before its answer arrived: recorded (unless a handler underneath did), then rethrown untouched.</summary>
    private bool Failed(Call call, Exception ex, CancellationToken cancellationToken)
    {
        if (call.Marker.Attempts == 0)
        {
            call.Capture.OnTransportError(ex is OperationCanceledException or HttpRequestException or IOException ? ObservingReadStream.ErrorType(ex, cancellationToken) : ErrorTypes.Other,
                ex.Message);
            Finish(call, messages: null, text: null);
        }

        call.Failed = true;
        return false;
    }

    /// <summary>The record (when no handler made one) through Core's finisher, then the content it joins.</summary>
    private void Finish(Call call, IEnumerable<ChatMessage>? messages, string? text)
    {
        Guid? id = call.Marker.LastRecordId;
        if (call.Marker.Attempts == 0)
        {
            var record = _finisher.Finish(call.Capture, new CallContext
            {
                Tags = _tagger.Tag(attempt: null, call.Marker.Tags, call.Activity),
                ParentKnown = true, // no HTTP attempt was seen: this record is the logical call
                LiveSpan = AttemptLink.SdkSpan(call.Activity),
                ServerAddress = _metadata?.ProviderUri?.Host,
                ServerPort = _metadata?.ProviderUri?.Port,
                OutputText = text,
            });
            id = record.Id;
        }

        if (CaptureContent && _content.Enabled && messages is not null && id is { } callId)
        {
            _content.TryEnqueue(ContentRedactor.Redact(new CallContent
            {
                CallId = callId,
                StartTime = call.Capture.StartTime,
                Model = call.Capture.Request.Model,
                Messages = [.. messages.Select(m => new ContentMessage(m.Role.Value, m.Text))],
                Output = text,
            }));
        }
    }

    /// <summary>The SDK's own object (a message or a stream event) in the API's JSON, for Core's parsers; null when it is not serialisable.</summary>
    private static byte[]? Serialize(object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(raw, raw.GetType(), s_raw);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return null; // not an Anthropic object: the normalised response it is
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
}
