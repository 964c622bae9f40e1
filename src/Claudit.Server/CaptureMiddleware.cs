using System.Globalization;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Telemetry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server;

/// <summary>
/// Wraps each proxied <c>/v1/*</c> call in a <see cref="CallCapture"/>: reads the request body (and puts
/// it back for the proxy), takes Claudit's tag headers off, observes the response as it is forwarded,
/// types what went wrong (upstream timeout or reset, client gone) and hands the record to the pipeline.
/// </summary>
internal sealed class CaptureMiddleware(RequestDelegate next, GatewayOptions options, CostCalculator pricing, RecordPipeline pipeline, ClauditMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Request.Path.Value ?? "";
        using var capture = new CallCapture(options.TimeProvider, CallSource.Gateway, endpoint);
        var attempt = int.TryParse(context.Request.Headers[RateLimitHeaders.RetryCount], NumberStyles.Integer, CultureInfo.InvariantCulture, out var a) ? a : (int?)null;
        var tags = RequestTags.TakeFrom(context.Request.Headers, attempt);
        await ReadRequestAsync(context.Request, capture);

        var originalBody = context.Response.Body;
        var observer = new ObservingResponseStream(originalBody, context.Response, capture, options.MaxCaptureBytes);
        context.Response.Body = observer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = originalBody;
            var failure = context.Features.Get<IForwarderErrorFeature>();
            if (failure is not null && failure.Error != ForwarderError.None)
            {
                capture.OnTransportError(TransportErrorType(failure.Error, context), failure.Exception?.Message ?? failure.Error.ToString());
            }
            else if (context.RequestAborted.IsCancellationRequested)
            {
                capture.OnTransportError(ErrorTypes.ClientClosed, "the client closed the connection before the response ended");
            }

            observer.Finish(upstreamAnswered: failure is null || failure.Error == ForwarderError.None || AfterResponse(failure.Error));
            var record = capture.Complete(tags, pricing);
            metrics.Record(record);
            pipeline.Submit(record);
        }
    }

    private async Task ReadRequestAsync(HttpRequest request, CallCapture capture)
    {
        if (request.ContentLength is { } length && length > options.MaxCaptureBytes)
        {
            return; // forwarded untouched; the record says what the headers tell
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: options.MaxCaptureBytes);
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        capture.OnRequestBody(copy.GetBuffer().AsSpan(0, (int)copy.Length));
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
