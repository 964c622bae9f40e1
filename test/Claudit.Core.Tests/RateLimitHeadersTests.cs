using Claudit.Core.Anthropic;

namespace Claudit.Core.Tests;

/// <summary>The anthropic-ratelimit-* and retry-after response headers.</summary>
public class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 7, 12, 0, 0, TimeSpan.Zero);

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
    {
        var map = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return name => map.TryGetValue(name, out var v) ? v : null;
    }

    [Fact]
    public void All_twelve_rate_limit_headers()
    {
        var s = RateLimitHeaders.Parse(Headers(
            ("anthropic-ratelimit-requests-limit", "4000"),
            ("anthropic-ratelimit-requests-remaining", "3999"),
            ("anthropic-ratelimit-requests-reset", "2026-08-07T12:00:01Z"),
            ("anthropic-ratelimit-tokens-limit", "2400000"),
            ("anthropic-ratelimit-tokens-remaining", "2390000"),
            ("anthropic-ratelimit-tokens-reset", "2026-08-07T12:00:02Z"),
            ("anthropic-ratelimit-input-tokens-limit", "2000000"),
            ("anthropic-ratelimit-input-tokens-remaining", "1995000"),
            ("anthropic-ratelimit-input-tokens-reset", "2026-08-07T12:00:03Z"),
            ("anthropic-ratelimit-output-tokens-limit", "400000"),
            ("anthropic-ratelimit-output-tokens-remaining", "399500"),
            ("anthropic-ratelimit-output-tokens-reset", "2026-08-07T12:00:04Z")))!;

        Assert.Equal(4000, s.RequestsLimit);
        Assert.Equal(3999, s.RequestsRemaining);
        Assert.Equal(Now.AddSeconds(1), s.RequestsReset);
        Assert.Equal(2400000, s.TokensLimit);
        Assert.Equal(2390000, s.TokensRemaining);
        Assert.Equal(Now.AddSeconds(2), s.TokensReset);
        Assert.Equal(2000000, s.InputTokensLimit);
        Assert.Equal(1995000, s.InputTokensRemaining);
        Assert.Equal(Now.AddSeconds(3), s.InputTokensReset);
        Assert.Equal(400000, s.OutputTokensLimit);
        Assert.Equal(399500, s.OutputTokensRemaining);
        Assert.Equal(Now.AddSeconds(4), s.OutputTokensReset);
        Assert.Null(s.RetryAfterSeconds);
        Assert.False(s.IsEmpty);
    }

    [Fact]
    public void Reset_with_an_offset_is_the_same_instant_in_utc()
    {
        var s = RateLimitHeaders.Parse(Headers(("anthropic-ratelimit-tokens-reset", "2026-08-07T14:00:30+02:00")))!;

        Assert.Equal(Now.AddSeconds(30), s.TokensReset);
        Assert.Equal(TimeSpan.Zero, s.TokensReset!.Value.Offset);
    }

    [Fact]
    public void No_header_is_null()
    {
        Assert.Null(RateLimitHeaders.Parse(Headers(), Now));
        Assert.Null(RateLimitHeaders.Parse(Headers(("content-type", "application/json"), ("request-id", "req_1")), Now));
    }

    [Fact]
    public void Unparseable_values_are_null_fields()
    {
        var s = RateLimitHeaders.Parse(Headers(
            ("anthropic-ratelimit-requests-limit", "lots"),
            ("anthropic-ratelimit-requests-remaining", "12"),
            ("anthropic-ratelimit-requests-reset", "soon")))!;

        Assert.Null(s.RequestsLimit);
        Assert.Equal(12, s.RequestsRemaining);
        Assert.Null(s.RequestsReset);
    }

    [Fact]
    public void Retry_after_in_seconds()
    {
        var s = RateLimitHeaders.Parse(Headers(("retry-after", "30")), Now)!;

        Assert.Equal(30.0, s.RetryAfterSeconds);
    }

    [Fact]
    public void Retry_after_ms_wins_over_retry_after()
    {
        var s = RateLimitHeaders.Parse(Headers(("retry-after", "30"), ("retry-after-ms", "1500")), Now)!;

        Assert.Equal(1.5, s.RetryAfterSeconds);
    }

    [Fact]
    public void Retry_after_ms_wins_over_an_http_date()
    {
        Assert.Equal(0.25, RateLimitHeaders.RetryAfterSeconds("250", "Fri, 07 Aug 2026 12:00:30 GMT", Now));
    }

    [Fact]
    public void Retry_after_as_an_http_date()
    {
        var s = RateLimitHeaders.Parse(Headers(("retry-after", "Fri, 07 Aug 2026 12:00:30 GMT")), Now)!;

        Assert.Equal(30.0, s.RetryAfterSeconds);
    }

    [Fact]
    public void Retry_after_date_in_the_past_is_zero()
    {
        Assert.Equal(0.0, RateLimitHeaders.RetryAfterSeconds(null, "Fri, 07 Aug 2026 11:59:00 GMT", Now));
    }

    [Fact]
    public void Retry_after_date_needs_a_clock()
    {
        Assert.Null(RateLimitHeaders.RetryAfterSeconds(null, "Fri, 07 Aug 2026 12:00:30 GMT", null));
    }

    [Theory]
    [InlineData("-5", "7", 7.0)]
    [InlineData("soon", "7", 7.0)]
    [InlineData("", "7", 7.0)]
    [InlineData(null, "0", 0.0)]
    [InlineData("0", "7", 0.0)]
    public void Unusable_retry_after_ms_falls_back_to_retry_after(string? ms, string retryAfter, double expected)
    {
        Assert.Equal(expected, RateLimitHeaders.RetryAfterSeconds(ms, retryAfter, Now));
    }

    [Fact]
    public void Neither_retry_header_is_null()
    {
        Assert.Null(RateLimitHeaders.RetryAfterSeconds(null, null, Now));
        Assert.Null(RateLimitHeaders.RetryAfterSeconds(null, "whenever", Now));
    }

    [Fact]
    public void Retry_after_alone_makes_a_snapshot()
    {
        var s = RateLimitHeaders.Parse(Headers(("retry-after", "2")), Now)!;

        Assert.Equal(2.0, s.RetryAfterSeconds);
        Assert.Null(s.RequestsLimit);
    }
}
