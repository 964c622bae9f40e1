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

        // Overview: the cards show the API's numbers, over the default range that fits the data (the day of history).
        await page.GotoAsync(_gateway.BaseAddress.ToString());
        await Chromium.ViewDrawnAsync(page, "overview");
        var overview = (await Api("/api/views/overview?range=auto")).GetProperty("overview");
        var requests = overview.GetProperty("current").GetProperty("requests").GetInt64();
        Assert.True(requests >= 60, $"the demo made {requests} calls");
        await Assertions.Expect(page.Locator("[data-testid=requests] .value")).ToHaveTextAsync(Count(requests));
        var cost = overview.GetProperty("current").GetProperty("cost_usd").GetDecimal();
        await Assertions.Expect(page.Locator("[data-testid=cost] .value")).ToHaveTextAsync("$" + cost.ToString(cost < 1 ? "F4" : "N2", System.Globalization.CultureInfo.InvariantCulture));
        var failed = overview.GetProperty("current").GetProperty("failure_rate_after_retries").GetDouble();
        Assert.True(failed < overview.GetProperty("current").GetProperty("error_rate").GetDouble(), "the demo's retries rescue some failed attempts");
        await Assertions.Expect(page.Locator("[data-testid=failure-rate] .value")).ToHaveTextAsync((failed * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "%");
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
        var haiku = (await Api("/api/views/overview?range=auto&model=" + DemoScenario.Haiku)).GetProperty("overview").GetProperty("current").GetProperty("requests").GetInt64();
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
        var sessions = await Api("/api/sessions?range=24h&limit=50");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(sessions.GetArrayLength());
        await Chromium.ShotAsync(page, "sessions");
        var first = sessions[0];
        await page.Locator("[data-testid=session-row] a[data-session]").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("session=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=session-title]")).ToHaveTextAsync("Session " + first.GetProperty("id").GetString());
        await Assertions.Expect(page.Locator("[data-testid=session-calls] .value")).ToHaveTextAsync(Count(first.GetProperty("calls").GetInt64()));
        // This gateway does not capture content: the session says so, and how to turn it on.
        await Assertions.Expect(page.Locator("[data-testid=content-off]")).ToContainTextAsync("--capture-content");
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

    [Fact]
    public async Task A_first_load_makes_its_view_request_once_and_the_page_starts_it_before_app_js_runs()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.PageAsync(browser);
        var violations = Chromium.WatchForViolations(page);
        var viewRequests = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/views/", StringComparison.Ordinal))
            {
                lock (viewRequests)
                {
                    viewRequests.Add(r.Url);
                }
            }
        };
        var root = _gateway.BaseAddress.ToString().TrimEnd('/');
        (string Page, string View, Dictionary<string, string> Expected)[] cases =
        [
            ("/", "overview", new() { ["range"] = "auto" }),
            ("/?view=cost&by=feature&range=24h&since=2026-01-01T00:00Z", "cost", new() { ["range"] = "24h", ["by"] = "feature" }),
            ("/?view=calls&status=error&order=latency&property.team=search%20ranking&range=custom&since=2026-11-19T00:00Z&until=2026-11-21T00:00Z&unknown=1", "calls",
                new() { ["range"] = "custom", ["since"] = "2026-11-19T00:00Z", ["until"] = "2026-11-21T00:00Z", ["status"] = "error", ["order"] = "latency", ["property.team"] = "search ranking" }),
        ];
        foreach (var (path, view, expected) in cases)
        {
            viewRequests.Clear();
            var response = await page.GotoAsync(root + path);
            var html = await response!.TextAsync();
            await Chromium.ViewDrawnAsync(page, view);
            var preload = await page.Locator("link#view-data").GetAttributeAsync("href");
            Assert.Contains("rel=\"preload\" as=\"fetch\"", html, StringComparison.Ordinal);
            var request = Assert.Single(viewRequests);
            Assert.Equal(root + preload, request);
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(request).Query);
            Assert.Equal(expected.OrderBy(p => p.Key), query.AllKeys.Select(k => new KeyValuePair<string, string>(k!, query[k]!)).OrderBy(p => p.Key));
        }

        // Pages that show one session or call, or a view of another API, name no view request.
        var session = (await Api("/api/views/sessions?range=auto")).GetProperty("sessions")[0].GetProperty("id").GetString();
        foreach (var path in new[] { "/?session=" + Uri.EscapeDataString(session!), "/?view=budgets" })
        {
            var response = await page.GotoAsync(root + path);
            Assert.DoesNotContain("view-data", await response!.TextAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(violations);
    }

    [Fact]
    public async Task Every_chart_point_and_table_row_opens_the_calls_behind_it()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.PageAsync(browser);
        var violations = Chromium.WatchForViolations(page);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        async Task<JsonElement> Calls(string query) => (await Api("/api/views/calls?" + query)).GetProperty("calls");
        async Task Drilled(string urlPart, string query)
        {
            await page.WaitForURLAsync(u => u.Contains("view=calls", StringComparison.Ordinal) && u.Contains(urlPart, StringComparison.Ordinal));
            await Chromium.ViewDrawnAsync(page, "calls");
            var expected = await Calls(query);
            Assert.True(expected.GetArrayLength() > 0, $"{query} has calls");
            await Assertions.Expect(page.Locator("[data-testid=call-row]")).ToHaveCountAsync(expected.GetArrayLength());
            await Assertions.Expect(page.Locator("[data-testid=call-row]").First).ToContainTextAsync(expected[0].GetProperty("start_time").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv));
        }

        // Is it up: the gateway, the store's lag, alerts and budgets, on the Overview.
        await page.GotoAsync(_gateway.BaseAddress.ToString());
        await Chromium.ViewDrawnAsync(page, "overview");
        await Assertions.Expect(page.Locator("[data-testid=gateway-status] .value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(ready|degraded)$"));
        await Assertions.Expect(page.Locator("[data-testid=store-lag] .change")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=alerts-firing] .value")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-testid=budgets-near-limit] .value")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-testid=p95-latency] [data-testid=sla]")).ToContainTextAsync("objective 10.0 s");

        // A bucket of the requests chart: the calls of its minutes.
        var bucket = page.Locator("[data-testid=requests-chart] rect.hit[data-drill]").Last;
        var drill = System.Web.HttpUtility.ParseQueryString((await bucket.GetAttributeAsync("data-drill"))!);
        await bucket.ClickAsync();
        await Drilled("since=", $"range=custom&since={Uri.EscapeDataString(drill["since"]!)}&until={Uri.EscapeDataString(drill["until"]!)}");

        // The range stays as the drill-down set it until changed: back to the one that fits the data.
        await page.SelectOptionAsync("select[name=range]", "auto");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("range=", StringComparison.Ordinal));

        // An error cause: its calls, every one of that type.
        await page.ClickAsync("#views a[data-view=errors]");
        await Chromium.ViewDrawnAsync(page, "errors");
        var cause = page.Locator("[data-testid=error-group-row]").First;
        var type = (await cause.Locator("td").First.InnerTextAsync()).Trim();
        await cause.ClickAsync();
        await Drilled("error_type=" + type, $"range=auto&status=error&error_type={type}");
        foreach (var row in await page.Locator("[data-testid=call-row]").AllAsync())
        {
            await Assertions.Expect(row).ToContainTextAsync("error · " + type);
        }

        // A model, a stop reason, an endpoint: each row opens its calls.
        await page.ClickAsync("#views a[data-view=models]");
        await Chromium.ViewDrawnAsync(page, "models");
        var model = (await page.Locator("[data-testid=model-row] td").First.InnerTextAsync()).Trim();
        await page.Locator("[data-testid=model-row]").First.ClickAsync();
        await Drilled("model=" + model, "range=auto&model=" + model);
        await Assertions.Expect(page.Locator("input[name=model]")).ToHaveValueAsync(model); // a shared filter: in the form, for every view
        await page.FillAsync("input[name=model]", "");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("model=", StringComparison.Ordinal));

        await page.ClickAsync("#views a[data-view=quality]");
        await Chromium.ViewDrawnAsync(page, "quality");
        await page.Locator("[data-testid=stop-row]", new PageLocatorOptions { HasText = "max_tokens" }).ClickAsync();
        await Drilled("stop_reason=max_tokens", "range=auto&status=ok&stop_reason=max_tokens");
        Assert.Contains("stop_reason=max_tokens", page.Url, StringComparison.Ordinal);

        // Keyboard: Enter on a focused row drills too.
        await page.ClickAsync("#views a[data-view=overview]");
        await Chromium.ViewDrawnAsync(page, "overview");
        await page.Locator("[data-testid=endpoint-row]").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Drilled("endpoint=messages", "range=auto&endpoint=messages");

        // The Calls view: search, a Claudit-Property-* filter, sorting and paging, all on the server.
        await page.FillAsync("[data-testid=call-search]", "claude-haiku");
        await page.PressAsync("[data-testid=call-search]", "Enter");
        await Drilled("q=claude-haiku", "range=auto&endpoint=messages&q=claude-haiku");
        await page.SelectOptionAsync("select[name=endpoint]", "");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("endpoint=messages", StringComparison.Ordinal));
        // The view redraws (its search box with it) once its request answers: the box is cleared after that, not before.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.FillAsync("[data-testid=call-search]", "");
        await page.PressAsync("[data-testid=call-search]", "Enter");
        await page.WaitForURLAsync(u => !u.Contains("q=", StringComparison.Ordinal));

        // The demo's calls carry Claudit-Property-* headers: one of them, as a filter.
        JsonElement demoCall = default, record = default;
        foreach (var candidate in (await Api("/api/calls?range=24h&limit=300")).EnumerateArray().Where(c => c.GetProperty("request_id").GetString() is not null))
        {
            record = await Api("/api/calls/" + candidate.GetProperty("id").GetString());
            if (record.GetProperty("tags").TryGetProperty("properties", out var found) && found.ValueKind == JsonValueKind.Object && found.EnumerateObject().Any())
            {
                demoCall = candidate;
                break;
            }
        }

        Assert.Equal(JsonValueKind.Object, demoCall.ValueKind);
        var property = record.GetProperty("tags").GetProperty("properties").EnumerateObject().First();
        await page.FillAsync("[data-testid=property-filter]", $"{property.Name}={property.Value.GetString()}");
        await page.PressAsync("[data-testid=property-filter]", "Enter");
        await Drilled("property." + property.Name, $"range=auto&property.{property.Name}={Uri.EscapeDataString(property.Value.GetString()!)}");
        await Assertions.Expect(page.Locator("[data-testid=chip]")).ToContainTextAsync("Claudit-Property-" + property.Name);
        await page.ClickAsync("#views a[data-view=calls]");
        await Chromium.ViewDrawnAsync(page, "calls");
        await page.ClickAsync("a.sort[data-order=latency]");
        await page.WaitForURLAsync(u => u.Contains("order=latency", StringComparison.Ordinal));
        var slowest = (await Calls("range=auto&order=latency"))[0];
        await Assertions.Expect(page.Locator("[data-testid=call-row]").First).ToContainTextAsync(slowest.GetProperty("start_time").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv));
        await page.ClickAsync("[data-testid=calls-pager-next]");
        await page.WaitForURLAsync(u => u.Contains("offset=50", StringComparison.Ordinal));
        var second = (await Calls("range=auto&order=latency&offset=50"))[0];
        await Assertions.Expect(page.Locator("[data-testid=call-row]").First).ToContainTextAsync(second.GetProperty("start_time").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv));
        await Chromium.ShotAsync(page, "calls");

        // Find by Anthropic's request id: the call opens; its trace lists the trace's calls.
        await page.FillAsync("[data-testid=find]", demoCall.GetProperty("request_id").GetString()!);
        await page.PressAsync("[data-testid=find]", "Enter");
        await Assertions.Expect(page.Locator("[data-testid=call-title]")).ToHaveTextAsync("Call " + demoCall.GetProperty("id").GetString());
        await Assertions.Expect(page.Locator("[data-testid=call-facts]")).ToContainTextAsync(demoCall.GetProperty("request_id").GetString()!);
        await page.Locator("a.link[data-trace]").ClickAsync();
        await Drilled("trace_id=", "range=30d&trace_id=" + record.GetProperty("tags").GetProperty("trace_id").GetString());

        // A session as a conversation: one row per turn, retries folded under it, cost adding up.
        await page.ClickAsync("#views a[data-view=sessions]");
        await Chromium.ViewDrawnAsync(page, "sessions");
        var sessionPage = await Api("/api/views/sessions?range=auto");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(sessionPage.GetProperty("sessions").GetArrayLength());
        Assert.True(sessionPage.GetProperty("has_more").GetBoolean(), "a day of history has more than a page of sessions");
        await page.ClickAsync("[data-testid=sessions-pager-next]");
        await page.WaitForURLAsync(u => u.Contains("offset=50", StringComparison.Ordinal));
        var retried = (await Api("/api/calls?range=24h&limit=1000")).EnumerateArray().First(c => c.GetProperty("parent_id").ValueKind == JsonValueKind.String && c.GetProperty("session").ValueKind == JsonValueKind.String);
        var session = retried.GetProperty("session").GetString()!;
        var detail = await Api("/api/sessions/" + Uri.EscapeDataString(session));
        var turns = detail.GetProperty("calls").EnumerateArray().Count(c => c.GetProperty("parent_id").ValueKind != JsonValueKind.String);
        await page.GotoAsync($"{_gateway.BaseAddress}?session={Uri.EscapeDataString(session)}");
        await Assertions.Expect(page.Locator("[data-testid=turn-row]")).ToHaveCountAsync(turns);
        await Assertions.Expect(page.Locator("[data-testid=session-turns] .value")).ToHaveTextAsync(Count(turns));
        await Assertions.Expect(page.Locator("[data-testid=turn-row] details summary").First).ToContainTextAsync("retr");
        var total = detail.GetProperty("session").GetProperty("cost_usd").GetDecimal();
        await Assertions.Expect(page.Locator("[data-testid=running-cost]").Last).ToHaveTextAsync("$" + total.ToString(total < 1 ? "F4" : "N2", inv));
        await Assertions.Expect(page.Locator("[data-testid=session-timeline] svg text").First).ToContainTextAsync("+");

        Assert.Empty(violations);
    }
}
