using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// <c>GET /v1/organizations/usage_report/messages</c> (shared/reference/anthropic-usage-cost-api.md §2) tells the
/// truth: exactly the usage the mock answered, per token class, in every bucket width, every bucket present.
/// </summary>
public class UsageReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    private Task<MockHost> StartAsync(Func<MockOptions, MockOptions>? configure = null) =>
        MockHost.StartAsync(o => (configure ?? (x => x))(o with { TimeProvider = _time, BatchProcessingTime = TimeSpan.FromSeconds(9) }));

    /// <summary>Sends a Messages request and tallies what the answer said under its minute, model (as the Models API names it) and tier.</summary>
    private async Task<TokenSums> AnswerAsync(MockHost host, UsageTally truth, JsonObject body, bool stream = false, params (string, string)[] headers)
    {
        var reply = await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages", (stream ? body.Streaming() : body).ToJsonString(), Keys.Api, headers);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var observed = stream ? reply.Observe() : reply.Parsed;
        Assert.True(observed.Complete);
        var sums = TokenSums.Of(observed.Usage!);
        truth.Add(UsageTally.Key(Minute(_time.GetUtcNow()), ModelCatalog.CanonicalId(body["model"]!.GetValue<string>()), observed.Usage!.ServiceTier), sums);
        return sums;
    }

    private static string Minute(DateTimeOffset t) => MockHttp.Seconds(Buckets.Floor(t, BucketWidth.Minute));

    /// <summary>All buckets of a report, following <c>next_page</c> to the end; asserts the paging envelope on the way.</summary>
    private static async Task<List<JsonElement>> AllBucketsAsync(MockHost host, string query, List<JsonElement>? pages = null)
    {
        var buckets = new List<JsonElement>();
        string? page = null;
        do
        {
            var reply = await host.Client.AdminAsync("/v1/organizations/usage_report/messages?" + query + (page is null ? "" : "&page=" + Uri.EscapeDataString(page)));
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var json = reply.Json;
            pages?.Add(json);
            buckets.AddRange(json.GetProperty("data").EnumerateArray());
            var hasMore = json.GetProperty("has_more").GetBoolean();
            page = UsageTally.Str(json, "next_page");
            Assert.Equal(hasMore, page is not null);
        }
        while (page is not null);

        return buckets;
    }

    /// <summary>Rolls truth (minute|model|tier) up to the buckets of a width: bucket start|model|tier.</summary>
    private static Dictionary<string, TokenSums> RollUp(UsageTally truth, BucketWidth width)
    {
        var rolled = new UsageTally();
        foreach (var (key, sums) in truth.Sums)
        {
            var parts = key.Split('|');
            var minute = DateTimeOffset.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            rolled.Add(UsageTally.Key(MockHttp.Seconds(Buckets.Floor(minute, width)), parts[1], parts[2]), sums);
        }

        return rolled.Sums.ToDictionary();
    }

    [Fact]
    public async Task The_report_equals_the_usage_answered_per_token_class_in_1m_1h_and_1d_buckets()
    {
        await using var host = await StartAsync();
        var truth = new UsageTally();

        await AnswerAsync(host, truth, Requests.Message("Usage report, plain call."));
        var cached = Requests.CachedSystem("usage-report-5m", 1500, "First look.");
        var write = await AnswerAsync(host, truth, cached);
        Assert.True(write.CacheWrite5m > 0);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await AnswerAsync(host, truth, cached, stream: true)).CacheRead > 0);
        var hourCached = Requests.CachedSystem("usage-report-1h", 2500, "Haiku, cached an hour.", model: "claude-haiku-4-5", ttl: "1h");
        Assert.True((await AnswerAsync(host, truth, hourCached, stream: true)).CacheWrite1h > 0);
        _time.Advance(TimeSpan.FromMinutes(47));
        await AnswerAsync(host, truth, Requests.Message("Priority call.", model: "claude-opus-4-6").With("service_tier", "priority"));
        await AnswerAsync(host, truth, Requests.Message("US-only call.", model: "claude-sonnet-4-6").With("inference_geo", "us"));
        Assert.True((await AnswerAsync(host, truth, hourCached)).CacheRead > 0); // 47 minutes on: the 1-hour entry holds
        _time.Advance(TimeSpan.FromHours(3));
        await AnswerAsync(host, truth, Requests.Message("Three hours later.", model: "claude-opus-4-1"));
        _time.Advance(TimeSpan.FromDays(1));
        await AnswerAsync(host, truth, Requests.Message("Next day.", model: "claude-3-5-haiku-20241022"));

        var day = MockHttp.Seconds(Buckets.Floor(T0, BucketWidth.Day));
        foreach (var (width, name, span) in new[] { (BucketWidth.Day, "1d", "3d"), (BucketWidth.Hour, "1h", "2d"), (BucketWidth.Minute, "1m", "1d") })
        {
            var end = MockHttp.Seconds(Buckets.Floor(T0, BucketWidth.Day) + (span == "3d" ? TimeSpan.FromDays(3) : span == "2d" ? TimeSpan.FromDays(2) : TimeSpan.FromDays(1)));
            var buckets = await AllBucketsAsync(host, $"starting_at={day}&ending_at={end}&bucket_width={name}&group_by[]=model&group_by[]=service_tier&limit={UsageReport.Limits(width).Max}");
            var reported = UsageTally.OfReport(buckets, (b, r) => UsageTally.Key(b.GetProperty("starting_at").GetString(), UsageTally.Str(r, "model"), UsageTally.Str(r, "service_tier")));
            var expected = RollUp(truth, width);
            if (width == BucketWidth.Minute)
            {
                // The minute report covers the first day only.
                expected = expected.Where(e => e.Key.StartsWith(day[..10], StringComparison.Ordinal)).ToDictionary();
            }

            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), reported.Sums.OrderBy(e => e.Key, StringComparer.Ordinal));
            // Every bucket of the range is there, in order, empty ones included.
            var step = Buckets.Step(width);
            Assert.Equal((UsageTally.Time(buckets[^1], "ending_at") - UsageTally.Time(buckets[0], "starting_at")) / step, buckets.Count);
            for (var i = 0; i < buckets.Count; i++)
            {
                Assert.Equal(Buckets.Floor(T0, BucketWidth.Day) + (step * i), UsageTally.Time(buckets[i], "starting_at"));
                Assert.Equal(UsageTally.Time(buckets[i], "starting_at") + step, UsageTally.Time(buckets[i], "ending_at"));
            }
        }

        // The priority call is in the usage report under its own tier.
        Assert.Contains(truth.Sums.Keys, k => k.EndsWith("|claude-opus-4-6|priority", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forty_days_of_hourly_buckets_page_to_the_end_with_every_bucket_present()
    {
        await using var host = await StartAsync();
        var truth = new UsageTally();
        var start = Buckets.Floor(T0, BucketWidth.Day);
        foreach (var day in new[] { 0, 13, 39 })
        {
            _time.SetUtcNow(start + TimeSpan.FromDays(day) + TimeSpan.FromHours(12.5));
            await AnswerAsync(host, truth, Requests.Message($"Day {day} call."));
        }

        var pages = new List<JsonElement>();
        var query = $"starting_at={MockHttp.Seconds(start)}&ending_at={MockHttp.Seconds(start + TimeSpan.FromDays(40))}&bucket_width=1h&group_by[]=model&group_by[]=service_tier";
        var buckets = await AllBucketsAsync(host, query, pages);

        Assert.Equal(40, pages.Count); // default limit for 1h: 24 buckets a page
        Assert.All(pages.Take(39), p => Assert.True(p.GetProperty("has_more").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, pages[^1].GetProperty("next_page").ValueKind);
        Assert.Equal(960, buckets.Count);
        Assert.Equal(957, buckets.Count(b => b.GetProperty("results").GetArrayLength() == 0));
        for (var i = 0; i < buckets.Count; i++)
        {
            Assert.Equal(start + TimeSpan.FromHours(i), UsageTally.Time(buckets[i], "starting_at"));
        }

        var reported = UsageTally.OfReport(buckets, (b, r) => UsageTally.Key(b.GetProperty("starting_at").GetString(), UsageTally.Str(r, "model"), UsageTally.Str(r, "service_tier")));
        Assert.Equal(RollUp(truth, BucketWidth.Hour).OrderBy(e => e.Key, StringComparer.Ordinal), reported.Sums.OrderBy(e => e.Key, StringComparer.Ordinal));

        // The largest page (168 buckets) needs six pages for the same range.
        var big = new List<JsonElement>();
        Assert.Equal(960, (await AllBucketsAsync(host, query + "&limit=168", big)).Count);
        Assert.Equal(6, big.Count);
    }

    [Fact]
    public async Task Batch_usage_is_billed_when_each_request_was_processed_on_the_batch_tier()
    {
        // Created 5 s before midnight; three requests processed at 23:59:58, 00:00:01 and 00:00:04.
        var midnight = new DateTimeOffset(2026, 9, 4, 0, 0, 0, TimeSpan.Zero);
        _time.SetUtcNow(midnight - TimeSpan.FromSeconds(5));
        await using var host = await StartAsync();
        var create = await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages/batches", BatchHost.Body(
            BatchHost.Request("one", Requests.Message("Batch billing one.")),
            BatchHost.Request("two", Requests.Message("Batch billing two.")),
            BatchHost.Request("three", Requests.Message("Batch billing three."))));
        var id = create.Json.GetProperty("id").GetString()!;

        // Before the batch ends and before anyone looks at it, the report already bills what was processed.
        _time.Advance(TimeSpan.FromSeconds(7));
        var query = $"starting_at={MockHttp.Seconds(midnight - TimeSpan.FromDays(1))}&ending_at={MockHttp.Seconds(midnight + TimeSpan.FromDays(1))}&bucket_width=1d&group_by[]=service_tier";
        var early = await AllBucketsAsync(host, query);
        Assert.Single(early[0].GetProperty("results").EnumerateArray());
        Assert.Single(early[1].GetProperty("results").EnumerateArray());

        _time.Advance(TimeSpan.FromSeconds(3));
        var lines = (await host.Client.GetAsync($"/v1/messages/batches/{id}/results")).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("result").GetProperty("message").GetProperty("usage")).ToList();
        var buckets = await AllBucketsAsync(host, query);
        Assert.Equal(2, buckets.Count);
        var dayOne = Assert.Single(buckets[0].GetProperty("results").EnumerateArray());
        var dayTwo = Assert.Single(buckets[1].GetProperty("results").EnumerateArray());
        Assert.Equal("batch", dayOne.GetProperty("service_tier").GetString());
        Assert.Equal("batch", dayTwo.GetProperty("service_tier").GetString());
        Assert.Equal(TokenSums.OfUsage(lines[0]), TokenSums.OfResult(dayOne));
        Assert.Equal(TokenSums.OfUsage(lines[1]) + TokenSums.OfUsage(lines[2]), TokenSums.OfResult(dayTwo));
    }

    [Fact]
    public async Task Calls_are_attributed_to_a_hash_of_their_key_console_calls_to_none_and_to_their_workspace()
    {
        await using var host = await StartAsync();
        const string KeyA = "sk-ant-api03-key-a", KeyB = "sk-ant-api03-key-b";
        async Task<TokenSums> Call(string key, string text, params (string, string)[] headers)
        {
            var reply = await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages", Requests.Message(text).ToJsonString(), key, headers);
            return TokenSums.Of(reply.Parsed.Usage!);
        }

        var a = await Call(KeyA, "From key A.") + await Call(KeyA, "From key A, workspace W.", (MockApiKeys.WorkspaceHeader, "wrkspc_01W"));
        var b = await Call(KeyB, "From key B.");
        var console = await Call(KeyB, "From the Console.", (MockApiKeys.ConsoleHeader, "1"));

        var range = $"starting_at={MockHttp.Seconds(Buckets.Floor(T0, BucketWidth.Day))}&ending_at={MockHttp.Seconds(Buckets.Floor(T0, BucketWidth.Day).AddDays(1))}";
        var reply = await host.Client.AdminAsync($"/v1/organizations/usage_report/messages?{range}&group_by[]=api_key_id");
        Assert.DoesNotContain(KeyA, reply.Text, StringComparison.Ordinal); // only the hash leaves the mock
        var byKey = UsageTally.OfReport(reply.Json.GetProperty("data").EnumerateArray(), (_, r) => UsageTally.Key(UsageTally.Str(r, "api_key_id"))).Sums;
        Assert.Equal(a, byKey[MockApiKeys.IdOf(KeyA)]);
        Assert.Equal(b, byKey[MockApiKeys.IdOf(KeyB)]);
        Assert.Equal(console, byKey["null"]);
        Assert.StartsWith("apikey_01", MockApiKeys.IdOf(KeyA), StringComparison.Ordinal);
        Assert.NotEqual(MockApiKeys.IdOf(KeyA), MockApiKeys.IdOf(KeyB));

        var filtered = await host.Client.AdminAsync($"/v1/organizations/usage_report/messages?{range}&api_key_ids[]={MockApiKeys.IdOf(KeyA)}&group_by[]=workspace_id");
        var byWorkspace = UsageTally.OfReport(filtered.Json.GetProperty("data").EnumerateArray(), (_, r) => UsageTally.Key(UsageTally.Str(r, "workspace_id"))).Sums;
        Assert.Equal(2, byWorkspace.Count);
        Assert.Equal(a, byWorkspace["null"] + byWorkspace["wrkspc_01W"]);
    }

    [Fact]
    public async Task Ungrouped_results_have_null_dimensions_and_filters_take_aliases()
    {
        await using var host = await StartAsync();
        var truth = new UsageTally();
        var sonnet = await AnswerAsync(host, truth, Requests.Message("Alias filter, sonnet."));
        await AnswerAsync(host, truth, Requests.Message("Alias filter, haiku.", model: "claude-haiku-4-5"));

        var range = $"starting_at={MockHttp.Seconds(T0)}&ending_at={MockHttp.Seconds(T0.AddHours(2))}&bucket_width=1h";
        var all = (await host.Client.AdminAsync("/v1/organizations/usage_report/messages?" + range)).Json.GetProperty("data");
        Assert.Equal(2, all.GetArrayLength());
        var only = Assert.Single(all[0].GetProperty("results").EnumerateArray());
        foreach (var field in new[] { "model", "service_tier", "api_key_id", "workspace_id", "context_window", "inference_geo", "account_id", "service_account_id" })
        {
            Assert.Equal(JsonValueKind.Null, only.GetProperty(field).ValueKind);
        }

        Assert.False(only.TryGetProperty("speed", out _));
        Assert.Equal(0, all[1].GetProperty("results").GetArrayLength());
        Assert.Equal(truth.Sums.Values.Aggregate((x, y) => x + y), TokenSums.OfResult(only));

        var filtered = (await host.Client.AdminAsync($"/v1/organizations/usage_report/messages?{range}&models[]=claude-sonnet-4-5&group_by[]=model&group_by[]=context_window&group_by[]=inference_geo"))
            .Json.GetProperty("data")[0].GetProperty("results");
        var result = Assert.Single(filtered.EnumerateArray());
        Assert.Equal("claude-sonnet-4-5-20250929", result.GetProperty("model").GetString());
        Assert.Equal("0-200k", result.GetProperty("context_window").GetString());
        Assert.Equal("not_available", result.GetProperty("inference_geo").GetString()); // Sonnet 4.5 has no inference_geo support
        Assert.Equal(sonnet, TokenSums.OfResult(result));
    }

    [Fact]
    public async Task Web_searches_are_reported_as_the_answers_counted_them()
    {
        await using var host = await StartAsync();
        var truth = new UsageTally();
        var body = Requests.Message("Please search the web for mock observability.");
        body["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search", ["max_uses"] = 3 });

        var reply = await host.Client.MessagesAsync(body);
        var content = reply.Json.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal("server_tool_use", content[0].GetProperty("type").GetString());
        Assert.Equal("web_search", content[0].GetProperty("name").GetString());
        Assert.Equal("web_search_tool_result", content[1].GetProperty("type").GetString());
        Assert.Equal(content[0].GetProperty("id").GetString(), content[1].GetProperty("tool_use_id").GetString());
        Assert.Equal("text", content[^1].GetProperty("type").GetString());
        var searches = reply.Usage.GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt64();
        Assert.Equal(content.Count(c => c.GetProperty("type").GetString() == "server_tool_use"), searches);
        Assert.True(searches >= 1);
        truth.Add("all", TokenSums.OfUsage(reply.Usage));

        // Streamed, the same request reports the same searches, and Claudit's own stream observer reads them.
        var streamed = await host.Client.MessagesAsync(body.Streaming());
        Assert.Equal(searches, streamed.Observe().Usage!.WebSearchRequests);
        truth.Add("all", TokenSums.Of(streamed.Observe().Usage!));

        var range = $"starting_at={MockHttp.Seconds(Buckets.Floor(T0, BucketWidth.Day))}&ending_at={MockHttp.Seconds(Buckets.Floor(T0, BucketWidth.Day).AddDays(1))}";
        var result = (await host.Client.AdminAsync("/v1/organizations/usage_report/messages?" + range)).Json.GetProperty("data")[0].GetProperty("results")[0];
        Assert.Equal(truth.Sums["all"], TokenSums.OfResult(result));
        Assert.Equal(2 * searches, result.GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt64());
    }

    [Theory]
    [InlineData("ending_at=2026-09-04T00:00:00Z")]
    [InlineData("starting_at=2026-09-03")]
    [InlineData("starting_at=2026-09-03T00:00:00")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&bucket_width=1w")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&bucket_width=1d&limit=32")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&bucket_width=1h&limit=169")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&bucket_width=1m&limit=1441")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&limit=0")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&group_by[]=colour")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&group_by[]=speed")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&speeds[]=fast")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&ending_at=2026-09-02T00:00:00Z")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&page=nonsense")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&page=page_MjAyNS0wMS0wMVQwMDowMDowMFo=")]
    public async Task Bad_query_is_400_invalid_request_error(string query)
    {
        await using var host = await StartAsync();
        (await host.Client.AdminAsync("/v1/organizations/usage_report/messages?" + query)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Speed_needs_the_fast_mode_beta_then_groups()
    {
        await using var host = await StartAsync();
        var truth = new UsageTally();
        await AnswerAsync(host, truth, Requests.Message("Fast, please.", model: "claude-opus-4-8").With("speed", "fast"));
        var reply = await host.Client.AdminAsync($"/v1/organizations/usage_report/messages?starting_at={MockHttp.Seconds(T0)}&bucket_width=1h&group_by[]=speed",
            ("anthropic-beta", "other-beta," + UsageReport.FastModeBeta));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("fast", reply.Json.GetProperty("data")[0].GetProperty("results")[0].GetProperty("speed").GetString());
        // Without ending_at, the buckets run to the one holding now.
        Assert.Equal(1, reply.Json.GetProperty("data").GetArrayLength());
    }
}
