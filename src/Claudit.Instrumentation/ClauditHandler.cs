using System.Diagnostics;
using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Instrumentation.Implementation;

namespace Claudit.Instrumentation;

/// <summary>
/// Records every Anthropic API call made through an <see cref="HttpClient"/>: put it in the client's
/// pipeline (<c>AddHttpClient("anthropic").AddClauditHandler()</c>, or the official SDK's
/// <c>ClientOptions.Handlers</c>). It drives Core's <see cref="CallCapture"/> exactly as the gateway
/// does: the request body (a copy; the inner handler still sends it), the response headers, then
/// either the whole JSON body (buffered, so the application can still read it) or, for
/// <c>text/event-stream</c>, the stream as the application reads it. Each SDK retry passes through
/// here, so each attempt is a record, linked to the first. Core's <see cref="CallFinisher"/> makes
/// the record. Created by the services (<c>CreateClauditHandler()</c>, <c>AddClauditHandler()</c>).
/// </summary>
public sealed class ClauditHandler : DelegatingHandler
{
    private readonly ClauditOptions _options;
    private readonly TimeProvider _time;
    private readonly CallTagger _tagger;
    private readonly CallFinisher _finisher;

    internal ClauditHandler(ClauditOptions options, TimeProvider time, CallTagger tagger, CallFinisher finisher)
    {
        _options = options;
        _time = time;
        _tagger = tagger;
        _finisher = finisher;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Endpoint(request) is not { } endpoint)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var options = _options;
        var capture = new CallCapture(_time, CallSource.Library, endpoint, request.Method.Method);
        var chat = ChatCallMarker.Current;
        var activity = Activity.Current;
        var attempt = Attempt(request);
        // The SDK's call span is current while it traces; without any activity there is none to look
        // for, and reading request.Options would allocate them for nothing.
        var sdkSpan = activity is null ? null
            : request.Options.TryGetValue(AttemptLink.SdkCallSpanOption, out var span) ? span : AttemptLink.SdkSpan(activity);
        chat?.AttemptStarted();
        var link = AttemptLink.For(capture.Id, attempt, chat, sdkSpan);
        var call = new ObservedCall(_finisher, capture, new CallContext
        {
            Tags = _tagger.Tag(attempt, chat?.Tags, activity),
            Credential = Credential(request),
            ParentKnown = link.Exact,
            Parent = link.Parent,
            LiveSpan = sdkSpan,
            ServerAddress = request.RequestUri?.Host,
            ServerPort = request.RequestUri?.Port,
        }, chat);

        long? requestBytes = null;
        if (request.Content is { } requestContent)
        {
            requestBytes = await ReadRequestBodyAsync(requestContent, capture, options.MaxCaptureBytes, cancellationToken).ConfigureAwait(false);
        }

        if (options.RecordContextUtilisation || options.RefuseAboveContextShare is not null)
        {
            PreFlight(call, capture, requestBytes, options);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Failed(call, ex, cancellationToken))
        {
            throw; // not reached: the filter records and declines
        }

        capture.OnResponseHeaders((int)response.StatusCode, name => Header(response, name));
        if (IsEventStream(response.Content))
        {
            capture.OnStreamStarted();
            response.Content = new ObservedStreamContent(response.Content, call);
            return response;
        }

        try
        {
            await ReadResponseBodyAsync(response.Content, capture, options.MaxCaptureBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The body broke while buffering: the application would have failed reading it too.
            Failed(call, ex, cancellationToken);
            response.Dispose();
            throw;
        }

        call.Finish();
        return response;
    }

    /// <summary>The API path (from <c>/v1/</c> on) of a POST to Anthropic's API; null for anything else, which passes untouched.</summary>
    private static string? Endpoint(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri is not { } uri)
        {
            return null;
        }

        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString;
        var v1 = path.IndexOf("/v1/", StringComparison.Ordinal);
        return v1 < 0 ? null : v1 == 0 ? path : path[v1..];
    }

    private static int? Attempt(HttpRequestMessage request) =>
        request.Headers.NonValidated.TryGetValues(RateLimitHeaders.RetryCount, out var values)
        && int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static ulong Credential(HttpRequestMessage request)
    {
        var headers = request.Headers.NonValidated;
        return CredentialFingerprint.Of(headers.TryGetValues("x-api-key", out var k) ? k.ToString() : null,
            headers.TryGetValues("Authorization", out var a) ? a.ToString() : null);
    }

    /// <summary>
    /// The capture asks only for response headers (request id, organization, rate limits, retry-after),
    /// never content headers, so one lookup each, without validation, is all it takes.
    /// </summary>
    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static bool IsEventStream(HttpContent content) =>
        content.Headers.NonValidated.TryGetValues("Content-Type", out var type)
        && type.ToString().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A copy of the request body. In-memory contents (what SDKs send) are read again as they are;
    /// others are buffered first so the inner handler still has the whole body to send.
    /// </summary>
    private static async ValueTask<long?> ReadRequestBodyAsync(HttpContent content, CallCapture capture, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            return declared;
        }

        if (content is not (ByteArrayContent or ReadOnlyMemoryContent))
        {
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        using var copy = new CaptureWriteStream(maxBytes);
        await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        if (!copy.Overflowed)
        {
            capture.OnRequestBody(copy.Captured);
            return copy.Captured.Length;
        }

        return content.Headers.ContentLength;
    }

    /// <summary>
    /// The input's estimated share of the model's context window (about 4 bytes of request a token),
    /// kept for the record, and the opt-in refusal of a call that would not fit.
    /// </summary>
    private void PreFlight(ObservedCall call, CallCapture capture, long? requestBytes, ClauditOptions options)
    {
        if (requestBytes is not { } bytes || _finisher.Pricing.Table.FindModel(capture.Request.Model)?.ContextWindow is not { } window || window <= 0)
        {
            return;
        }

        var estimatedTokens = bytes / 4;
        var utilisation = (double)estimatedTokens / window;
        call.PreFlight(window, utilisation);
        if (options.RefuseAboveContextShare is { } share && utilisation > share)
        {
            throw new ClauditContextWindowException(capture.Request.Model!, estimatedTokens, window, share);
        }
    }

    /// <summary>
    /// The whole JSON body, buffered (the application reads it afterwards from the buffer). A body
    /// whose declared length is over the cap is left alone and the record has its headers only.
    /// </summary>
    private static async ValueTask ReadResponseBodyAsync(HttpContent content, CallCapture capture, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > 0 and var length && length > maxBytes)
        {
            return;
        }

        if (content is not (ByteArrayContent or ReadOnlyMemoryContent))
        {
            // Unbounded on purpose: a cap here would fail the application's own read of a large body.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        using var copy = new CaptureWriteStream(maxBytes);
        await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        if (!copy.Overflowed && copy.Captured.Length > 0)
        {
            capture.OnResponseBody(copy.Captured);
        }
    }

    /// <summary>Records a failed attempt; an exception filter, so the exception propagates untouched.</summary>
    private static bool Failed(ObservedCall call, Exception ex, CancellationToken cancellationToken)
    {
        call.Fail(ObservingReadStream.ErrorType(ex, cancellationToken), ex.Message);
        return false;
    }
}
