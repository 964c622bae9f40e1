using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Claudit.Alerts.Rules;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Xunit.Abstractions;

namespace Claudit.Server.Tests;

/// <summary>
/// Alerts that reach a person: faults sent through the real gateway to the mock (<c>x-mock-fault:
/// overloaded</c>) fire a rule from a rules file, and a real webhook receiver gets the firing message,
/// then the resolved one once healthy calls dilute the errors; <c>/api/alerts</c>, <c>/readyz</c> and
/// <c>/metrics</c> say the same. The time from the first faulty call to the firing POST is printed.
/// </summary>
[Collection(MetricsCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class AlertsEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Model = "claude-haiku-4-5";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-alerts-e2e-").FullName;
    private WebhookListener _hooks = null!;
    private MockServer _mock = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _hooks = await WebhookListener.StartAsync();
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 3, RateLimits = new RateLimitSettings { Enforced = false } });
        // The issue's example file, with a receiver of the test's own and a quick evaluation period.
        var rules = AlertsFile.Parse(Encoding.UTF8.GetBytes($$"""
            {"evaluate_every": "250ms", "defaults": false,
             "notify": [{"type": "webhook", "url": "{{_hooks.Url}}"}],
             "rules": [{"name": "errors", "metric": "error_rate", "above": 0.2, "window": "30s",
                        "for": "0s", "min_calls": 5, "group_by": "model"}]}
            """), "alerts.json");
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, Alerts = rules }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        await _gateway.Alerts.Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _mock.DisposeAsync();
        await _hooks.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<int> SendAsync(string? fault = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{Model}}","max_tokens":50,"messages":[{"role":"user","content":"Is it up?"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-" + "alerts-e2e");
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Faults_through_the_gateway_fire_then_resolve_at_a_real_webhook()
    {
        var firstFault = Stopwatch.GetTimestamp();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(529, await SendAsync("overloaded"));
        }

        var lastFault = Stopwatch.GetTimestamp();
        var firing = await _hooks.WaitForAsync(h => h.Text("status") == "firing", TimeSpan.FromSeconds(30), "firing notification");
        output.WriteLine($"first faulty call -> firing webhook POST: {Stopwatch.GetElapsedTime(firstFault, firing.ReceivedAt).TotalMilliseconds:F0} ms; "
            + $"the five calls took {Stopwatch.GetElapsedTime(firstFault, lastFault).TotalMilliseconds:F0} ms (evaluate_every 250ms)");
        Assert.Equal("errors", firing.Text("rule"));
        Assert.Equal("error_rate", firing.Text("metric"));
        Assert.Equal(Model, firing.Body.GetProperty("group").GetProperty("model").GetString());
        Assert.Equal(1.0, firing.Body.GetProperty("value").GetDouble());
        Assert.Equal(0.2, firing.Body.GetProperty("threshold").GetDouble());
        Assert.Equal(5, firing.Body.GetProperty("calls").GetInt64());
        Assert.True(DateTimeOffset.TryParse(firing.Text("started_at"), out _));
        Assert.StartsWith(_gateway.BaseAddress.ToString().TrimEnd('/') + "/?view=errors&range=custom&since=", firing.Text("dashboard_url"), StringComparison.Ordinal);
        Assert.EndsWith("/docs/alerts.md#runbook-error_rate", firing.Text("runbook_url"), StringComparison.Ordinal);

        // The alert as the dashboard sees it.
        var api = await _http.GetFromJsonAsync<JsonElement>("/api/alerts");
        var now = Assert.Single(api.GetProperty("firing").EnumerateArray());
        Assert.Equal(firing.Text("alert_id"), now.GetProperty("alert_id").GetString());
        Assert.Equal("errors", Assert.Single(api.GetProperty("rules").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(1, (await _http.GetFromJsonAsync<JsonElement>("/readyz")).GetProperty("alerts_firing").GetInt32());

        // Healthy calls bring the error rate under 20%: resolved, once.
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(200, await SendAsync());
        }

        var resolved = await _hooks.WaitForAsync(h => h.Text("status") == "resolved", TimeSpan.FromSeconds(30), "resolved notification");
        Assert.Equal(firing.Text("alert_id"), resolved.Text("alert_id"));
        Assert.True(DateTimeOffset.TryParse(resolved.Text("ended_at"), out _));
        Assert.Equal(["firing", "resolved"], _hooks.Received.Select(h => h.Text("status")));

        api = await _http.GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.Empty(api.GetProperty("firing").EnumerateArray());
        var history = Assert.Single(api.GetProperty("history").EnumerateArray());
        Assert.Equal("resolved", history.GetProperty("status").GetString());
        var one = await _http.GetFromJsonAsync<JsonElement>($"/api/alerts/{resolved.Text("alert_id")}");
        Assert.Equal("resolved", one.GetProperty("status").GetString());

        var ready = await _http.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal((0, 2L, 0L), (ready.GetProperty("alerts_firing").GetInt32(), ready.GetProperty("alert_notifications_sent").GetInt64(), ready.GetProperty("alert_notification_failures").GetInt64()));
        var scrape = await _http.GetStringAsync("/metrics");
        Assert.Matches(new Regex(@"^claudit_alert_notifications_sent_total(\{[^}]*\})? 2", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claudit_upstream_errors_total\{[^}]*error_type=""overloaded_error""[^}]*\} 5", RegexOptions.Multiline), scrape);
    }

    [Fact]
    public async Task The_api_rejects_what_it_cannot_read_and_serves_the_runbook()
    {
        using var badLimit = await _http.GetAsync("/api/alerts?limit=lots");
        Assert.Equal(400, (int)badLimit.StatusCode);
        Assert.Contains("limit", (await badLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        using var badId = await _http.GetAsync("/api/alerts/not-an-id");
        Assert.Equal(400, (int)badId.StatusCode);
        using var unknown = await _http.GetAsync($"/api/alerts/{Guid.CreateVersion7()}");
        Assert.Equal(404, (int)unknown.StatusCode);

        var runbook = await _http.GetStringAsync("/docs/alerts.md");
        Assert.Contains("<a id=\"runbook-error_rate\"></a>", runbook, StringComparison.Ordinal);
    }
}
