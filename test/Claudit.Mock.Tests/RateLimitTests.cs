using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Claudit.Core.Anthropic;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// The <c>anthropic-ratelimit-*</c> headers (reference §5) as token buckets: <c>remaining</c> falls as
/// traffic flows and refills with time; an empty bucket answers 429 with <c>retry-after</c>.
/// </summary>
public partial class RateLimitTests
{
    private static readonly string[] Dimensions = ["requests", "tokens", "input-tokens", "output-tokens"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 8, 7, 12, 0, 0, TimeSpan.Zero));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [Fact]
    public async Task Every_answer_carries_integer_limits_and_rfc3339_resets()
    {
        await using var host = await MockHost.StartAsync(o => o with { TimeProvider = _time });
        foreach (var stream in new[] { false, true })
        {
            var reply = await host.Client.MessagesAsync(Requests.Message("Headers, please.", stream: stream));
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            foreach (var d in Dimensions)
            {
                Assert.True(long.TryParse(reply.Header($"anthropic-ratelimit-{d}-limit"), NumberStyles.None, CultureInfo.InvariantCulture, out _), d);
                Assert.True(long.TryParse(reply.Header($"anthropic-ratelimit-{d}-remaining"), NumberStyles.None, CultureInfo.InvariantCulture, out _), d);
                Assert.Matches(Rfc3339(), reply.Header($"anthropic-ratelimit-{d}-reset"));
            }

            var limits = reply.RateLimits()!;
            Assert.Equal(4_000, limits.RequestsLimit);
            Assert.Equal(2_000_000, limits.InputTokensLimit);
            Assert.Equal(400_000, limits.OutputTokensLimit);
            Assert.Equal(limits.InputTokensLimit + limits.OutputTokensLimit, limits.TokensLimit);
            Assert.Null(limits.RetryAfterSeconds);
        }
    }

    [Fact]
    public async Task Remaining_falls_by_what_each_request_used_and_refills_over_time()
    {
        await using var host = await MockHost.StartAsync(o => o with { TimeProvider = _time });
        long inputUsed = 0, outputUsed = 0;
        Core.Records.RateLimitSnapshot? last = null;
        for (var i = 1; i <= 3; i++)
        {
            var reply = await host.Client.MessagesAsync(Requests.Message($"Rate limited question number {i}: " + Requests.Filler(100 * i, "rl")));
            var usage = reply.Parsed.Usage!;
            inputUsed += usage.TotalInputTokens;
            outputUsed += usage.OutputTokens;

            var limits = reply.RateLimits()!;
            Assert.Equal(4_000 - i, limits.RequestsRemaining);
            Assert.Equal(2_000_000 - inputUsed, limits.InputTokensRemaining);
            Assert.Equal(400_000 - outputUsed, limits.OutputTokensRemaining);
            Assert.Equal(limits.InputTokensRemaining + limits.OutputTokensRemaining, limits.TokensRemaining);
            Assert.True(limits.RequestsReset > _time.GetUtcNow(), "a bucket below its limit is full again later");
            Assert.True(limits.RequestsReset <= _time.GetUtcNow().AddMinutes(1));
            if (last is not null)
            {
                Assert.True(limits.RequestsRemaining < last.RequestsRemaining);
                Assert.True(limits.InputTokensRemaining < last.InputTokensRemaining);
                Assert.True(limits.OutputTokensRemaining < last.OutputTokensRemaining);
            }

            last = limits;
        }

        // Half a minute refills half of each limit (capped at the limit); a minute refills everything.
        _time.Advance(TimeSpan.FromSeconds(30));
        var partly = (await host.Client.MessagesAsync(Requests.Message("After thirty seconds."))).RateLimits()!;
        Assert.Equal(3_999, partly.RequestsRemaining); // 3 997 + 2 000 capped at 4 000, minus this request

        _time.Advance(TimeSpan.FromMinutes(1));
        var reply2 = await host.Client.MessagesAsync(Requests.Message("After a full minute."));
        var full = reply2.RateLimits()!;
        Assert.Equal(3_999, full.RequestsRemaining);
        Assert.Equal(2_000_000 - reply2.Parsed.Usage!.TotalInputTokens, full.InputTokensRemaining);
        Assert.Equal(400_000 - reply2.Parsed.Usage.OutputTokens, full.OutputTokensRemaining);
    }

    [Fact]
    public async Task Input_and_output_refill_continuously()
    {
        await using var host = await MockHost.StartAsync(o => o with
        {
            TimeProvider = _time,
            RateLimits = new RateLimitSettings { RequestsPerMinute = 600, InputTokensPerMinute = 60_000, OutputTokensPerMinute = 60_000 },
        });
        var first = await host.Client.MessagesAsync(Requests.Message("Refill: " + Requests.Filler(5_000, "refill")));
        var used = first.Parsed.Usage!;
        var before = first.RateLimits()!;
        Assert.Equal(60_000 - used.TotalInputTokens, before.InputTokensRemaining);

        // 1 000 input tokens a second refill; ten seconds later the bucket is 10 000 fuller (before this request).
        _time.Advance(TimeSpan.FromSeconds(10));
        var second = await host.Client.MessagesAsync(Requests.Message("Refill, short."));
        var after = second.RateLimits()!;
        var refilled = Math.Min(60_000, before.InputTokensRemaining!.Value + 10_000);
        Assert.Equal(refilled - second.Parsed.Usage!.TotalInputTokens, after.InputTokensRemaining);
        Assert.Equal(599, after.RequestsRemaining); // 599 + 100 per 10 s, capped at 600, minus one
    }

    [Fact]
    public async Task An_empty_request_bucket_answers_429_with_retry_after_and_a_retry_then_succeeds()
    {
        await using var host = await MockHost.StartAsync(o => o with
        {
            TimeProvider = _time,
            RateLimits = new RateLimitSettings { RequestsPerMinute = 2 },
        });
        Assert.Equal(HttpStatusCode.OK, (await host.Client.MessagesAsync(Requests.Message("One."))).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.MessagesAsync(Requests.Message("Two.", stream: true))).Status);

        foreach (var stream in new[] { false, true })
        {
            var refused = await host.Client.MessagesAsync(Requests.Message("Three.", stream: stream));
            refused.AssertError((HttpStatusCode)429, ErrorTypes.RateLimit);
            Assert.Equal("30", refused.Header("retry-after")); // one request refills every 30 s
            var limits = refused.RateLimits(_time.GetUtcNow())!;
            Assert.Equal(30, limits.RetryAfterSeconds);
            Assert.Equal(0, limits.RequestsRemaining);
            Assert.Equal(2, limits.RequestsLimit);
        }

        // A refused request takes nothing: waiting as told is enough.
        _time.Advance(TimeSpan.FromSeconds(30));
        var retried = await host.Client.MessagesAsync(Requests.Message("Three."));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(0, retried.RateLimits()!.RequestsRemaining);
        Assert.Equal((HttpStatusCode)429, (await host.Client.MessagesAsync(Requests.Message("Four."))).Status);
    }

    [Fact]
    public async Task An_output_bucket_without_room_for_max_tokens_answers_429()
    {
        await using var host = await MockHost.StartAsync(o => o with
        {
            TimeProvider = _time,
            RateLimits = new RateLimitSettings { OutputTokensPerMinute = 6_000 },
        });
        var first = await host.Client.MessagesAsync(Requests.Message("Use the output bucket.", maxTokens: 6_000));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var spent = first.Parsed.Usage!.OutputTokens;

        var refused = await host.Client.MessagesAsync(Requests.Message("Again, all of it.", maxTokens: 6_000));
        refused.AssertError((HttpStatusCode)429, ErrorTypes.RateLimit);
        // 100 output tokens refill a second: the wait covers what the first answer spent.
        var retryAfter = int.Parse(refused.Header("retry-after")!, CultureInfo.InvariantCulture);
        Assert.Equal((int)Math.Ceiling(spent / 100.0), retryAfter);

        _time.Advance(TimeSpan.FromSeconds(retryAfter));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.MessagesAsync(Requests.Message("Again, all of it.", maxTokens: 6_000))).Status);
    }

    [Fact]
    public async Task Unenforced_limits_still_send_headers_but_never_refuse()
    {
        await using var host = await MockHost.StartAsync(o => o with
        {
            TimeProvider = _time,
            RateLimits = new RateLimitSettings { Enforced = false, RequestsPerMinute = 2 },
        });
        for (var i = 0; i < 4; i++)
        {
            var reply = await host.Client.MessagesAsync(Requests.Message($"Unenforced {i}."));
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal(Math.Max(0, 1 - i), reply.RateLimits()!.RequestsRemaining);
        }
    }
}
