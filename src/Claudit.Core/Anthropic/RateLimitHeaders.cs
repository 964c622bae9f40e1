using System.Globalization;
using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>Reads the <c>anthropic-ratelimit-*</c> and <c>retry-after</c> response headers.</summary>
public static class RateLimitHeaders
{
    public const string RequestId = "request-id";
    public const string OrganizationId = "anthropic-organization-id";
    public const string RetryAfter = "retry-after";
    public const string RetryAfterMs = "retry-after-ms";
    public const string RetryCount = "x-stainless-retry-count";

    /// <summary>Builds a snapshot from a header lookup (case-insensitive names); null when no such header was sent.</summary>
    public static RateLimitSnapshot? Parse(Func<string, string?> header, DateTimeOffset? now = null)
    {
        var snapshot = new RateLimitSnapshot
        {
            RequestsLimit = Long(header("anthropic-ratelimit-requests-limit")),
            RequestsRemaining = Long(header("anthropic-ratelimit-requests-remaining")),
            RequestsReset = Time(header("anthropic-ratelimit-requests-reset")),
            TokensLimit = Long(header("anthropic-ratelimit-tokens-limit")),
            TokensRemaining = Long(header("anthropic-ratelimit-tokens-remaining")),
            TokensReset = Time(header("anthropic-ratelimit-tokens-reset")),
            InputTokensLimit = Long(header("anthropic-ratelimit-input-tokens-limit")),
            InputTokensRemaining = Long(header("anthropic-ratelimit-input-tokens-remaining")),
            InputTokensReset = Time(header("anthropic-ratelimit-input-tokens-reset")),
            OutputTokensLimit = Long(header("anthropic-ratelimit-output-tokens-limit")),
            OutputTokensRemaining = Long(header("anthropic-ratelimit-output-tokens-remaining")),
            OutputTokensReset = Time(header("anthropic-ratelimit-output-tokens-reset")),
            RetryAfterSeconds = RetryAfterSeconds(header(RetryAfterMs), header(RetryAfter), now),
        };
        return snapshot.IsEmpty ? null : snapshot;
    }

    /// <summary><c>retry-after-ms</c> wins; else <c>retry-after</c> as seconds or an HTTP date.</summary>
    public static double? RetryAfterSeconds(string? retryAfterMs, string? retryAfter, DateTimeOffset? now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return ms / 1000.0;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0)
        {
            return s;
        }

        if (now is not null && DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return Math.Max(0, (at - now.Value).TotalSeconds);
        }

        return null;
    }

    private static long? Long(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v.ToUniversalTime() : null;
}
