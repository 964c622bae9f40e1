using System.Net;
using System.Text;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Reconcile;

/// <summary>
/// <c>claudit serve --admin-key-env</c>: the gateway reconciles finished days in the background against the mock's
/// Admin API, one call a minute at most, stores the result and serves it at <c>/api/reconcile</c>. One clock drives
/// the mock and the gateway, so the test decides when a day is finished and when a minute has passed.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class BackgroundReconcileTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Day.AddHours(10));
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-reconcile-").FullName;
    private readonly HttpClient _http = new();
    private MockServer? _mock;
    private GatewayServer? _gateway;

    private async Task StartAsync(BackgroundReconcileOptions? reconcile)
    {
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 15, RateLimits = new RateLimitSettings { Enforced = false }, TimeProvider = _time });
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, TimeProvider = _time, Reconcile = reconcile }, PriceTable.Default);
    }

    private async Task SendAsync(Uri to, string model, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(to, "/v1/messages"))
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":32,"messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-api03-background");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> ReconcileAsync(string query = "")
    {
        var text = await _http.GetStringAsync(new Uri(_gateway!.BaseAddress, "/api/reconcile" + query));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Waits (real time, bounded) until the endpoint shows what <paramref name="done"/> looks for.</summary>
    private async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            var json = await ReconcileAsync();
            if (done(json))
            {
                return json;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the background reconciliation did not get there: " + (await ReconcileAsync()).GetRawText());
    }

    private static int Calls(JsonElement json) => json.GetProperty("status").GetProperty("api_calls").GetInt32();

    [Fact]
    public async Task Finished_days_are_reconciled_one_api_call_a_minute_stored_and_served()
    {
        await StartAsync(new BackgroundReconcileOptions("sk-ant-admin01-background-key") { LookbackDays = 3 });
        await SendAsync(_gateway!.BaseAddress, "claude-sonnet-4-6", "Through the gateway.");
        await SendAsync(_gateway.BaseAddress, "claude-haiku-4-5", "Through the gateway too.");
        await SendAsync(_mock!.BaseAddress, "claude-sonnet-4-6", "Around the gateway.");
        // The store follows the journal a moment later; the test's clock must not jump before it holds both calls.
        for (var i = 0; i < 500 && await _gateway.Store.CountAsync() < 2; i++)
        {
            await Task.Delay(10);
        }

        // The first pass starts at once with the usage report; the cost report waits for the minute to pass.
        await WaitForAsync(j => Calls(j) == 1);
        _time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(200);
        Assert.Equal(1, Calls(await ReconcileAsync()));
        _time.Advance(TimeSpan.FromSeconds(1));
        var first = await WaitForAsync(j => j.GetProperty("status").GetProperty("last_run").ValueKind == JsonValueKind.String);
        Assert.Equal(2, Calls(first));
        // The 20th is not finished: nothing of it yet.
        Assert.Empty(first.GetProperty("rows").EnumerateArray());

        // An hour after midnight the 20th is finished; the next pass (hourly) reconciles it.
        _time.Advance(Day.AddDays(1).AddHours(1).AddMinutes(5) - _time.GetUtcNow());
        await WaitForAsync(j => Calls(j) == 3);
        _time.Advance(TimeSpan.FromMinutes(1));
        var done = await WaitForAsync(j => j.GetProperty("rows").GetArrayLength() > 0);

        Assert.Equal(4, Calls(done));
        Assert.Equal(
            [("2026-11-20T00:00:00Z", "claude-haiku-4-5", "match"), ("2026-11-20T00:00:00Z", "claude-sonnet-4-6", "unrecorded usage")],
            done.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("bucket").GetString(), r.GetProperty("model").GetString(), r.GetProperty("verdict").GetString())));
        var day = Assert.Single(done.GetProperty("days").EnumerateArray());
        Assert.Equal("2026-11-20", day.GetProperty("day").GetString());
        Assert.InRange(day.GetProperty("unrecorded_share").GetDouble(), 0.01, 0.99);
        Assert.Equal(done.GetProperty("totals").GetProperty("unrecorded_cost_usd").GetDecimal(), day.GetProperty("unrecorded_usd").GetDecimal());
        Assert.True(done.GetProperty("status").GetProperty("last_error").ValueKind == JsonValueKind.Null);

        // The built-in unrecorded_spend rule reads the stored day (queried every few minutes) and fires for it.
        var alert = await WaitForAlertAsync("unrecorded_spend");
        Assert.Equal("2026-11-20", alert.GetProperty("group").GetProperty("day").GetString());
        Assert.Equal(day.GetProperty("unrecorded_share").GetDouble(), alert.GetProperty("value").GetDouble(), 6); // alerts carry 6 decimals
        Assert.Equal(0.02, alert.GetProperty("threshold").GetDouble());
    }

    /// <summary>Moves the clock 10 s at a time (evaluations, the rule's reads) until <c>/api/alerts</c> shows the rule firing; bounded.</summary>
    private async Task<JsonElement> WaitForAlertAsync(string rule)
    {
        for (var i = 0; i < 120; i++)
        {
            var alerts = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_gateway!.BaseAddress, "/api/alerts"))).RootElement;
            if (alerts.GetProperty("firing").EnumerateArray().FirstOrDefault(a => a.GetProperty("rule").GetString() == rule) is { ValueKind: JsonValueKind.Object } firing)
            {
                return firing.Clone();
            }

            _time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(50);
        }

        throw new TimeoutException($"{rule} did not fire");
    }

    [Fact]
    public async Task A_refused_key_is_reported_without_the_key_and_tried_again_later()
    {
        const string NotAdmin = "sk-ant-api03-" + "not-an-admin-key-secret";
        await StartAsync(new BackgroundReconcileOptions(NotAdmin) { LookbackDays = 2 });

        var failed = await WaitForAsync(j => j.GetProperty("status").GetProperty("last_error").ValueKind == JsonValueKind.String);

        var error = failed.GetProperty("status").GetProperty("last_error").GetString()!;
        Assert.Contains("Admin API key", error, StringComparison.Ordinal);
        Assert.DoesNotContain(NotAdmin, failed.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(NotAdmin, new BackgroundReconcileOptions(NotAdmin).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_admin_key_the_endpoint_says_it_is_off_and_a_bad_days_is_400()
    {
        await StartAsync(reconcile: null);

        var off = await ReconcileAsync();
        Assert.False(off.GetProperty("status").GetProperty("enabled").GetBoolean());
        Assert.Empty(off.GetProperty("rows").EnumerateArray());
        using var bad = await _http.GetAsync(new Uri(_gateway!.BaseAddress, "/api/reconcile?days=0"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("days", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_mock is not null)
        {
            await _mock.DisposeAsync();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
