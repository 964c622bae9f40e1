using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// <c>GET /v1/organizations/cost_report</c> (shared/reference/anthropic-usage-cost-api.md §3): cents as decimal
/// strings, equal to what Core's <see cref="CostCalculator"/> charges for the calls the mock answered.
/// </summary>
public class CostReportTests
{
    private static readonly DateTimeOffset Day = new(2026, 9, 3, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Day.AddHours(9));

    private static string Range => $"starting_at={MockHttp.Seconds(Day)}&ending_at={MockHttp.Seconds(Day.AddDays(1))}";

    private Task<MockHost> StartAsync(CostReportFormat? format = null) =>
        MockHost.StartAsync(o => o with { TimeProvider = _time, BatchProcessingTime = TimeSpan.FromSeconds(2), CostReport = format ?? new CostReportFormat() });

    /// <summary>The calls of the day, answered; returns each call's requested model and usage, as the client saw them.</summary>
    private async Task<List<(string Model, TokenUsage Usage)>> TrafficAsync(MockHost host)
    {
        var calls = new List<(string, TokenUsage)>();
        async Task Call(JsonObject body, bool stream = false)
        {
            var reply = await host.Client.MessagesAsync(stream ? body.Streaming() : body);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            calls.Add((body["model"]!.GetValue<string>(), (stream ? reply.Observe() : reply.Parsed).Usage!));
        }

        var cached = Requests.CachedSystem("cost-report", 1800, "Cost me.");
        await Call(cached);
        await Call(cached, stream: true);
        await Call(Requests.CachedSystem("cost-report-1h", 2200, "Cost me an hour.", model: "claude-haiku-4-5", ttl: "1h"));
        await Call(Requests.Message("Geo-priced.", model: "claude-opus-4-6").With("inference_geo", "us"));
        await Call(Requests.Message("Priority: not in the cost report.", model: "claude-sonnet-4-6").With("service_tier", "priority"));
        var search = Requests.Message("Search the web, and cost it.");
        search["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search" });
        await Call(search);

