using System.Net;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests;

/// <summary>
/// The dashboard API over a real gateway's real DuckDB store, filled with known records: every number
/// is worked out by hand below and checked exactly.
/// </summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-dashboard-api-").FullName;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    private static readonly Guid R1 = Guid.CreateVersion7(Now.AddMinutes(-55));
    private static readonly Guid R2 = Guid.CreateVersion7(Now.AddMinutes(-50));
    private static readonly Guid R3 = Guid.CreateVersion7(Now.AddMinutes(-40));
    private static readonly Guid R4 = Guid.CreateVersion7(Now.AddMinutes(-20));

    public async Task InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync(
            new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = _dataDir, TimeProvider = new FakeTimeProvider(Now), DailyBudgetUsd = 1.5m }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        CallRecord Call(Guid id, int minutesAgo, string model, double latency) => new()
        {
            Id = id, StartTime = Now.AddMinutes(-minutesAgo), ModelRequested = model, ModelUsed = model, LatencyMs = latency,
        };
        static TokenUsage Usage(long input, long output, long cacheRead = 0) =>
            new() { InputTokens = input, OutputTokens = output, CacheCreationInputTokens = 0, CacheReadInputTokens = cacheRead };
        var tags1 = new CallTags { Session = "s1", Feature = "chat", User = "u1", Tenant = "t1" };
        var tags2 = new CallTags { Session = "s2", Feature = "search", User = "u2", Tenant = "t2" };
        await _gateway.Store.AppendAsync(
        [
            // the previous hour: one call
            Call(Guid.CreateVersion7(Now.AddMinutes(-90)), 90, "claude-sonnet-4-6", 100) with { Usage = Usage(100, 10), Cost = new CallCost { Priced = true, TotalUsd = 1.0m, InputUsd = 1.0m } },
            Call(R1, 55, "claude-sonnet-4-6", 100) with
            {
                Usage = Usage(100, 10, cacheRead: 100), TtftMs = 60, Tags = tags1, ToolCalls = [new ToolCallInfo("search", ["q"])], StopReason = "tool_use",
                Cost = new CallCost { Priced = true, TotalUsd = 0.5m, InputUsd = 0.1m, CacheWrite5mUsd = 0.05m, CacheWrite1hUsd = 0.05m, CacheReadUsd = 0.05m, OutputUsd = 0.2m, WebSearchUsd = 0.05m },
            },
            Call(R2, 50, "claude-sonnet-4-6", 200) with { Usage = Usage(100, 10), TtftMs = 60, Tags = tags1, StopReason = "max_tokens", QualityFlags = ["max_tokens"], Cost = new CallCost { Priced = true, TotalUsd = 0.25m, InputUsd = 0.25m } },
            Call(R3, 40, "claude-haiku-4-5", 300) with
            {
                Status = CallStatus.Error, HttpStatus = 529, Tags = tags2, RequestId = "req_err",
                Error = new CallError { Type = ErrorTypes.Overloaded, Message = "Overloaded", Retryable = true },
            },
            Call(R4, 20, "claude-haiku-4-5", 500) with { Usage = Usage(200, 10), Tags = tags2, StopReason = "end_turn", Cost = new CallCost { Priced = true, TotalUsd = 0.125m, OutputUsd = 0.125m } },
            Call(Guid.CreateVersion7(Now.AddMinutes(-10)), 10, "mystery-model", 500) with { Usage = Usage(100, 10), StopReason = "end_turn", Cost = CallCost.Unpriced("unknown_model", null) },
        ]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<JsonElement> Get(string path)
    {
        using var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static double?[] Values(JsonElement series, string key) =>
        [.. series.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key).GetProperty("values").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];

    [Fact]
    public async Task Cost_is_the_recorded_cost_by_default_and_re_priced_only_when_asked_each_labelled()
    {
        var recorded = await Get("/api/overview?range=1h");
        Assert.Equal("recorded", recorded.GetProperty("cost_mode").GetString());
        Assert.Equal(0.875m, recorded.GetProperty("current").GetProperty("cost_usd").GetDecimal()); // 0.5 + 0.25 + 0.125, as recorded
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("price_tables").ValueKind); // these hand-made costs name no table

        var repriced = await Get("/api/overview?range=1h&cost=recomputed");
        Assert.Equal("recomputed", repriced.GetProperty("cost_mode").GetString());
        Assert.Equal(PriceTable.Default.Version, repriced.GetProperty("price_tables").GetString());
        // sonnet-4-6 $3/$15, cache read $0.30; haiku-4-5 $1/$5 (per million): the tokens re-priced with today's table
        var expected = (100 * 3m + 10 * 15m + 100 * 0.30m) / 1_000_000 + (100 * 3m + 10 * 15m) / 1_000_000 + (200 * 1m + 10 * 5m) / 1_000_000;
        Assert.Equal(expected, repriced.GetProperty("current").GetProperty("cost_usd").GetDecimal());
        var byModel = await Get("/api/breakdown?range=1h&by=model&cost=recomputed");
        Assert.Equal((200 * 1m + 10 * 5m) / 1_000_000, byModel.EnumerateArray().Single(r => r.GetProperty("key").GetString() == "claude-haiku-4-5").GetProperty("cost_usd").GetDecimal());

        using var bad = await _http.GetAsync("/api/overview?cost=cheapest");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cost must be recorded or recomputed", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_counts_the_range_and_the_one_before()
    {
        var o = await Get("/api/overview?range=1h");
        var c = o.GetProperty("current");
        Assert.Equal(Now.AddHours(-1), c.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(5, c.GetProperty("requests").GetInt64());
        Assert.Equal(1, c.GetProperty("errors").GetInt64());
        Assert.Equal(0.2, c.GetProperty("error_rate").GetDouble());
        Assert.Equal(0.875m, c.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3, c.GetProperty("priced_calls").GetInt64());
        Assert.Equal(1, c.GetProperty("unpriced_calls").GetInt64());
        Assert.Equal(0.75, c.GetProperty("cost_coverage").GetDouble());
        Assert.Equal(500, c.GetProperty("p95_latency_ms").GetDouble()); // 100, 200, 300, 500, 500
        Assert.Equal(60, c.GetProperty("p95_ttft_ms").GetDouble());
        Assert.Equal(100.0 / 600, c.GetProperty("cache_hit_rate").GetDouble()); // read 100 of 100+100 + 100 + 200 + 100
        var p = o.GetProperty("previous");
        Assert.Equal(1, p.GetProperty("requests").GetInt64());
        Assert.Equal(1.0m, p.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(Now.AddHours(-2), p.GetProperty("since").GetDateTimeOffset());
    }

    [Fact]
    public async Task Overview_filters_by_tenant_and_model()
    {
        var c = (await Get("/api/overview?range=1h&tenant=t2")).GetProperty("current");
        Assert.Equal(2, c.GetProperty("requests").GetInt64());
        Assert.Equal(0.125m, c.GetProperty("cost_usd").GetDecimal());
        var sonnet = (await Get("/api/overview?range=1h&model=claude-sonnet")).GetProperty("current");
        Assert.Equal(2, sonnet.GetProperty("requests").GetInt64());
        Assert.Equal(0.75m, sonnet.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Timeseries_buckets_requests_errors_and_cost_by_token_class()
    {
        var requests = await Get("/api/timeseries?range=1h&metric=requests&bucket=600");
        Assert.Equal(600, requests.GetProperty("bucket_seconds").GetInt32());
        Assert.Equal(6, requests.GetProperty("buckets").GetArrayLength());
        Assert.Equal([1, 1, 1, 0, 1, 1], Values(requests, "total")); // 11:05, 11:10, 11:20, -, 11:40, 11:50
    }

    [Fact]
    public async Task Timeseries_cost_by_token_class_sums_recorded_cost_columns()
    {
        var cost = await Get("/api/timeseries?range=1h&metric=cost&by=token_class&bucket=3600");
        Assert.Equal([0.35], Values(cost, "input"));
        Assert.Equal([0.05], Values(cost, "cache_write_5m"));
        Assert.Equal([0.05], Values(cost, "cache_write_1h"));
        Assert.Equal([0.05], Values(cost, "cache_read"));
        Assert.Equal([0.325], Values(cost, "output"));
        Assert.Equal([0.05], Values(cost, "web_search"));
        var errors = await Get("/api/timeseries?range=1h&metric=errors&by=error_type&bucket=1800");
        Assert.Equal([1, 0], Values(errors, ErrorTypes.Overloaded));
        var latency = await Get("/api/timeseries?range=1h&metric=latency&by=model&stat=p50&bucket=3600");
        Assert.Equal([400], Values(latency, "claude-haiku-4-5")); // the median of 300 and 500
    }

    [Fact]
    public async Task Sessions_list_and_one_session_timeline()
    {
        var sessions = await Get("/api/sessions?range=1h");
        Assert.Equal(["s2", "s1"], sessions.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var s1 = sessions[1];
        Assert.Equal(2, s1.GetProperty("calls").GetInt64());
        Assert.Equal(0.75m, s1.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(5 * 60_000 + 200, s1.GetProperty("duration_ms").GetDouble());
        Assert.Equal(1, s1.GetProperty("tool_calls").GetInt64());
        Assert.Equal(1, sessions[0].GetProperty("errors").GetInt64());

        var detail = await Get("/api/sessions/s1");
        Assert.Equal([R1, R2], detail.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal("search", detail.GetProperty("calls")[0].GetProperty("tools")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sessions/nope")).StatusCode);
    }

    [Fact]
    public async Task Calls_by_cost_and_errors()
    {
        var top = await Get("/api/calls?range=1h&order=cost");
        Assert.Equal([R1, R2, R4], top.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(0.5m, top[0].GetProperty("cost_usd").GetDecimal());
        var errors = await Get("/api/calls?range=1h&status=error");
        var e = Assert.Single(errors.EnumerateArray());
        Assert.Equal(R3, e.GetProperty("id").GetGuid());
        Assert.Equal(ErrorTypes.Overloaded, e.GetProperty("error_type").GetString());
        Assert.Equal(529, e.GetProperty("http_status").GetInt32());
        Assert.Equal("req_err", e.GetProperty("request_id").GetString());
        var page = await Get("/api/calls?range=1h&limit=2&offset=1");
        Assert.Equal([R4, R3], page.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Breakdown_by_model_and_tenant()
    {
        var models = await Get("/api/breakdown?range=1h&by=model");
        Assert.Equal(["claude-sonnet-4-6", "claude-haiku-4-5", "mystery-model"], models.EnumerateArray().Select(m => m.GetProperty("key").GetString()));
        var sonnet = models[0];
        Assert.Equal(2, sonnet.GetProperty("calls").GetInt64());
        Assert.Equal(0.75m, sonnet.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(200, sonnet.GetProperty("input_tokens").GetInt64());
        Assert.Equal(20, sonnet.GetProperty("output_tokens").GetInt64());
        Assert.Equal(150, sonnet.GetProperty("latency_p50_ms").GetDouble());
        Assert.Equal(0.5, models[1].GetProperty("error_rate").GetDouble());
        var tenants = await Get("/api/breakdown?range=1h&by=tenant");
        Assert.Equal(["t1", "t2", "(none)"], tenants.EnumerateArray().Select(m => m.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Quality_counts_stop_reasons_truncation_tools_and_flags_of_answered_calls()
    {
        var q = await Get("/api/quality?range=1h");
        Assert.Equal(4, q.GetProperty("answered").GetInt64());
        Assert.Equal(["end_turn:2:0.5", "max_tokens:1:0.25", "tool_use:1:0.25"],
            q.GetProperty("stop_reasons").EnumerateArray().Select(s => $"{s.GetProperty("key").GetString()}:{s.GetProperty("count").GetInt64()}:{s.GetProperty("share").GetDouble()}"));
        Assert.Equal(0.25, q.GetProperty("max_tokens_truncation_rate").GetDouble());
        Assert.Equal(0.25, q.GetProperty("tool_calls_per_call").GetDouble());
        var flag = Assert.Single(q.GetProperty("quality_flags").EnumerateArray());
        Assert.Equal("max_tokens", flag.GetProperty("key").GetString());
        Assert.Equal(0.25, flag.GetProperty("share").GetDouble());
    }

    [Fact]
    public async Task Cost_per_session_distribution()
    {
        var d = await Get("/api/sessions/costs?range=1h");
        Assert.Equal(2, d.GetProperty("sessions").GetInt64()); // s1 0.75, s2 0.125
        Assert.Equal(0.4375, d.GetProperty("p50_usd").GetDouble());
        Assert.Equal(0.75, d.GetProperty("max_usd").GetDouble());
        Assert.Equal(0.4375, d.GetProperty("mean_usd").GetDouble());
        var bins = d.GetProperty("bins").EnumerateArray().Select(b => (b.GetProperty("from_usd").GetDecimal(), b.GetProperty("sessions").GetInt64())).ToArray();
        Assert.Equal([(0m, 0L), (0.001m, 0L), (0.01m, 0L), (0.1m, 2L), (1m, 0L), (10m, 0L)], bins);
    }

    [Fact]
    public async Task Budget_compares_each_days_recorded_cost_with_the_daily_budget()
    {
        var budget = await Get("/api/budget?range=24h");
        Assert.Equal(1.5m, budget.GetProperty("daily_budget_usd").GetDecimal());
        var day = Assert.Single(budget.GetProperty("days").EnumerateArray());
        Assert.Equal("2026-11-01", day.GetProperty("date").GetString());
        Assert.Equal(1.875m, day.GetProperty("cost_usd").GetDecimal()); // 1.0 the hour before, 0.875 in the last hour
        Assert.Equal(6, day.GetProperty("calls").GetInt64());
        Assert.Equal(1.25, day.GetProperty("share_of_budget").GetDouble());
    }

    [Theory]
    [InlineData("/api/timeseries?metric=bogus", "metric must be one of")]
    [InlineData("/api/timeseries?metric=latency&by=token_class", "only cost")]
    [InlineData("/api/overview?range=2h", "range must be one of")]
    [InlineData("/api/overview?range=custom&since=2026-11-01", "custom range needs")]
    [InlineData("/api/calls?limit=5000", "limit must be")]
    [InlineData("/api/breakdown?by=session", "by must be one of")]
    public async Task Bad_parameters_answer_400_naming_them(string path, string message)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_parameters_mean_their_defaults()
    {
        var series = await Get("/api/timeseries?range=1h&metric=&by=&stat=&bucket=");
        Assert.Equal("requests", series.GetProperty("metric").GetString());
        Assert.Equal(60, series.GetProperty("bucket_seconds").GetInt32()); // an hour in at most 200 buckets
        Assert.Equal(5, Values(series, "total").Sum());
        Assert.Equal(5, (await Get("/api/calls?range=1h&order=&status=&limit=&offset=")).GetArrayLength());
        // range defaults to 24h: the last hour's five calls and the one before
        Assert.Equal(6, (await Get("/api/overview?range=&model=&feature=&user=&tenant=&since=&until=")).GetProperty("current").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task The_page_and_its_files_are_served_and_load_nothing_from_outside()
    {
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/dashboard/app.js", "text/javascript"), ("/dashboard/app.css", "text/css") })
        {
            using var response = await _http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/dashboard/nope.js")).StatusCode);
    }
}
