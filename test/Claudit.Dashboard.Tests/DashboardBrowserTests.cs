using System.Net.Http.Json;
using System.Text.Json;
using Claudit.Cli.Demo;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's, at /usr/bin/chromium; .ci/run installs it), under its strict CSP, over
/// demo traffic played through a real gateway in front of the mock, over a day of generated history: the page shows what the API answers,
/// filters go into the URL, and a session and a call open from the lists. The gateway runs on a clock of
/// the test's own, set to a fixed day and moving a millisecond each time it is read, so the history
/// never slides out of the 24 h window however slowly the machine runs the test.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-dashboard-e2e-").FullName;
    private MockServer _mock = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public async Task InitializeAsync()
    {
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 5, RateLimits = new RateLimitSettings { Enforced = false } });
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, TimeProvider = _clock }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };

        // A day of history behind the live traffic, one call every 30 s, so that charts have a shape.
        var now = _clock.GetUtcNow();
        var generator = new RecordGenerator(7, now.AddDays(-1));
        var history = Enumerable.Range(0, 2_880).Select(i =>
        {
            var start = now.AddDays(-1).AddSeconds(30 * (i + 1));
            return generator.Next() with { Id = Guid.CreateVersion7(start), StartTime = start };
        }).ToArray();
        await _gateway.Store.AppendAsync(history);
        var traffic = new DemoTraffic(DemoScenario.Plan(seed: 5, calls: 60), new DemoTrafficOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        await traffic.RunAsync(_gateway.BaseAddress);

        // The store takes records in batches: wait until it holds every attempt the traffic made.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await _gateway.Store.CountAsync() < history.Length + traffic.Attempts && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<JsonElement> Api(string path) => await _http.GetFromJsonAsync<JsonElement>(path);

    private static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Overview_filters_session_and_call()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.PageAsync(browser);
        var violations = Chromium.WatchForViolations(page); // the page must work under its own strict CSP
        var external = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(_gateway.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal))
            {
                external.Add(r.Url);
            }
        };

        // Overview: the cards show the API's numbers.
        await page.GotoAsync(_gateway.BaseAddress.ToString());
        var overview = await Api("/api/overview?range=24h");
        var requests = overview.GetProperty("current").GetProperty("requests").GetInt64();
        Assert.True(requests >= 60, $"the demo made {requests} calls");
        await Assertions.Expect(page.Locator("[data-testid=requests] .value")).ToHaveTextAsync(Count(requests));
        var cost = overview.GetProperty("current").GetProperty("cost_usd").GetDecimal();
        await Assertions.Expect(page.Locator("[data-testid=cost] .value")).ToHaveTextAsync("$" + cost.ToString(cost < 1 ? "F4" : "F2", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=cost] [data-testid=cost-basis]")).ToHaveTextAsync($"(as recorded, prices of {PriceTable.Default.Version})");
        await Chromium.ShotAsync(page, "overview");

        // A live range refreshes itself (every 10 s): a call stored now shows up without a reload.
        await _gateway.Store.AppendAsync([new CallRecord { Id = Guid.CreateVersion7(), StartTime = _clock.GetUtcNow(), ModelRequested = DemoScenario.Opus, LatencyMs = 5 }]);
        requests++;
        await Assertions.Expect(page.Locator("[data-testid=requests] .value")).ToHaveTextAsync(Count(requests), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });

        // A filter goes into the URL and the numbers follow it.
        await page.FillAsync("input[name=model]", DemoScenario.Haiku);
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("model=" + DemoScenario.Haiku, StringComparison.Ordinal));
        var haiku = (await Api("/api/overview?range=24h&model=" + DemoScenario.Haiku)).GetProperty("current").GetProperty("requests").GetInt64();
        Assert.True(haiku > 0 && haiku < requests, $"haiku {haiku} of {requests}");
        await Assertions.Expect(page.Locator("[data-testid=requests] .value")).ToHaveTextAsync(Count(haiku));

        // A custom range goes into the URL too, and the numbers are the API's for that range.
        var since = _clock.GetUtcNow().AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var until = _clock.GetUtcNow().AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await page.SelectOptionAsync("select[name=range]", "custom");
        await page.FillAsync("input[name=since]", since);
        await page.FillAsync("input[name=until]", until);
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("range=custom", StringComparison.Ordinal) && u.Contains("since=", StringComparison.Ordinal));
        var custom = (await Api($"/api/overview?range=custom&since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(until)}&model={DemoScenario.Haiku}"))
            .GetProperty("current").GetProperty("requests").GetInt64();
        await Assertions.Expect(page.Locator("[data-testid=requests] .value")).ToHaveTextAsync(Count(custom));
        await page.SelectOptionAsync("select[name=range]", "24h");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("range=24h", StringComparison.Ordinal));

        // Re-pricing is a choice in the filters, and the label says which table did it.
        await page.SelectOptionAsync("select[name=cost]", "recomputed");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("cost=recomputed", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=cost] [data-testid=cost-basis]")).ToHaveTextAsync($"(re-priced, prices of {PriceTable.Default.Version})");
        await page.SelectOptionAsync("select[name=cost]", "");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("cost=", StringComparison.Ordinal));

        // The other views render over the same filter.
        foreach (var view in new[] { "cost", "latency", "errors", "quality", "models" })
        {
            await page.ClickAsync($"#views a[data-view={view}]");
            await Assertions.Expect(page.Locator($"main[data-view={view}]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=error]")).ToHaveCountAsync(0);
            Assert.Contains("model=" + DemoScenario.Haiku, page.Url, StringComparison.Ordinal);
            await Chromium.ShotAsync(page, view);
        }

        // Sessions → one session → one call.
        await page.FillAsync("input[name=model]", "");
        await page.ClickAsync("#filters button[type=submit]");
        await page.ClickAsync("#views a[data-view=sessions]");
        var sessions = await Api("/api/sessions?range=24h&limit=100");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(sessions.GetArrayLength());
        await Chromium.ShotAsync(page, "sessions");
        var first = sessions[0];
        await page.Locator("[data-testid=session-row] a[data-session]").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("session=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=session-title]")).ToHaveTextAsync("Session " + first.GetProperty("id").GetString());
        await Assertions.Expect(page.Locator("[data-testid=session-calls] .value")).ToHaveTextAsync(Count(first.GetProperty("calls").GetInt64()));
        await Chromium.ShotAsync(page, "session");

        var detail = await Api("/api/sessions/" + Uri.EscapeDataString(first.GetProperty("id").GetString()!));
        var callId = detail.GetProperty("calls")[0].GetProperty("id").GetString();
        await page.Locator($"a[data-call='{callId}']").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("call=" + callId, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=call-title]")).ToHaveTextAsync("Call " + callId);
        var fields = await page.Locator("[data-testid=call-fields]").InnerTextAsync();
        Assert.Contains("latency_ms", fields, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-", fields, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoTrafficOptions.DemoApiKey, await page.ContentAsync(), StringComparison.Ordinal);
        await Chromium.ShotAsync(page, "call");

        // Recent errors link to their call by request id.
        await page.ClickAsync("#views a[data-view=errors]");
        var errors = await Api("/api/calls?range=24h&status=error&limit=25");
        Assert.True(errors.GetArrayLength() > 0, "the demo's traffic has errors (rate limits, overloads)");
        await Assertions.Expect(page.Locator("[data-testid=error-row]")).ToHaveCountAsync(errors.GetArrayLength());
        var errorId = errors[0].GetProperty("id").GetString();
        await page.Locator($"[data-testid=error-row] a[data-call='{errorId}']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=call-title]")).ToHaveTextAsync("Call " + errorId);
        Assert.Contains(errors[0].GetProperty("error_type").GetString()!, await page.Locator("[data-testid=call-fields]").InnerTextAsync(), StringComparison.Ordinal);

        Assert.Empty(external);
        Assert.Empty(violations);
    }
}
