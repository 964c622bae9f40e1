using System.Net;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// The dashboard's drill-down over a real gateway and store: every filter a chart point or table row opens
/// the calls with (error type, stop reason, status, request id, trace id, caller-defined properties, a text
/// search), sorting and paging on the server, lookup by Anthropic's request id, a view in one answer, and 400
/// for a parameter the API does not know instead of silently ignoring it.
/// </summary>
public sealed class DashboardDrillDownTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private DashboardGateway _dashboard = null!;

    private static readonly Guid Failed = Guid.CreateVersion7(Now.AddMinutes(-30));
    private static readonly Guid Retried = Guid.CreateVersion7(Now.AddMinutes(-29));
    private static readonly Guid Truncated = Guid.CreateVersion7(Now.AddMinutes(-20));
    private static readonly Guid Tagged = Guid.CreateVersion7(Now.AddMinutes(-10));

    public async Task InitializeAsync()
    {
        var usage = new TokenUsage { InputTokens = 10, OutputTokens = 5, CacheCreationInputTokens = 0, CacheReadInputTokens = 0 };
        _dashboard = await DashboardGateway.StartAsync(Now,
        [
            new CallRecord
            {
                Id = Failed, StartTime = Now.AddMinutes(-30), ModelRequested = "claude-haiku-4-5", LatencyMs = 40, Status = CallStatus.Error, HttpStatus = 529, RequestId = "req_failed",
                Error = new CallError { Type = ErrorTypes.Overloaded, Message = "Overloaded", Retryable = true }, Tags = new CallTags { Session = "s1", Attempt = 0, TraceId = "4bf92f3577b34da6a3ce929d0e0e4736" },
            },
            new CallRecord
            {
                Id = Retried, StartTime = Now.AddMinutes(-29), ModelRequested = "claude-haiku-4-5", ModelUsed = "claude-haiku-4-5", LatencyMs = 300, Usage = usage, StopReason = "end_turn", RequestId = "req_retried",
                Tags = new CallTags { Session = "s1", Attempt = 1, ParentId = Failed.ToString(), TraceId = "4bf92f3577b34da6a3ce929d0e0e4736" },
            },
            new CallRecord
            {
                Id = Truncated, StartTime = Now.AddMinutes(-20), ModelRequested = "claude-sonnet-4-6", ModelUsed = "claude-sonnet-4-6", LatencyMs = 900, Usage = usage, StopReason = "max_tokens",
                RequestId = "req_truncated", Tags = new CallTags { Session = "s2", User = "alice" },
            },
            new CallRecord
            {
                Id = Tagged, StartTime = Now.AddMinutes(-10), ModelRequested = "claude-sonnet-4-6", ModelUsed = "claude-sonnet-4-6", LatencyMs = 100, Usage = usage, StopReason = "end_turn",
                RequestId = "req_tagged", Tags = new CallTags { Session = "s3", Properties = new Dictionary<string, string> { ["team"] = "billing", ["ticket"] = "T-9" } },
            },
        ]);
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    private Task<JsonElement> Get(string path) => _dashboard.GetAsync(path);

    private async Task<Guid[]> Ids(string query) =>
        [.. (await Get("/api/calls?range=1h&" + query)).EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];

    [Fact]
    public async Task Each_drill_down_filter_selects_its_calls()
    {
        Assert.Equal([Failed], await Ids("error_type=overloaded_error"));
        Assert.Equal([Failed], await Ids("status=error"));
        Assert.Equal([Tagged, Truncated, Retried], await Ids("status=ok"));
        Assert.Equal([Truncated], await Ids("stop_reason=max_tokens"));
        Assert.Equal([Retried], await Ids("request_id=req_retried"));
        Assert.Equal([Retried, Failed], await Ids("trace_id=4bf92f3577b34da6a3ce929d0e0e4736"));
        Assert.Equal([Tagged], await Ids("property.team=billing"));
        Assert.Equal([Tagged], await Ids("property.team=billing&property.ticket=T-9"));
        Assert.Empty(await Ids("property.team=billing&property.ticket=T-1"));
        Assert.Equal([Truncated], await Ids("q=ALIC"));
        Assert.Equal([Truncated], await Ids("q=truncated"));
        Assert.Empty(await Ids("q=%25")); // a % is searched for literally, not as a wildcard
    }

    [Fact]
    public async Task Calls_sort_both_ways_and_page_on_the_server()
    {
        Assert.Equal([Truncated, Retried, Tagged, Failed], await Ids("order=latency"));
        Assert.Equal([Failed, Tagged, Retried, Truncated], await Ids("order=latency&dir=asc"));
        Assert.Equal([Failed, Retried, Truncated, Tagged], await Ids("dir=asc"));
        Assert.Equal([Truncated, Retried], await Ids("limit=2&offset=1"));

        var page = await Get("/api/views/calls?range=1h&limit=3");
        Assert.Equal(3, page.GetProperty("calls").GetArrayLength());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        var last = await Get("/api/views/calls?range=1h&limit=3&offset=3");
        Assert.Equal(1, last.GetProperty("calls").GetArrayLength());
        Assert.False(last.GetProperty("has_more").GetBoolean());

        var sessions = await Get("/api/sessions?range=1h&limit=1&offset=1");
        Assert.Equal("s2", sessions.EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Equal("s2", (await Get("/api/sessions?range=1h&q=ALI")).EnumerateArray().Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_call_is_found_by_its_request_id()
    {
        var call = await Get("/api/calls/req_truncated");
        Assert.Equal(Truncated, call.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await _dashboard.Http.GetAsync("/api/calls/req_nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _dashboard.Http.GetAsync("/api/calls/nothing")).StatusCode);
    }

    [Fact]
    public async Task The_overview_view_answers_in_one_request_with_the_failure_rate_after_retries_and_the_gateways_health()
    {
        var view = await Get("/api/views/overview?range=1h");
        var current = view.GetProperty("overview").GetProperty("current");
        Assert.Equal(4, current.GetProperty("requests").GetInt64());
        Assert.Equal(0.25, current.GetProperty("error_rate").GetDouble());
        Assert.Equal(1, current.GetProperty("retries").GetInt64());
        Assert.Equal(0, current.GetProperty("failure_rate_after_retries").GetDouble()); // the one failure was retried and answered
        Assert.Equal(4, view.GetProperty("requests").GetProperty("series")[0].GetProperty("values").EnumerateArray().Sum(v => v.GetDouble()));
        Assert.Equal("Overloaded", view.GetProperty("error_groups")[0].GetProperty("message").GetString());
        var health = view.GetProperty("health");
        Assert.Contains(health.GetProperty("status").GetString(), new[] { "ready", "degraded", "catching_up" });
        Assert.Equal(0, health.GetProperty("alerts_firing").GetArrayLength());
        Assert.Equal(0, health.GetProperty("budgets_near_limit").GetArrayLength());
        Assert.Equal(10_000, health.GetProperty("sla_p95_latency_ms").GetDouble()); // the built-in latency_p95 rule's 10 s

        // The default range fits the data: from the minute of the first call to the next whole minute.
        var auto = await Get("/api/views/overview?range=auto");
        Assert.Equal(Now.AddMinutes(-30), auto.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(Now.AddMinutes(1), auto.GetProperty("until").GetDateTimeOffset());
        Assert.Equal(4, auto.GetProperty("overview").GetProperty("current").GetProperty("requests").GetInt64());

        foreach (var name in new[] { "cost", "latency", "errors", "quality", "models", "sessions" })
        {
            Assert.Equal(name, (await Get($"/api/views/{name}?range=1h")).GetProperty("view").GetString());
        }
    }

    [Theory]
    [InlineData("/api/calls?range=1h&error_typ=overloaded_error", "unknown parameter 'error_typ'")]
    [InlineData("/api/overview?range=1h&status=error", "unknown parameter 'status'")]
    [InlineData("/api/timeseries?metric=requests&limit=5", "unknown parameter 'limit'")]
    [InlineData("/api/views/overview?bogus=1", "unknown parameter 'bogus'")]
    [InlineData("/api/views/everything", "no view 'everything'")]
    [InlineData("/api/views/calls?dir=up", "dir must be asc or desc")]
    [InlineData("/api/views/sessions?limit=5000", "limit must be")]
    [InlineData("/api/sessions/s1?range=1h", "unknown parameter 'range'")]
    [InlineData("/api/report?by=model&group=model", "unknown parameter 'group'")]
    [InlineData("/api/budgets?top=3&tenant=acme", "unknown parameter 'tenant'")]
    [InlineData("/api/alerts?limit=5&state=firing", "unknown parameter 'state'")]
    [InlineData("/api/batches?max=5", "unknown parameter 'max'")]
    [InlineData("/api/reconcile?day=3", "unknown parameter 'day'")]
    public async Task Unknown_or_bad_parameters_answer_400_naming_them(string path, string message)
    {
        using var response = await _dashboard.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