        // A batch of the cached request: its reads and writes at batch rates.
        var created = await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages/batches",
            BatchHost.Body(BatchHost.Request("b1", cached), BatchHost.Request("b2", Requests.Message("Batch, cost me."))));
        var id = created.Json.GetProperty("id").GetString()!;
        _time.Advance(TimeSpan.FromSeconds(2));
        var results = (await host.Client.GetAsync($"/v1/messages/batches/{id}/results")).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in results)
        {
            var message = JsonDocument.Parse(line).RootElement.GetProperty("result").GetProperty("message");
            calls.Add((message.GetProperty("model").GetString()!, MessageResponseParser.Parse(JsonSerializer.SerializeToUtf8Bytes(message)).Usage!));
        }

        return calls;
    }

    private static readonly string[] TokenTypes =
        ["uncached_input_tokens", "cache_creation.ephemeral_5m_input_tokens", "cache_creation.ephemeral_1h_input_tokens", "cache_read_input_tokens", "output_tokens"];

    /// <summary>What CostCalculator charges, in cents, by model|tier|token type (and "web_search").</summary>
    private static Dictionary<string, decimal> Expected(IEnumerable<(string Model, TokenUsage Usage)> calls)
    {
        var cents = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (model, usage) in calls.Where(c => c.Usage.ServiceTier is "standard" or "batch"))
        {
            var cost = CostCalculator.Default.Price(model, usage);
            Assert.True(cost.Priced);
            decimal[] byType = [cost.InputUsd, cost.CacheWrite5mUsd, cost.CacheWrite1hUsd, cost.CacheReadUsd, cost.OutputUsd];
            long[] tokens = [usage.InputTokens, usage.EffectiveCacheWrite5m, usage.EffectiveCacheWrite1h, usage.CacheReadInputTokens, usage.OutputTokens];
            for (var i = 0; i < TokenTypes.Length; i++)
            {
                if (tokens[i] > 0)
                {
                    Add(UsageTally.Key(ModelCatalog.CanonicalId(model), usage.ServiceTier, TokenTypes[i]), byType[i] * 100);
                }
            }

            if (usage.WebSearchRequests > 0)
            {
                Add("web_search", cost.WebSearchUsd * 100);
            }
        }

        return cents;

        void Add(string key, decimal value) => cents[key] = cents.GetValueOrDefault(key) + value;
    }

    private static decimal Amount(JsonElement row)
    {
        Assert.Equal("USD", row.GetProperty("currency").GetString());
        var text = row.GetProperty("amount").GetString()!;
        return decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Line_items_are_costcalculator_cents_per_model_tier_and_token_type()
    {
        await using var host = await StartAsync();
        var calls = await TrafficAsync(host);
        Assert.Contains(calls, c => c.Usage.ServiceTier == "batch");
        Assert.Contains(calls, c => c.Usage.WebSearchRequests > 0);
        var expected = Expected(calls);

        var reply = await host.Client.AdminAsync($"/v1/organizations/cost_report?{Range}&group_by[]=description");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var bucket = Assert.Single(reply.Json.GetProperty("data").EnumerateArray());
        Assert.Equal(MockHttp.Seconds(Day), bucket.GetProperty("starting_at").GetString());
        var rows = bucket.GetProperty("results").EnumerateArray().ToList();
        var reported = rows.ToDictionary(
            r => r.GetProperty("cost_type").GetString() == "web_search"
                ? "web_search"
                : UsageTally.Key(UsageTally.Str(r, "model"), UsageTally.Str(r, "service_tier"), UsageTally.Str(r, "token_type")),
            Amount);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), reported.OrderBy(e => e.Key, StringComparer.Ordinal));

        // Priority Tier is billed apart: its usage is in the usage report, its cost is not here.
        Assert.DoesNotContain(rows, r => UsageTally.Str(r, "service_tier") is "priority");
        var webSearch = rows.Single(r => r.GetProperty("cost_type").GetString() == "web_search");
        Assert.Equal("Web Search Usage", webSearch.GetProperty("description").GetString());
        Assert.Equal(calls.Sum(c => c.Usage.WebSearchRequests), Amount(webSearch)); // one cent a search
        Assert.All(new[] { "token_type", "model", "service_tier", "context_window" }, f => Assert.Equal(JsonValueKind.Null, webSearch.GetProperty(f).ValueKind));
        var input = rows.Single(r => UsageTally.Str(r, "model") == "claude-sonnet-4-5-20250929" && UsageTally.Str(r, "service_tier") == "standard"
            && UsageTally.Str(r, "token_type") == "uncached_input_tokens");
        Assert.Equal("Claude Sonnet 4.5 Usage - Input Tokens", input.GetProperty("description").GetString());
        Assert.Equal("tokens", input.GetProperty("cost_type").GetString());
        Assert.Equal("0-200k", input.GetProperty("context_window").GetString());
        Assert.Equal(JsonValueKind.Null, input.GetProperty("workspace_id").ValueKind);
        Assert.Equal("us", rows.First(r => UsageTally.Str(r, "model") == "claude-opus-4-6").GetProperty("inference_geo").GetString());
        Assert.Contains(rows, r => r.GetProperty("description").GetString() == "Claude Sonnet 4.5 Usage - Input Tokens, Cache Hit");

        // Ungrouped: one row, the day's total, every other field null.
        var total = Assert.Single((await host.Client.AdminAsync("/v1/organizations/cost_report?" + Range)).Json.GetProperty("data")[0].GetProperty("results").EnumerateArray());
        Assert.Equal(expected.Values.Sum(), Amount(total));
        Assert.Equal(JsonValueKind.Null, total.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, total.GetProperty("cost_type").ValueKind);
    }

    [Fact]
    public async Task Amount_padding_is_configurable_and_workspaces_group()
    {
        await using var host = await StartAsync(new CostReportFormat { AmountDecimals = 6 });
        await host.Client.MessagesAsync(Requests.Message("Default workspace."));
        await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages", Requests.Message("Workspace W.").ToJsonString(), Keys.Api, (MockApiKeys.WorkspaceHeader, "wrkspc_01W"));
        var rows = (await host.Client.AdminAsync($"/v1/organizations/cost_report?{Range}&group_by[]=workspace_id")).Json.GetProperty("data")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal([null, "wrkspc_01W"], rows.Select(r => UsageTally.Str(r, "workspace_id")));
        Assert.All(rows, r => Assert.Matches(@"^\d+\.\d{6}$", r.GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task Empty_days_are_listed_and_pages_hold_at_most_31_days()
    {
        await using var host = await StartAsync();
        await host.Client.MessagesAsync(Requests.Message("Just one call."));
        var first = (await host.Client.AdminAsync($"/v1/organizations/cost_report?starting_at={MockHttp.Seconds(Day.AddDays(-40))}&ending_at={MockHttp.Seconds(Day.AddDays(1))}&limit=31")).Json;
        Assert.Equal(31, first.GetProperty("data").GetArrayLength());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.All(first.GetProperty("data").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("results").GetArrayLength()));
        var next = first.GetProperty("next_page").GetString()!;
        var second = (await host.Client.AdminAsync($"/v1/organizations/cost_report?starting_at={MockHttp.Seconds(Day.AddDays(-40))}&ending_at={MockHttp.Seconds(Day.AddDays(1))}&limit=31&page={Uri.EscapeDataString(next)}")).Json;
        Assert.Equal(10, second.GetProperty("data").GetArrayLength());
        Assert.False(second.GetProperty("has_more").GetBoolean());
        Assert.Single(second.GetProperty("data")[9].GetProperty("results").EnumerateArray());
        // Without limit, 7 days a page (unconfirmed default, as for usage).
        Assert.Equal(7, (await host.Client.AdminAsync($"/v1/organizations/cost_report?starting_at={MockHttp.Seconds(Day.AddDays(-40))}")).Json.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("&bucket_width=1h")]
    [InlineData("&group_by[]=model")]
    [InlineData("&group_by[]=api_key_id")]
    [InlineData("&limit=32")]
    public async Task What_the_cost_report_does_not_take_is_400(string extra)
    {
        await using var host = await StartAsync();
        (await host.Client.AdminAsync("/v1/organizations/cost_report?" + Range + extra)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    /// <summary>The reference's worked example (§6) to the letter: two calls on Sonnet 4.6, six line items, 3.2475 cents.</summary>
    [Fact]
    public void The_reference_worked_example_comes_out_to_the_cent()
    {
        var ledger = new UsageLedger(1000);
        var at = new DateTimeOffset(2026, 9, 3, 14, 0, 0, TimeSpan.Zero);
        using var body = JsonDocument.Parse("""{"model":"claude-sonnet-4-6","max_tokens":1,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Null(MockRequestReader.Read(body.RootElement, countTokens: false, out var request));
        var caller = new MockCaller(true, false, null, null, null);
        MessagePlan Plan(string tier, long input, long read, long write5m, long output) => new()
        {
            MessageId = "msg_x", Model = "claude-sonnet-4-6", Blocks = [], StopReason = "end_turn", ServiceTier = tier,
            InputTokens = input, CacheRead = read, CacheWrite5m = write5m, CacheWrite1h = 0, OutputTokens = output,
        };
        ledger.Record(at, caller, request!, Plan("standard", 1000, 2000, 500, 300));
        ledger.Record(at, caller, request! with { ServiceTier = "batch" }, Plan("batch", 10_000, 0, 0, 1000));

        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?starting_at=2026-09-03T00:00:00Z&ending_at=2026-09-04T00:00:00Z&bucket_width=1d&group_by[]=description");
        Assert.Null(CostReport.Answer(http.Request, at, ledger, new CostReportFormat(), out var write));
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            write!(w);
        }

        var rows = JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("data")[0].GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("service_tier").GetString() + " " + r.GetProperty("token_type").GetString(), r => r.GetProperty("amount").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["standard uncached_input_tokens"] = "0.3",
            ["standard cache_read_input_tokens"] = "0.06",
            ["standard cache_creation.ephemeral_5m_input_tokens"] = "0.1875",
            ["standard output_tokens"] = "0.45",
            ["batch uncached_input_tokens"] = "1.5",
            ["batch output_tokens"] = "0.75",
        }.OrderBy(e => e.Key, StringComparer.Ordinal), rows.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(3.2475m, rows.Values.Sum(v => decimal.Parse(v!, CultureInfo.InvariantCulture)));
    }
}
