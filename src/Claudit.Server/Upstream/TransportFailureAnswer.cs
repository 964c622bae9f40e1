using Claudit.Core.Anthropic;

namespace Claudit.Server.Upstream;

/// <summary>
/// What the caller gets when the upstream gave no answer at all: the status and the error body an SDK
/// knows from the API itself (<c>{"type":"error","error":{"type":…,"message":…}}</c>) instead of an
/// empty 502, so its error says what happened. A connection that failed (refused, reset, unresolvable)
/// is 502 <c>api_error</c>, a timeout 504 <c>timeout_error</c>; both are retried by the official SDKs
/// (they retry every status from 500 up), and <c>x-should-retry: true</c> says so explicitly.
/// </summary>
internal static class TransportFailureAnswer
{
    public const string ShouldRetryHeader = "x-should-retry";

    /// <summary>Writes the answer for a call recorded with <paramref name="recordedType"/>, unless the response has started or the caller is gone.</summary>
    public static async Task WriteAsync(HttpContext context, string recordedType)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var (status, type, message) = recordedType switch
        {
            ErrorTypes.TransportTimeout => (StatusCodes.Status504GatewayTimeout, ErrorTypes.Timeout, "Claudit gateway: the upstream did not answer in time."),
            ErrorTypes.ClientClosed => (StatusCodes.Status400BadRequest, ErrorTypes.InvalidRequest, "Claudit gateway: the request body could not be read to its end."),
            _ => (StatusCodes.Status502BadGateway, ErrorTypes.Api, "Claudit gateway: the upstream could not be reached (connection refused, reset or not resolvable)."),
        };
        context.Response.Clear();
        context.Response.Headers[ShouldRetryHeader] = status >= 500 ? "true" : "false";
        await ApiErrorAnswer.WriteAsync(context, status, type, message).ConfigureAwait(false);
    }
}
