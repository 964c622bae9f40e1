using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Claudit.Alerts.Rules;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>
/// The Alerts view and the Overview's firing badge in a real headless Chromium, over alerts a real
/// gateway raised from faults sent through it to the mock: one alert resolved (history), one firing.
/// The gateway runs on a clock of the test's own, moved one evaluation period at a time.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class AlertsBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Haiku = "claude-haiku-4-5";
    private const string Sonnet = "claude-sonnet-4-6";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-alerts-browser-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private MockServer _mock = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;
    private int _sent;

    public async Task InitializeAsync()
    {
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 9, RateLimits = new RateLimitSettings { Enforced = false } });
        var rules = AlertsFile.Parse(Encoding.UTF8.GetBytes("""
            {"evaluate_every": "1s", "defaults": false,
             "rules": [{"name": "errors", "metric": "error_rate", "above": 0.2, "window": "1m", "min_calls": 3, "group_by": "model", "severity": "critical"}]}
            """), "alerts.json");
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, TimeProvider = _clock, Alerts = rules }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        await _gateway.Alerts.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        // haiku fails, then recovers: an alert in the history. sonnet fails: an alert firing now.
        await SendAsync(Haiku, 3, "overloaded");
        await EvaluateAsync();
        await SendAsync(Haiku, 12, null);
        await EvaluateAsync();
        await SendAsync(Sonnet, 3, "overloaded");
        await EvaluateAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await _gateway.Store.CountAsync() < _sent && DateTime.UtcNow < deadline)
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

    private async Task SendAsync(string model, int count, string? fault)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent($$"""{"model":"{{model}}","max_tokens":40,"messages":[{"role":"user","content":"ping"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", "sk-ant-" + "alerts-browser");
            request.Headers.Add("anthropic-version", "2023-06-01");
            if (fault is not null)
            {
                request.Headers.Add(MockFaults.Header, fault);
            }

            using var response = await _http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            _sent++;
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_gateway.Alerts.RecordsObserved < _sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>One evaluation period on the gateway's clock, and the evaluation it brings.</summary>
    private async Task EvaluateAsync()
    {
        var before = _gateway.Alerts.Evaluations;
        _clock.Advance(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_gateway.Alerts.Evaluations == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task The_overview_badge_leads_to_the_alerts_and_each_alert_to_the_calls_behind_it()
    {
        var api = await _http.GetFromJsonAsync<JsonElement>("/api/alerts");
        var firing = Assert.Single(api.GetProperty("firing").EnumerateArray());
        Assert.Equal(Sonnet, firing.GetProperty("group").GetProperty("model").GetString());
        Assert.Equal(["firing", "resolved"], api.GetProperty("history").EnumerateArray().Select(a => a.GetProperty("status").GetString()));

        Assert.True(File.Exists(Chromium), $"Debian's chromium is not installed at {Chromium}: install it (apt-get install -y chromium; .ci/run does)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

        // The Overview says one alert is firing, and which; so does the navigation.
        await page.GotoAsync(_gateway.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("main[data-view=overview]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        var badge = page.Locator("[data-testid=alerts-firing]");
        await Assertions.Expect(badge.Locator(".value")).ToHaveTextAsync("1");
        await Assertions.Expect(badge.Locator(".change")).ToContainTextAsync("errors · model=" + Sonnet);
        await Assertions.Expect(page.Locator("[data-testid=alerts-badge]")).ToHaveTextAsync("1");
        await Shot(page, "overview-alerts");

        // The badge opens the Alerts view: firing now, the history, the rule.
        await badge.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("view=alerts", StringComparison.Ordinal));
        var firingRows = page.Locator("[data-testid=alerts-firing-table] [data-testid=alert-row]");
        await Assertions.Expect(firingRows).ToHaveCountAsync(1);
        await Assertions.Expect(firingRows.First).ToContainTextAsync("model=" + Sonnet);
        await Assertions.Expect(firingRows.First).ToContainTextAsync("error rate 100% > 20% over 1m (3 calls)");
        var history = page.Locator("[data-testid=alerts-history-table] [data-testid=alert-row]");
        await Assertions.Expect(history).ToHaveCountAsync(2);
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("resolved");
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("model=" + Haiku);
        await Assertions.Expect(page.Locator("[data-testid=alerts-rules-table] [data-testid=rule-row]")).ToHaveCountAsync(1);
        var view = await firingRows.First.Locator("a", new LocatorLocatorOptions { HasText = "view" }).GetAttributeAsync("href");
        Assert.StartsWith("/?view=errors&range=custom&since=", view, StringComparison.Ordinal);
        Assert.Contains("model=" + Sonnet, view, StringComparison.Ordinal);
        Assert.EndsWith("/docs/alerts.md#runbook-error_rate", await firingRows.First.Locator("a", new LocatorLocatorOptions { HasText = "runbook" }).GetAttributeAsync("href"), StringComparison.Ordinal);
        await Shot(page, "alerts");

        // An alert opens on the calls behind it: sonnet's three 529s.
        await firingRows.First.Locator("a.link[data-alert]").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("alert=" + firing.GetProperty("alert_id").GetString(), StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=alert-title]")).ToHaveTextAsync("errors: firing");
        var calls = page.Locator("[data-testid=alert-calls-table] [data-testid=call-row]");
        await Assertions.Expect(calls).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await Assertions.Expect(calls.Nth(i)).ToContainTextAsync(Sonnet);
            await Assertions.Expect(calls.Nth(i)).ToContainTextAsync("error · overloaded_error");
        }

        await Shot(page, "alert");

        // The resolved one, from the history, lists haiku's failures.
        await page.ClickAsync("#views a[data-view=alerts]");
        await page.Locator("[data-testid=alerts-history-table] [data-testid=alert-row]").Nth(1).Locator("a.link[data-alert]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=alert-title]")).ToHaveTextAsync("errors: resolved");
        await Assertions.Expect(calls).ToHaveCountAsync(3);
        await Assertions.Expect(calls.First).ToContainTextAsync(Haiku);
    }

    /// <summary>Screenshots for docs/, only when asked (CLAUDIT_SCREENSHOTS=dir).</summary>
    private static async Task Shot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CLAUDIT_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"dashboard-{name}.png"), FullPage = true });
        }
    }
}
