namespace Claudit.Core.Anthropic;

/// <summary>
/// The error taxonomy: Anthropic's <c>error.type</c> values and the transport kinds Claudit adds
/// for failures the API never got to describe.
/// </summary>
public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Billing = "billing_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string Conflict = "conflict_error";
    public const string RequestTooLarge = "request_too_large";
    public const string RateLimit = "rate_limit_error";
    public const string Api = "api_error";
    public const string Timeout = "timeout_error";
    public const string Overloaded = "overloaded_error";

    // Transport kinds: no API error body exists for these.
    public const string TransportTimeout = "timeout";
    public const string Connection = "connection";
    public const string Canceled = "canceled";
    public const string ClientClosed = "client_closed";
    public const string StreamTruncated = "stream_truncated";

    /// <summary>A Message Batch request that was never processed: the batch expired (24 hours) before its turn.</summary>
    public const string BatchExpired = "expired";

    /// <summary>A successful non-streaming answer whose JSON body stops mid-way; SDKs fail to parse it and do not retry.</summary>
    public const string BodyTruncated = "body_truncated";

    /// <summary>An HTTP error whose body did not name a type.</summary>
    public const string HttpError = "http_error";

    // Claudit's own refusals: the gateway answered (HTTP 429) before the call reached the upstream.

    /// <summary>A <c>budgets</c> policy of the gateway's (docs/budgets.md) was used up.</summary>
    public const string BudgetExceeded = "budget_exceeded";

    /// <summary>A <c>rate_limits</c> policy of the gateway's (docs/budgets.md) was reached.</summary>
    public const string RateLimitedByPolicy = "rate_limited_by_policy";

    /// <summary>What a metric label carries for a type outside the taxonomy (the GenAI conventions' fallback).</summary>
    public const string Other = "_OTHER";

    private static readonly HashSet<string> Known =
    [
        InvalidRequest, Authentication, Billing, Permission, NotFound, Conflict, RequestTooLarge, RateLimit, Api, Timeout, Overloaded,
        TransportTimeout, Connection, Canceled, ClientClosed, StreamTruncated, BodyTruncated, HttpError, BatchExpired, BudgetExceeded, RateLimitedByPolicy,
    ];

    /// <summary>
    /// The type as a metric label value: a type of the taxonomy as is, anything else (an upstream's
    /// own error body can say anything) as <see cref="Other"/>, so the label's values stay a bounded set.
    /// </summary>
    public static string ForMetrics(string type) => Known.Contains(type) ? type : Other;

    /// <summary>The <c>error.type</c> Anthropic sends with an HTTP status, per the API reference.</summary>
    public static string FromHttpStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Authentication,
        402 => Billing,
        403 => Permission,
        404 => NotFound,
        408 => TransportTimeout,
        409 => Conflict,
        413 => RequestTooLarge,
        429 => RateLimit,
        500 => Api,
        504 => Timeout,
        529 => Overloaded,
        >= 500 => Api,
        _ => HttpError,
    };

    /// <summary>Whether the official SDKs retry this failure (408/409/429/≥500, connection errors, timeouts).</summary>
    public static bool IsRetryable(string type, int? httpStatus)
    {
        if (httpStatus is { } s && (s is 408 or 409 or 429 || s >= 500))
        {
            return true;
        }

        return type is Conflict or RateLimit or Api or Timeout or Overloaded or TransportTimeout or Connection or StreamTruncated;
    }
}
