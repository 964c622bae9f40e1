using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Core.Capture;

/// <summary>
/// Gathers what one call shows as it happens — the request body, the response status and headers,
/// the body or the stream, a transport failure — and turns it into the one <see cref="CallRecord"/>.
/// The gateway and the in-process handler both drive it, so a call is recorded the same way
/// whichever way it came in. Not thread-safe: one capture per call, fed in order.
/// </summary>
public sealed class CallCapture : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private MessageRequestInfo _request = new() { Valid = false };
    private int? _status;
    private string? _requestId, _organizationId;
    private RateLimitSnapshot? _rateLimits;
    private long? _headersAt;
    private bool _encodedBody;
    private MessageStreamObserver? _stream;
    private MessageObservation? _body;
    private (string Type, string? Message)? _transportError;
    private (string Type, string Message)? _refusal;
    private (string? Model, string? StopReason, TokenUsage? Usage)? _summary;
    private long? _firstTokenAt;

    public CallCapture(TimeProvider time, CallSource source, string endpoint = AnthropicEndpoints.Messages, string? method = null)
    {
        _time = time;
        _started = time.GetTimestamp();
        StartTime = time.GetUtcNow();
        Id = Guid.CreateVersion7(StartTime);
        Source = source;
        Endpoint = endpoint;
        EndpointKind = EndpointKinds.Classify(method, endpoint);
    }

    public Guid Id { get; }

    public DateTimeOffset StartTime { get; }

    public CallSource Source { get; }

    public string Endpoint { get; }

    /// <summary>The endpoint's kind (<see cref="EndpointKinds.Classify"/>).</summary>
    public string EndpointKind { get; }

    /// <summary>The Message Batch the call is about, when a way in learned it (the gateway reads batch answers).</summary>
    public BatchCallInfo? Batch { get; set; }

    /// <summary>
    /// Above 0: also gather the answer's text, up to this many characters, for content capture (opt-in; the
    /// record never holds it). Set before the response arrives.
    /// </summary>
    internal int CollectOutputChars { get; set; }

    /// <summary>The answer's text when <see cref="CollectOutputChars"/> asked for it (streamed or not), else null.</summary>
    internal string? OutputText => (_stream?.Observation ?? _body)?.Text?.Text;

    /// <summary>The request as parsed (model, stream, max_tokens, user, prompt hash).</summary>
    public MessageRequestInfo Request => _request;

    /// <summary>Reads the request body; a body that is not JSON is still a call (the API will answer it).</summary>
    public void OnRequestBody(ReadOnlySpan<byte> body) => _request = MessageRequestParser.Parse(body);

    /// <summary>The request as a way in knows it without its bytes (the chat middleware: model, stream, max_tokens).</summary>
    public void OnRequest(MessageRequestInfo request) => _request = request;

    /// <summary>The response status line and headers arrived.</summary>
    public void OnResponseHeaders(int status, Func<string, string?> header)
    {
        _headersAt ??= _time.GetTimestamp();
        _status = status;
        _requestId = header(RateLimitHeaders.RequestId);
        _organizationId = header(RateLimitHeaders.OrganizationId);
        _rateLimits = RateLimitHeaders.Parse(header, _time.GetUtcNow());
        // A compressed body is not JSON to the parser: only an identity body can be judged cut short.
        _encodedBody = header("content-encoding") is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The response is a stream (its headers said so): from here a record is of a stream, complete only
    /// if <c>message_stop</c> arrives, even when no byte of it is ever read.
    /// </summary>
    public void OnStreamStarted() => _stream ??= NewStream();

    /// <summary>A chunk of a streamed (SSE) response, as it passes: nothing is held but the event being read.</summary>
    public void OnStreamChunk(ReadOnlySpan<byte> chunk)
    {
        _stream ??= NewStream();
        _stream.Feed(chunk, _time.GetTimestamp());
    }

    /// <summary>
    /// The stream has shown its end — <c>message_stop</c> or an <c>error</c> event: a reader that stops
    /// there and closes the stream did not cut the call short.
    /// </summary>
    public bool StreamEnded => _stream?.Observation is { } o && (o.Complete || o.HasError);

    /// <summary>A whole (non-streamed) response body: a Message or an error.</summary>
    public void OnResponseBody(ReadOnlySpan<byte> body) => _body = MessageResponseParser.Parse(body, CollectOutputChars);

    private MessageStreamObserver NewStream()
    {
        var stream = new MessageStreamObserver();
        if (CollectOutputChars > 0)
        {
            stream.CollectText(CollectOutputChars);
        }

        return stream;
    }

    /// <summary>
    /// What a way in that never sees the API's JSON knows of the answer (a chat client's normalised
    /// response): used only when no body or stream was observed.
    /// </summary>
    public void OnResponseSummary(string? model, string? stopReason, TokenUsage? usage) => _summary = (model, stopReason, usage);

    /// <summary>The response began to arrive, as a way in without HTTP sees it (the chat client's response object): its time to first byte.</summary>
    public void OnResponseStarted() => _headersAt ??= _time.GetTimestamp();

    /// <summary>The first token reached the caller, as a way in without the stream's events sees it: the time to first token when no stream was observed.</summary>
    public void OnFirstToken() => _firstTokenAt ??= _time.GetTimestamp();

    /// <summary>
    /// The call failed outside the API's answer: <see cref="ErrorTypes.TransportTimeout"/>,
    /// <see cref="ErrorTypes.Connection"/>, <see cref="ErrorTypes.Canceled"/> or <see cref="ErrorTypes.ClientClosed"/>.
    /// </summary>
    public void OnTransportError(string type, string? message) => _transportError = (type, message);

    /// <summary>
    /// The gateway answered the call itself and never forwarded it (a policy refused it, a virtual key was
    /// not valid): the record's error is <paramref name="type"/>, of origin <see cref="ErrorOrigin.Gateway"/>,
    /// whatever the answer's body said, and not retryable (the answer tells SDKs not to retry).
    /// </summary>
    public void OnRefused(string type, string message) => _refusal = (type, message);

    /// <summary>
    /// The call is over: its record, not yet priced (<see cref="CallFinisher"/> prices every record with
    /// the one pricing engine). Tags fall back to the request's <c>metadata.user_id</c> for the user.
    /// </summary>
    public CallRecord Complete(CallTags tags) => Complete(tags, null);

    /// <summary>As <see cref="Complete(CallTags)"/>, priced as it is built by <paramref name="pricing"/> (the record is not copied to price it).</summary>
    internal CallRecord Complete(CallTags tags, CostCalculator? pricing)
    {
        var ended = _time.GetTimestamp();
        var observation = _stream?.Complete() ?? _body;
        var usage = observation?.UsageWithSpeed(_request.Speed) ?? _summary?.Usage;
        var error = Error(observation);
        var latency = _time.GetElapsedTime(_started, ended).TotalMilliseconds;
        double? ttft = (observation?.FirstContentDeltaTimestamp ?? _firstTokenAt) is { } first ? Ms(first) : null;
        var ttfb = observation?.FirstByteTimestamp is { } fb ? Ms(fb) : _headersAt is { } h ? Ms(h) : (double?)null;
        var modelUsed = observation?.Model ?? _summary?.Model;
        return new CallRecord
        {
            Id = Id,
            StartTime = StartTime,
            Source = Source,
            Endpoint = Endpoint,
            EndpointKind = EndpointKind,
            Batch = Batch,
            Streaming = _request.Stream || _stream is not null,
            ModelRequested = _request.Model,
            ModelUsed = modelUsed,
            Status = error is null ? CallStatus.Ok : CallStatus.Error,
            HttpStatus = _status,
            Error = error,
            StopReason = observation?.StopReason ?? _summary?.StopReason,
            Complete = _stream is null || observation!.Complete,
            MaxTokens = _request.MaxTokens,
            Usage = usage,
            Cost = pricing?.CostOf(modelUsed ?? _request.Model, usage, EndpointKind, error is not null),
            LatencyMs = latency,
            TtftMs = ttft,
            TtfbMs = ttfb,
            OutputTokensPerSecond = TokensPerSecond(usage, latency, ttft),
            RequestId = _requestId ?? observation?.RequestId,
            MessageId = observation?.MessageId,
            OrganizationId = _organizationId,
            RateLimits = _rateLimits,
            ToolCalls = observation?.ToolCalls ?? [],
            ToolResults = _request.ToolResults,
            ToolResultErrors = _request.ToolResultErrors,
            Tags = tags.User is null && _request.MetadataUserId is { } user ? tags with { User = user } : tags,
            PromptHash = _request.PromptHash,
        };
    }

    /// <summary>The one error the call ends with; the gateway's refusal, else the transport's, else the API's, else a cut stream.</summary>
    private CallError? Error(MessageObservation? observation)
    {
        if (_refusal is { } refused)
        {
            return new CallError { Type = refused.Type, Message = SecretScrubber.Scrub(refused.Message), Retryable = false, Origin = ErrorOrigin.Gateway };
        }

        if (_transportError is { } t)
        {
            return new CallError { Type = t.Type, Message = SecretScrubber.Scrub(t.Message), Retryable = ErrorTypes.IsRetryable(t.Type, null), Origin = ErrorOrigin.Transport };
        }

        if (observation?.ErrorType is { } apiType)
        {
            return new CallError { Type = apiType, Message = SecretScrubber.Scrub(observation.ErrorMessage), Retryable = ErrorTypes.IsRetryable(apiType, _status), Origin = ErrorOrigin.Api };
        }

        if (_status is >= 400 and var status)
        {
            var type = ErrorTypes.FromHttpStatus(status);
            return new CallError { Type = type, Retryable = ErrorTypes.IsRetryable(type, status), Origin = ErrorOrigin.Api };
        }

        if (_stream is not null && !observation!.Complete)
        {
            return new CallError { Type = ErrorTypes.StreamTruncated, Message = "the stream ended before message_stop", Retryable = true, Origin = ErrorOrigin.Transport };
        }

        // A success whose JSON stops mid-way (the connection cut after the headers): the caller got no answer it can read.
        if (_stream is null && _body is { MalformedEvents: > 0 } && _status is >= 200 and < 300 && !_encodedBody)
        {
            return new CallError { Type = ErrorTypes.BodyTruncated, Message = "the response body is not whole JSON (cut short)", Retryable = false, Origin = ErrorOrigin.Transport };
        }

        return null;
    }

    /// <summary>Output speed over generation time: after the first token for streams, the whole call otherwise.</summary>
    private static double? TokensPerSecond(TokenUsage? usage, double latencyMs, double? ttftMs)
    {
        var generationMs = latencyMs - (ttftMs ?? 0);
        return usage is { OutputTokens: > 0 } u && generationMs > 0 ? u.OutputTokens / (generationMs / 1000.0) : null;
    }

    private double Ms(long timestamp) => _time.GetElapsedTime(_started, timestamp).TotalMilliseconds;

    public void Dispose() => _stream?.Dispose();
}
