using System.Net;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Budgets;

/// <summary>
/// Calendar and rolling windows, and requests-per-minute and tokens-per-minute limits, on the gateway's own
/// clock (a <see cref="FakeTimeProvider"/> through <see cref="GatewayOptions.TimeProvider"/>): a window opens
/// again exactly when it says it will, in its message and its <c>retry-after</c>.
/// </summary>
public sealed class PolicyWindowTests
{
    private static string Message(string text) => JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString()!;

    [Fact]
    public async Task A_calendar_day_budget_opens_again_at_midnight_utc()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        await using var host = await PolicyGateway.StartAsync("""{"budgets": [{"name": "all-daily", "scope": "global", "limit_usd": 0.0005, "window": "1d", "action": "block"}]}""", clock);
        var body = PolicyGateway.Body("One call a day.");

        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body)).Response.StatusCode);
        await host.SettledAsync();
        var (refused, text) = await host.SendAsync(body);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.StartsWith("Claudit budget 'all-daily' is used up: $", Message(text), StringComparison.Ordinal);
        Assert.EndsWith(" of $0.0005 today; resets 2026-12-01T00:00:00Z", Message(text), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.SendAsync(body)).Response.StatusCode);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body)).Response.StatusCode);
    }

    [Fact]
    public async Task A_rolling_hour_budget_frees_spend_as_its_buckets_slide_out()
    {
        var start = new DateTimeOffset(2026, 11, 30, 10, 0, 30, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var host = await PolicyGateway.StartAsync("""{"budgets": [{"name": "hourly", "scope": "feature", "limit_usd": 0.0005, "window": "1h", "action": "block"}]}""", clock);
        var body = PolicyGateway.Body("Rolling along.");
        var chat = ("Claudit-Feature", "chat");

        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, headers: chat)).Response.StatusCode);
        await host.SettledAsync();
        clock.Advance(TimeSpan.FromMinutes(30));
        var (refused, text) = await host.SendAsync(body, headers: chat);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // The 10:00 bucket (a minute wide: a 60th of the window) stops counting at 11:00.
        Assert.EndsWith("in the last hour; resets 2026-11-30T11:00:00Z", Message(text), StringComparison.Ordinal);
        Assert.Contains("for feature chat", Message(text), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds((29 * 60) + 30), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, headers: ("Claudit-Feature", "search"))).Response.StatusCode);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.SendAsync(body, headers: chat)).Response.StatusCode);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, headers: chat)).Response.StatusCode);
    }

    [Fact]
    public async Task A_requests_per_minute_limit_refuses_the_call_past_it_until_the_minute_slides()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var host = await PolicyGateway.StartAsync("""{"rate_limits": [{"name": "user-rpm", "scope": "user", "requests": 3, "window": "1m"}]}""", clock);
        var body = PolicyGateway.Body("Count me.");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, user: "u-42")).Response.StatusCode);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        var (refused, text) = await host.SendAsync(body, user: "u-42");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("user-rpm", Assert.Single(refused.Headers.GetValues("claudit-policy")));
        Assert.Equal("Claudit rate limit 'user-rpm' for user u-42 is reached: 3 of 3 requests in the last minute; resets 2026-11-30T12:01:00Z", Message(text));
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, user: "u-7")).Response.StatusCode);

        clock.Advance(TimeSpan.FromSeconds(30)); // 12:01:00: the first call's second has slid out
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, user: "u-42")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.SendAsync(body, user: "u-42")).Response.StatusCode);

        var records = await host.StopAndReadRecordsAsync();
        Assert.Equal(2, records.Count(r => r.Error?.Type == ErrorTypes.RateLimitedByPolicy));
        Assert.Equal(5, records.Count(r => !r.IsError));
    }

    [Fact]
    public async Task A_tokens_per_minute_limit_counts_the_tokens_calls_used_and_refuses_once_they_reach_it()
    {
        const long Limit = 1500;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var host = await PolicyGateway.StartAsync($$"""{"rate_limits": [{"name": "feature-tpm", "scope": "feature", "tokens": {{Limit}}, "window": "1m"}]}""", clock);
        var body = PolicyGateway.Body("Spend some tokens on this, please.");
        var search = ("Claudit-Feature", "search");
        string? text = null;
        for (var i = 0; i < 30 && text is null; i++)
        {
            var (response, answer) = await host.SendAsync(body, headers: search);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                text = answer;
            }

            await host.SettledAsync();
        }

        Assert.NotNull(text);
        var records = await host.StopAndReadRecordsAsync();
        var used = records.Where(r => !r.IsError).Sum(r => r.Usage!.TotalInputTokens + r.Usage.OutputTokens);
        var worst = System.Text.Encoding.UTF8.GetByteCount(body) + 200;
        Assert.InRange(used, Limit, Limit + worst);
        Assert.Equal($"Claudit rate limit 'feature-tpm' for feature search is reached: {used:N0} of {Limit:N0} tokens in the last minute; resets 2026-11-30T12:01:00Z", Message(text!));
        Assert.Equal(ErrorTypes.RateLimitedByPolicy, Assert.Single(records, r => r.IsError).Error!.Type);
    }
}
