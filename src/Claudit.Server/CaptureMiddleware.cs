using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Server.Access;
using Claudit.Server.Batches;
using Claudit.Server.Content;
using Claudit.Server.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server;

/// <summary>
/// Wraps each proxied <c>/v1/*</c> call in a <see cref="CallCapture"/>: takes Claudit's tag headers off, lets
/// <see cref="GatewayAdmission"/> check the caller's key and the policies (which may answer the call themselves),
/// copies the request body as the proxy forwards it (or from where admission read it), observes the response
/// as it is forwarded and types what went wrong (upstream timeout or reset, client gone). Core's
/// <see cref="CallFinisher"/> makes the record and settles the policies' reservation; what is the gateway's
/// own is how it sees the bytes and the caller's headers. When the upstream gave no answer, the caller gets
/// an API-shaped error (<see cref="TransportFailureAnswer"/>) and <see cref="UpstreamHealth"/> counts it; a
/// token that pins a tenant sets the call's tenant, for the policies and the record, whatever the header says.
/// </summary>
internal sealed class CaptureMiddleware(RequestDelegate next, GatewayOptions options, GatewayAdmission admission, CallFinisher finisher, BatchTracker batches, UpstreamHealth upstream, ILogger logger,
    GatewayContentQueue? content = null)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Request.Path.Value ?? "";
        using var capture = new CallCapture(options.TimeProvider, CallSource.Gateway, endpoint, context.Request.Method);
        // Content capture (opt-in): a Messages call's answer text is gathered by the one parser as it passes, bounded.
        var capturingContent = content is not null && capture.EndpointKind == EndpointKinds.Messages;
        if (capturingContent)
        {
            capture.CollectOutputChars = GatewayContentQueue.MaxOutputChars;
        }

        var attempt = int.TryParse(context.Request.Headers[RateLimitHeaders.RetryCount], NumberStyles.Integer, CultureInfo.InvariantCulture, out var a) ? a : (int?)null;
        var requestTags = RequestTags.TakeFrom(context.Request.Headers, attempt);
        if (AccessGrant.Of(context).Tenant is { } pinned)
        {
            requestTags = requestTags with { Tenant = pinned };
        }

        var credential = CredentialFingerprint.Of(context.Request.Headers["x-api-key"].ToString(), context.Request.Headers.Authorization.ToString());
        var originalRequestBody = context.Request.Body;
        // Keys and policies first: they may read the body ahead (it is then captured from there) or answer the call themselves.
        var admitted = await admission.AdmitAsync(context, capture, requestTags);
        var tags = admitted.Tags;
        using var buffered = admitted.Body;
        using var settlement = admitted.Settlement; // released at the end if the finisher never settled it
        var declaredTooLarge = context.Request.ContentLength > options.MaxCaptureBytes;
        using var requestBody = declaredTooLarge || buffered is not null ? null : new RequestBodyTee(context.Request.Body, options.MaxCaptureBytes);
        if (requestBody is not null)
        {
            context.Request.Body = requestBody;
        }

        var forwarded = admitted.Refusal is null && !admitted.Abandoned;
        using var batchCall = forwarded ? await BatchCall.BeginAsync(context, capture, tags, batches, finisher, logger, options.TimeProvider) : null;
        var originalBody = context.Response.Body;
        var answerBody = batchCall?.Wrap(originalBody, options.MaxCaptureBytes) ?? originalBody;
        using var observer = new ObservingResponseStream(answerBody, context.Response, capture, options.MaxCaptureBytes, collectBody: batchCall is not { IsResults: true });
        context.Response.Body = observer;
        try
        {
            if (admitted.Refusal is { } refusal)
            {
                capture.OnRefused(refusal.RecordType, refusal.Message);
                await refusal.WriteAsync(context.Response, context.RequestAborted);
            }
            else if (!admitted.Abandoned)
            {
                if (admitted.Warning is { } warning)
                {
                    context.Response.Headers[PolicyHeaders.Warning] = warning;
                }

                await next(context);
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            context.Request.Body = originalRequestBody;
            if (requestBody is not null)
            {
                if (!requestBody.Ended && !context.RequestAborted.IsCancellationRequested)
                {
                    await requestBody.ReadRestAsync(context.RequestAborted);
                }

                if (requestBody.Ended && !requestBody.Overflowed)
                {
                    capture.OnRequestBody(requestBody.Captured);
                }
            }

            // The body as the record read it (from admission's buffer or the tee), copied for the content queue below.
            var sentBody = !capturingContent ? null
                : buffered is not null ? buffered.Span.ToArray()
                : requestBody is { Ended: true, Overflowed: false } ? requestBody.Captured.ToArray()
                : null;
            var failure = context.Features.Get<IForwarderErrorFeature>();
            string? transportType = null;
            if (failure is not null && failure.Error != ForwarderError.None)
            {
                transportType = TransportErrorType(failure.Error, context);
                capture.OnTransportError(transportType, failure.Exception?.Message ?? failure.Error.ToString());
            }
            else if (context.RequestAborted.IsCancellationRequested || admitted.Abandoned)
            {
                capture.OnTransportError(ErrorTypes.ClientClosed, "the client closed the connection before the response ended");
            }

            var answered = failure is null || failure.Error == ForwarderError.None || AfterResponse(failure.Error);
            observer.Finish(upstreamAnswered: answered);
            if (batchCall is not null && !context.RequestAborted.IsCancellationRequested)
            {
                await batchCall.EndAsync(capture, tags, context.RequestAborted);
            }

            // A retry whose first attempt failed on another gateway is looked up in the fleet's table (docs/scale-out.md).
            var record = await finisher.FinishAsync(capture, new CallContext
            {
                Tags = tags,
                Credential = credential,
                ServerAddress = options.Upstream.Host,
                ServerPort = options.Upstream.Port,
                Settlement = settlement,
            });
            if (sentBody is not null && admitted.Refusal is null)
            {
                content!.Offer(record, sentBody, capture.OutputText);
            }

            if (record.Error is { } error && logger.IsEnabled(LogLevel.Warning))
            {
                GatewayLog.CallFailed(logger, record.Id, endpoint, error.Type, record.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none", record.RequestId ?? "none");
            }

            // A call the gateway answered itself (a policy or key refusal) says nothing of the upstream.
            if (forwarded && answered)
            {
                upstream.Answered();
            }
            else if (forwarded && transportType is not null)
            {
                if (transportType is ErrorTypes.Connection or ErrorTypes.TransportTimeout)
                {
                    upstream.Unreachable(transportType);
                }

                await TransportFailureAnswer.WriteAsync(context, transportType);
            }
        }
    }

    /// <summary>Errors YARP reports once the upstream's status and headers had arrived.</summary>
    private static bool AfterResponse(ForwarderError error) =>
        error is ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyDestination;

    /// <summary>YARP's "client" is the caller and its "destination" the upstream.</summary>
    private static string TransportErrorType(ForwarderError error, HttpContext context) => error switch
    {
        ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient => ErrorTypes.ClientClosed,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled =>
            context.RequestAborted.IsCancellationRequested ? ErrorTypes.ClientClosed : ErrorTypes.Canceled,
        ForwarderError.RequestTimedOut => ErrorTypes.TransportTimeout,
        _ => ErrorTypes.Connection,
    };
}
