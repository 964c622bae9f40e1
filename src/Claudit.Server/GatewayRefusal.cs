using System.Globalization;
using Claudit.Core.Anthropic;

namespace Claudit.Server;

/// <summary>
/// A call the gateway answers itself, never forwarding it: a policy refused it (429), a virtual key was not
/// valid (401) or may not call the model (403), a body too large to read first (413). The answer is in
/// Anthropic's error shape with <c>x-should-retry: false</c>, so the official SDKs give up at once; the record
/// carries <see cref="RecordType"/> (<c>budget_exceeded</c>, <c>rate_limited_by_policy</c>, or the API type).
/// </summary>
internal sealed record GatewayRefusal(int Status, string ApiType, string RecordType, string Message)
{
    /// <summary>The policy that refused the call (<c>claudit-policy</c>), if one did.</summary>
    public string? Policy { get; init; }

    /// <summary>Seconds until the policy has room again (<c>retry-after</c>).</summary>
    public long? RetryAfterSeconds { get; init; }

    public static GatewayRefusal Authentication(string message) => new(StatusCodes.Status401Unauthorized, ErrorTypes.Authentication, ErrorTypes.Authentication, message);

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        response.Headers["x-should-retry"] = "false";
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (Policy is not null)
        {
            response.Headers[PolicyHeaders.Policy] = Policy;
        }

        var body = new ApiErrorBody(new ApiErrorDetail(ApiType, Message)).ToUtf8();
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
