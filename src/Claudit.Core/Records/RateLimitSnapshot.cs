namespace Claudit.Core.Records;

/// <summary>The <c>anthropic-ratelimit-*</c> headers of one response.</summary>
public sealed record RateLimitSnapshot
{
    public long? RequestsLimit { get; init; }
    public long? RequestsRemaining { get; init; }
    public DateTimeOffset? RequestsReset { get; init; }
    public long? TokensLimit { get; init; }
    public long? TokensRemaining { get; init; }
    public DateTimeOffset? TokensReset { get; init; }
    public long? InputTokensLimit { get; init; }
    public long? InputTokensRemaining { get; init; }
    public DateTimeOffset? InputTokensReset { get; init; }
    public long? OutputTokensLimit { get; init; }
    public long? OutputTokensRemaining { get; init; }
    public DateTimeOffset? OutputTokensReset { get; init; }

    /// <summary>The <c>retry-after</c> header in seconds (429/529).</summary>
    public double? RetryAfterSeconds { get; init; }

    public bool IsEmpty => this == Empty;

    public static RateLimitSnapshot Empty { get; } = new();
}
