using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Budgets;

/// <summary>
/// Budgets the real gateway enforces in front of the real mock: a call over its budget is answered by the
/// gateway (429 in Anthropic's shape, not forwarded), recorded as a refusal, counted in metrics; a warn
/// budget forwards with a warning header; a restart rebuilds the spend from the store without counting twice.
/// </summary>
public sealed class BudgetEnforcementTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static CallRecord Spent(string user, decimal usd, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        StartTime = at,
        Source = CallSource.Gateway,
        ModelRequested = PolicyGateway.Model,
        ModelUsed = PolicyGateway.Model,
        Usage = new TokenUsage { InputTokens = 1000, OutputTokens = 1000 },
        Cost = new CallCost { Priced = true, TotalUsd = usd },
        Tags = new CallTags { User = user },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_user_over_a_block_budget_gets_a_429_from_the_gateway_and_the_refusal_is_recorded(bool stream)
    {
        const decimal Limit = 0.004m;
        await using var host = await PolicyGateway.StartAsync(
            $$"""{"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": {{Limit.ToString(CultureInfo.InvariantCulture)}}, "window": "1d", "action": "block"}]}""",
            new FakeTimeProvider(Noon));
        var body = PolicyGateway.Body("How much does this cost?", stream);
        HttpResponseMessage? refused = null;
        string refusal = "";
        var answered = 0;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var (response, text) = await host.SendAsync(body, user: "u-42");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                answered++;
                await host.SettledAsync();
            }
            else
            {
                (refused, refusal) = (response, text);
            }
        }

        Assert.NotNull(refused);
        Assert.True(answered >= 2, $"{answered} calls fit in the budget");
        var (other, _) = await host.SendAsync(body, user: "u-7");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode); // the budget is per user
        var metrics = await host.Http.GetStringAsync("/metrics");
        var records = await host.StopAndReadRecordsAsync();

        // The spend the budget saw is the recorded cost of u-42's answered calls: at the limit, less than a call over it.
        var spent = records.Where(r => r.Tags.User == "u-42" && !r.IsError).Sum(r => r.Cost!.TotalUsd);
        Assert.InRange(spent, Limit, Limit + PolicyGateway.WorstCaseUsd(body, 200));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal("false", Assert.Single(refused.Headers.GetValues("x-should-retry")));
        Assert.Equal("user-daily", Assert.Single(refused.Headers.GetValues("claudit-policy")));
        Assert.Equal(TimeSpan.FromHours(12), refused.Headers.RetryAfter!.Delta); // to midnight UTC
        Assert.Equal(
            $$$"""{"type":"error","error":{"type":"rate_limit_error","message":"Claudit budget 'user-daily' for user u-42 is used up: ${{{spent.ToString("F4", CultureInfo.InvariantCulture)}}} of $0.0040 today; resets 2026-12-01T00:00:00Z"}}""",
            refusal);

        var record = Assert.Single(records, r => r.IsError);
        Assert.Equal(ErrorTypes.BudgetExceeded, record.Error!.Type);
        Assert.Equal(ErrorOrigin.Gateway, record.Error.Origin);
        Assert.False(record.Error.Retryable);
        Assert.Equal(429, record.HttpStatus);
        Assert.Null(record.Cost); // nothing was billed
        Assert.Null(record.RequestId); // the upstream never saw it
        Assert.Equal(("u-42", PolicyGateway.Model, stream), (record.Tags.User, record.ModelRequested, record.Streaming));

        Assert.Matches(new Regex("""claude_requests_blocked_total\{[^}]*policy="user-daily"[^}]*\} 1\b"""), metrics);
        var ratio = Regex.Match(metrics, """claude_budget_used_ratio\{[^}]*policy="user-daily"[^}]*\} ([0-9.eE+-]+)""");
        Assert.True(ratio.Success, "the ratio gauge is exported");
        Assert.True(double.Parse(ratio.Groups[1].Value, CultureInfo.InvariantCulture) >= 1.0);
        Assert.Matches(new Regex("""claude_requests_total\{[^}]*error_type="budget_exceeded"[^}]*\} 1\b"""), metrics);
    }

    [Fact]
    public async Task A_restart_rebuilds_spend_from_the_store_without_counting_it_twice()
    {
        var earlier = Noon.AddHours(-4);
        await using var host = await PolicyGateway.StartAsync(
            """{"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 5, "window": "1d", "action": "block"}]}""",
            new FakeTimeProvider(Noon),
            history: [Spent("u-42", 3m, earlier), Spent("u-42", 2m, earlier.AddMinutes(1)), Spent("u-42", 7m, Noon.AddDays(-1)), Spent("u-7", 1m, earlier)]);
        var body = PolicyGateway.Body("Still there?");

        for (var restart = 0; restart < 3; restart++)
        {
            var (refused, text) = await host.SendAsync(body, user: "u-42");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            // Exactly the issue's words: yesterday's $7 is not in today's window, and today's $5 is counted once.
            Assert.Equal(
                """{"type":"error","error":{"type":"rate_limit_error","message":"Claudit budget 'user-daily' for user u-42 is used up: $5.00 of $5.00 today; resets 2026-12-01T00:00:00Z"}}""",
                text);

            var (answered, _) = await host.SendAsync(body, user: "u-7");
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            await host.SettledAsync();
            var status = Assert.Single(await host.Gateway.Budgets.GetStatusAsync());
            Assert.Equal(("u-42", 5m, 0m), (status.Scope, status.Used, status.Reserved));
            Assert.Equal(1.0, status.Ratio);
            await host.RestartAsync();
        }

        // u-7's spend: the history's dollar and the three answered calls, each once, as the store has them.
        var u7 = (await host.Ledger.ScopesAsync("user-daily", Server.Budgets.PolicyWindow.Day, Noon)).Single(s => s.Scope == "u-7");
        var records = await host.StopAndReadRecordsAsync();
        Assert.Equal(1m + records.Where(r => r.Tags.User == "u-7").Sum(r => r.Cost!.TotalUsd), u7.Totals.Used);
        Assert.Equal(3, records.Count(r => r.Tags.User == "u-7"));
    }

    [Fact]
    public async Task A_warn_budget_forwards_every_call_and_adds_a_warning_header_from_80_percent()
    {
        await using var host = await PolicyGateway.StartAsync(
            """{"budgets": [{"name": "team-monthly", "scope": "tenant", "match": {"tenant": "acme"}, "limit_usd": 0.003, "window": "1mo", "action": "warn"}]}""",
            new FakeTimeProvider(Noon));
        var body = PolicyGateway.Body("Warn me, do not stop me.");
        var warnings = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var (response, _) = await host.SendAsync(body, headers: ("Claudit-Tenant", "acme"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.TryGetValues("claudit-budget-warning", out var values))
            {
                var match = Regex.Match(Assert.Single(values), "^team-monthly ([0-9]+)%$");
                Assert.True(match.Success, Assert.Single(values));
                warnings.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.Empty(warnings); // once warned, every later call is warned too
            }

            await host.SettledAsync();
            var (other, _) = await host.SendAsync(body, headers: ("Claudit-Tenant", "globex"));
            Assert.False(other.Headers.Contains("claudit-budget-warning")); // outside the match
        }

        Assert.NotEmpty(warnings);
        Assert.True(warnings[0] >= 80, $"the first warning at {warnings[0]}%");
        Assert.True(warnings[^1] > 100, $"past the limit, still forwarded: {warnings[^1]}%");
        Assert.Equal(warnings.Order(), warnings);
        var status = Assert.Single(await host.Gateway.Budgets.GetStatusAsync());
        Assert.Equal("acme", status.Scope);
    }

    [Fact]
    public async Task The_daily_budget_flag_is_a_global_warn_budget_and_api_budget_still_answers()
    {
        await using var host = await PolicyGateway.StartAsync(null, new FakeTimeProvider(Noon), o => o with { DailyBudgetUsd = 0.001m });
        var body = PolicyGateway.Body("The simple form.");
        var (first, _) = await host.SendAsync(body);
        await host.SettledAsync();
        var (second, _) = await host.SendAsync(body);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.False(first.Headers.Contains("claudit-budget-warning"));
        Assert.Matches("^daily-budget [0-9]+%$", Assert.Single(second.Headers.GetValues("claudit-budget-warning")));

        var budgets = JsonDocument.Parse(await host.Http.GetStringAsync("/api/budgets")).RootElement.GetProperty("policies");
        var daily = Assert.Single(budgets.EnumerateArray());
        Assert.Equal(("daily-budget", "global", "1d", "warn"), (daily.GetProperty("name").GetString(), daily.GetProperty("scope").GetString(), daily.GetProperty("window").GetString(), daily.GetProperty("action").GetString()));
        var legacy = JsonDocument.Parse(await host.Http.GetStringAsync("/api/budget")).RootElement;
        Assert.Equal(0.001m, legacy.GetProperty("daily_budget_usd").GetDecimal());
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task Cut_streams_and_hang_ups_settle_to_what_their_records_cost()
    {
        // The mock paces like the API on a clock of the test's: a background loop moves it on, so streams end or wait as the test says.
        var mockClock = new FakeTimeProvider(Noon);
        await using var host = await PolicyGateway.StartAsync(
            """{"budgets": [{"name": "all", "scope": "global", "limit_usd": 100, "window": "1d"}]}""",
            mockOptions: new Mock.MockOptions { Port = 0, Profile = Mock.MockProfile.Realistic, TimeProvider = mockClock, RateLimits = new Mock.RateLimitSettings { Enforced = false } });
        using var ticking = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            while (!ticking.IsCancellationRequested)
            {
                mockClock.Advance(TimeSpan.FromMilliseconds(200));
                await Task.Delay(10);
            }
        });

        // The upstream cuts the stream before message_stop.
        var (cut, text) = await host.SendAsync(PolicyGateway.Body("Cut me off.", stream: true, maxTokens: 300), headers: (Mock.MockFaults.Header, "truncate"));
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);

        // The caller hangs up after the stream's first event.
        await ticking.CancelAsync();
        await ticker;
        using (var leaving = new HttpClient { BaseAddress = host.Gateway.BaseAddress }) // its own connection, closed when it is disposed
        using (var request = PolicyGateway.Request(PolicyGateway.Body("I will not wait.", stream: true, maxTokens: 300)))
        using (var response = await leaving.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            var stream = await response.Content.ReadAsStreamAsync();
            var seen = "";
            var buffer = new byte[4096];
            while (!seen.Contains("message_start", StringComparison.Ordinal))
            {
                seen += System.Text.Encoding.UTF8.GetString(buffer, 0, await stream.ReadAsync(buffer));
            }
        }

        // The mock's stream waits on its clock: let the gateway's server see the connection close before the
        // stream goes on, or the rest of the stream may reach the socket's buffers first and the call end whole.
        await Task.Delay(500);
        for (var i = 0; i < 200 && (await host.Ledger.ScopesAsync("all", Server.Budgets.PolicyWindow.Day, DateTimeOffset.UtcNow)).Single().Totals.Reserved != 0; i++)
        {
            mockClock.Advance(TimeSpan.FromMilliseconds(200)); // the gateway notices the hang-up on its next write
            await Task.Delay(20);
        }

        await host.SettledAsync();
        var counted = (await host.Ledger.ScopesAsync("all", Server.Budgets.PolicyWindow.Day, DateTimeOffset.UtcNow)).Single().Totals;
        var records = await host.StopAndReadRecordsAsync();
        Assert.Equal([ErrorTypes.StreamTruncated, ErrorTypes.ClientClosed], records.OrderBy(r => r.StartTime).Select(r => r.Error!.Type));
        Assert.All(records, r => Assert.True(r.Cost!.TotalUsd > 0, "each was billed for what it used"));
        Assert.Equal(new Server.Budgets.CounterTotals(records.Sum(r => r.Cost!.TotalUsd), 0), counted);
    }
}
