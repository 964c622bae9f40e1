using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server;
using Claudit.Server.Budgets;
using Claudit.Store.DuckDb;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>
/// The Budgets view and the Overview's budget badge in a real headless Chromium, over a gateway enforcing
/// policies in front of the mock: each policy shows what <c>/api/budgets</c> answers (used, limit, reset, top
/// spenders), and a policy at 80% or more shows as a badge on the Overview that opens the Budgets view.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class BudgetsViewTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-budgets-e2e-").FullName;
    private readonly FakeTimeProvider _clock = new(Noon) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
    private MockServer _mock = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    private static CallRecord Spent(string user, string tenant, decimal usd, int minutesAgo) => new()
    {
        Id = Guid.CreateVersion7(Noon.AddMinutes(-minutesAgo)),
        StartTime = Noon.AddMinutes(-minutesAgo),
        ModelRequested = "claude-haiku-4-5",
        Usage = new TokenUsage { InputTokens = 1000, OutputTokens = 500 },
        Cost = new CallCost { Priced = true, TotalUsd = usd },
        Tags = new CallTags { User = user, Tenant = tenant },
    };

    public async Task InitializeAsync()
    {
        await using (var store = DuckDbCallStore.Open(Path.Combine(_dataDir, DuckDbCallStore.FileName)))
        {
            await store.AppendAsync([Spent("ana", "acme", 250m, 300), Spent("bo", "acme", 150m, 200), Spent("cy", "acme", 50m, 100), Spent("ana", "globex", 2m, 60)]);
        }

        var policies = PolicySet.Parse("""
            {"budgets": [{"name": "team-monthly", "scope": "tenant", "match": {"tenant": "acme"}, "limit_usd": 500, "window": "1mo", "action": "warn"},
                         {"name": "user-daily", "scope": "user", "limit_usd": 400, "window": "1d", "action": "block"}],
             "rate_limits": [{"name": "user-rpm", "scope": "user", "requests": 60, "window": "1m"}]}
            """u8, "policies.json");
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 3, RateLimits = new RateLimitSettings { Enforced = false } });
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, TimeProvider = _clock, Policies = policies }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent("""{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Budget me."}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", "sk-ant-api03-" + "budgets-view");
            request.Headers.Add("anthropic-version", "2023-06-01");
            request.Headers.Add("Claudit-User", "dee");
            request.Headers.Add("Claudit-Tenant", "acme");
            (await _http.SendAsync(request)).Dispose();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await _gateway.Store.CountAsync() < 7 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task The_budgets_view_shows_each_policy_and_the_overview_badges_the_full_ones()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.PageAsync(browser);
        var violations = Chromium.WatchForViolations(page); // the view must work under the gateway's strict CSP
        var api = (await _http.GetFromJsonAsync<JsonElement>("/api/budgets")).GetProperty("policies").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.True(api["team-monthly"].GetProperty("ratio").GetDouble() >= 0.9, "the team is at 90% and more of its month");
        Assert.True(api["user-daily"].GetProperty("ratio").GetDouble() < 0.8, "no user is at 80% of a day");

        // The Overview: one badge, for the policy at 80% or more, with its share.
        await page.GotoAsync(_gateway.BaseAddress.ToString());
        await Chromium.ViewDrawnAsync(page, "overview");
        var badge = page.Locator("[data-testid=budget-badge]");
        // The Overview's "is it up" area counts the same policies.
        await Assertions.Expect(page.Locator("[data-testid=budgets-near-limit] .value")).ToHaveTextAsync("1");
        await Assertions.Expect(badge).ToHaveCountAsync(1);
        await Assertions.Expect(badge).ToHaveTextAsync($"team-monthly {(int)Math.Floor(api["team-monthly"].GetProperty("ratio").GetDouble() * 100)}%");

        // The badge opens the Budgets view: a panel per policy, with the API's numbers.
        await badge.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("view=budgets", StringComparison.Ordinal));
        foreach (var (name, policy) in api)
        {
            var panel = page.Locator($"[data-testid='policy-{name}']");
            await Assertions.Expect(panel).ToBeVisibleAsync();
            var usage = await panel.Locator("[data-testid=policy-usage]").InnerTextAsync();
            Assert.Contains(policy.GetProperty("unit").GetString() == "usd" ? Usd(policy.GetProperty("limit").GetDecimal()) : policy.GetProperty("limit").GetDecimal().ToString("N0", CultureInfo.InvariantCulture), usage, StringComparison.Ordinal);
            if (policy.GetProperty("resets_at").GetString() is { } resets)
            {
                Assert.Contains("resets " + DateTimeOffset.Parse(resets, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), usage, StringComparison.Ordinal);
            }

            await Assertions.Expect(panel.Locator("[data-testid=spender-row]")).ToHaveCountAsync(policy.GetProperty("top").GetArrayLength());
        }

        var team = page.Locator("[data-testid='policy-team-monthly']");
        Assert.Contains($"{Usd(api["team-monthly"].GetProperty("used").GetDecimal())} of $500.00", await team.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("per tenant where tenant acme · 1mo · warn", await team.InnerTextAsync(), StringComparison.Ordinal);
        var first = team.Locator("[data-testid=spender-row]").First;
        await Assertions.Expect(first).ToContainTextAsync("ana");
        await Assertions.Expect(first).ToContainTextAsync("$250.00");
        Assert.Contains("for user ana", await page.Locator("[data-testid='policy-user-daily']").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=error]")).ToHaveCountAsync(0);
        Assert.Empty(violations);
        await Chromium.ShotAsync(page, "budgets");
    }

    private static string Usd(decimal v) => "$" + v.ToString(Math.Abs(v) < 1 ? "F4" : "N2", CultureInfo.InvariantCulture);
}
