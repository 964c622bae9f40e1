using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server.Reconcile;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests.Reconcile;

/// <summary>
/// <c>claudit reconcile</c> against the mock (docs/reconcile.md): the real mock on a free port bills exactly what it
/// answered, the real gateway records into a real DuckDB file, and the CLI puts the two side by side.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ReconcileMockTests
{
    private const string Sonnet = "claude-sonnet-4-6";
    private const string Haiku = "claude-haiku-4-5";
    private const string Opus = "claude-opus-4-6";
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static string[] OneDay(DateTimeOffset day) => ["--since", Iso(day), "--until", Iso(day.AddDays(1))];

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static List<JsonElement> Rows(JsonElement json) => [.. json.GetProperty("rows").EnumerateArray()];

    private static JsonElement Row(JsonElement json, string model, string tier = "standard") =>
        Assert.Single(Rows(json), r => r.GetProperty("model").GetString() == model && r.GetProperty("service_tier").GetString() == tier);

    private static long Count(JsonElement side, string name) => side.GetProperty(name).GetInt64();

    private static decimal Cost(JsonElement side) => side.GetProperty("cost_usd").GetDecimal();

    private static void AssertEveryRowMatches(CliResult result, JsonElement json)
    {
        Assert.Equal(ClauditCli.Ok, result.ExitCode);
        Assert.All(Rows(json), r => Assert.Equal("match", r.GetProperty("verdict").GetString()));
        Assert.True(json.GetProperty("all_match").GetBoolean());
        var totals = json.GetProperty("totals");
        Assert.Equal(Cost(totals.GetProperty("billed")), Cost(totals.GetProperty("recorded")));
        Assert.True(Cost(totals.GetProperty("billed")) > 0m);
    }

    /// <summary>A non-streamed answer's usage as Core reads it, for pricing a call the gateway never saw.</summary>
    private static TokenUsage Usage(JsonElement u) => new()
    {
        InputTokens = u.GetProperty("input_tokens").GetInt64(),
        OutputTokens = u.GetProperty("output_tokens").GetInt64(),
        CacheCreationInputTokens = u.TryGetProperty("cache_creation_input_tokens", out var w) ? w.GetInt64() : 0,
        CacheReadInputTokens = u.TryGetProperty("cache_read_input_tokens", out var r) ? r.GetInt64() : 0,
    };

    [Fact]
    public async Task All_calls_through_the_gateway_match_on_every_row_and_exit_0()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "Summarise the quarterly report in three bullet points."));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "And now the risks, briefly."), stream: true);
        rig.Time.Advance(TimeSpan.FromHours(2));
        await rig.SendAsync(ReconcileRig.Message(Haiku, "Classify this ticket: the login page is slow."));
        await rig.SendAsync(ReconcileRig.Message(Opus, "Review this diff for race conditions."), stream: true);

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        AssertEveryRowMatches(result, json);
        Assert.Equal([Haiku, Opus, Sonnet], Rows(json).Select(r => r.GetProperty("model").GetString()!).Order());
        Assert.Equal(2 * 64, Count(Row(json, Sonnet).GetProperty("billed"), "output_tokens"));
    }

    [Fact]
    public async Task Calls_sent_around_the_gateway_are_unrecorded_usage_of_exactly_their_tokens_and_cost()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "Through the gateway, first."));
        await rig.SendAsync(ReconcileRig.Message(Haiku, "Through the gateway, second."));
        await rig.SendAsync(ReconcileRig.Message(Opus, "Through the gateway, third."));
        var bypassed = new List<TokenUsage>
        {
            Usage(await rig.SendAsync(ReconcileRig.Message(Sonnet, "An app that calls Anthropic directly."), direct: true)),
            Usage(await rig.SendAsync(ReconcileRig.Message(Sonnet, "Another direct call, a little longer than the first one was."), direct: true)),
        };

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        Assert.Equal(ClauditCli.Failure, result.ExitCode);
        var sonnet = Row(json, Sonnet);
        Assert.Equal("unrecorded usage", sonnet.GetProperty("verdict").GetString());
        var difference = sonnet.GetProperty("difference");
        Assert.Equal(bypassed.Sum(u => u.InputTokens), Count(difference, "uncached_input_tokens"));
        Assert.Equal(bypassed.Sum(u => u.OutputTokens), Count(difference, "output_tokens"));
        var bypassedCost = bypassed.Sum(u => CostCalculator.Default.Price(Sonnet, u).TotalUsd);
        Assert.Equal(bypassedCost, Cost(difference));
        Assert.Equal("match", Row(json, Haiku).GetProperty("verdict").GetString());
        Assert.Equal("match", Row(json, Opus).GetProperty("verdict").GetString());
        Assert.Equal(bypassedCost, json.GetProperty("totals").GetProperty("unrecorded_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task A_wrong_rate_in_the_gateways_price_table_is_a_price_mismatch_on_that_model_only()
    {
        // The gateway prices Haiku 4.5 output at $6/MTok where Anthropic bills $5.
        var table = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "pricing", "prices.json")))!;
        var haiku = table["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == Haiku)!;
        haiku["rates"]!["output"] = 6;
        var wrong = PriceTable.Parse(table.ToJsonString(), "test");
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9), wrong);
        await rig.SendAsync(ReconcileRig.Message(Haiku, "Tag this email: invoice overdue."));
        await rig.SendAsync(ReconcileRig.Message(Haiku, "Tag this email: meeting moved."));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "Draft a polite reply."));

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        Assert.Equal(ClauditCli.Failure, result.ExitCode);
        var row = Row(json, Haiku);
        Assert.Equal("price mismatch", row.GetProperty("verdict").GetString());
        Assert.Equal(0, Count(row.GetProperty("difference"), "output_tokens"));
        Assert.Equal(-Count(row.GetProperty("billed"), "output_tokens") / 1_000_000m, Cost(row.GetProperty("difference")));
        Assert.Equal("match", Row(json, Sonnet).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Forty_days_of_hourly_buckets_are_paged_through_to_the_last_bucket()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(3));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "The first day."));
        rig.Time.Advance(TimeSpan.FromDays(20));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "Day twenty, around the gateway."), direct: true);
        rig.Time.Advance(TimeSpan.FromDays(19) + TimeSpan.FromHours(19));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "The last hour of the fortieth day."));
        await rig.StopGatewayAsync();

        await using var store = DuckDbCallStore.Open(Path.Combine(rig.DataDir, DuckDbCallStore.FileName), readOnly: true);
        using var http = new HttpClient();
        var admin = new AdminApiClient(http, rig.Mock.BaseAddress, ReconcileRig.AdminKey, TimeSpan.Zero, TimeProvider.System);
        var reconciliation = await BillingReconciliation.RunAsync(store, admin, Day, Day.AddDays(40), ReconcileWidth.Hour, ReconcileTolerance.Default, PriceTable.Default, CancellationToken.None);

        // 960 hourly buckets at 168 a page: 6 usage pages; 40 days at 31 a page: 2 cost pages.
        Assert.Equal(8, admin.Calls);
        Assert.Equal(
            [(Day.AddHours(3), "match"), (Day.AddDays(20).AddHours(3), "unrecorded usage"), (Day.AddDays(39).AddHours(22), "match")],
            reconciliation.Rows.Select(r => (r.Key.Bucket, r.Verdict)));
    }

    [Fact]
    public async Task Buckets_are_utc_days_so_a_call_late_in_the_evening_belongs_to_its_utc_date()
    {
        // 23:30 UTC is already the next day in UTC+2; 00:30 UTC is still the previous evening in UTC-5.
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(23).AddMinutes(30));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "Late on the twentieth, UTC."));
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "Early on the twenty-first, UTC."));
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.SendAsync(ReconcileRig.Message(Haiku, "Still the twenty-first."));

        var (result, json) = await rig.ReconcileAsync("--since", "2026-11-20T02:00:00+02:00", "--until", "2026-11-21T19:00:00-05:00");

        AssertEveryRowMatches(result, json);
        Assert.Equal("2026-11-20T00:00:00Z", json.GetProperty("since").GetString());
        Assert.Equal("2026-11-22T00:00:00Z", json.GetProperty("until").GetString());
        Assert.Equal(
            [("2026-11-20T00:00:00Z", Sonnet, 64L), ("2026-11-21T00:00:00Z", Haiku, 64L), ("2026-11-21T00:00:00Z", Sonnet, 64L)],
            Rows(json).Select(r => (r.GetProperty("bucket").GetString(), r.GetProperty("model").GetString(), Count(r.GetProperty("billed"), "output_tokens"))));
    }

    [Fact]
    public async Task By_default_the_last_hour_is_left_out_and_an_explicit_until_brings_it_back()
    {
        // The CLI's clock is the real one: the call is placed half an hour ago.
        await using var rig = await ReconcileRig.StartAsync(DateTimeOffset.UtcNow.AddMinutes(-30));
        await rig.SendAsync(ReconcileRig.Message(Sonnet, "A call from half an hour ago."), direct: true);

        var (byDefault, json) = await rig.ReconcileAsync("--by", "hour", "--since", "6h");
        Assert.Equal(ClauditCli.Ok, byDefault.ExitCode);
        Assert.Empty(Rows(json));
        Assert.True(DateTimeOffset.Parse(json.GetProperty("until").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow.AddHours(-1));

        var (explicitUntil, withLastHour) = await rig.ReconcileAsync("--by", "hour", "--since", "6h", "--until", Iso(DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(ClauditCli.Failure, explicitUntil.ExitCode);
        Assert.Equal("unrecorded usage", Row(withLastHour, Sonnet).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Batch_results_are_billed_on_the_day_they_were_processed_at_half_price()
    {
        // Submitted a minute before midnight; processing takes two hours, so every request is processed on the 21st.
        await using var rig = await ReconcileRig.StartAsync(Day.AddDays(1).AddMinutes(-1), batchProcessing: TimeSpan.FromHours(2));
        var body = new JsonObject
        {
            ["requests"] = new JsonArray(
                new JsonObject { ["custom_id"] = "a", ["params"] = ReconcileRig.Message(Sonnet, "Batch request one: summarise the contract.") },
                new JsonObject { ["custom_id"] = "b", ["params"] = ReconcileRig.Message(Sonnet, "Batch request two: list the obligations.") }),
        };
        var id = (await rig.PostAsync("/v1/messages/batches", body.ToJsonString())).GetProperty("id").GetString()!;
        rig.Time.Advance(TimeSpan.FromHours(3));
        await rig.GetAsync($"/v1/messages/batches/{id}");
        await rig.GetAsync($"/v1/messages/batches/{id}/results");

        var (result, json) = await rig.ReconcileAsync("--since", Iso(Day), "--until", Iso(Day.AddDays(2)));

        AssertEveryRowMatches(result, json);
        var row = Assert.Single(Rows(json));
        Assert.Equal("2026-11-21T00:00:00Z", row.GetProperty("bucket").GetString());
        Assert.Equal("batch", row.GetProperty("service_tier").GetString());
        var billed = row.GetProperty("billed");
        var standard = CostCalculator.Default.Price(Sonnet, new TokenUsage { InputTokens = Count(billed, "uncached_input_tokens"), OutputTokens = Count(billed, "output_tokens") }).TotalUsd;
        Assert.Equal(standard / 2, Cost(billed));
    }

    [Fact]
    public async Task Cache_writes_are_compared_as_5_minute_and_1_hour_classes()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9));
        var fiveMinutes = ReconcileRig.Message(Sonnet, "First question.");
        fiveMinutes["system"] = ReconcileRig.CachedSystem("five", "5m");
        var oneHour = ReconcileRig.Message(Opus, "First question.");
        oneHour["system"] = ReconcileRig.CachedSystem("hour", "1h");
        await rig.SendAsync(fiveMinutes);
        await rig.SendAsync(fiveMinutes, stream: true);
        await rig.SendAsync(oneHour, stream: true);
        await rig.SendAsync(oneHour);

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        AssertEveryRowMatches(result, json);
        var sonnet = Row(json, Sonnet).GetProperty("billed");
        var opus = Row(json, Opus).GetProperty("billed");
        Assert.True(Count(sonnet, "cache_write_5m_tokens") > 1024);
        Assert.Equal(0, Count(sonnet, "cache_write_1h_tokens"));
        Assert.True(Count(opus, "cache_write_1h_tokens") > 1024);
        Assert.Equal(0, Count(opus, "cache_write_5m_tokens"));
        Assert.Equal(Count(sonnet, "cache_write_5m_tokens"), Count(sonnet, "cache_read_input_tokens"));
    }

    [Fact]
    public async Task Long_context_and_us_inference_are_billed_and_recorded_at_the_same_rates()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9));
        // Over 200k input tokens: the usage report's 200k-1M window; Sonnet 4.6 bills its whole 1M window at standard rates.
        await rig.SendAsync(ReconcileRig.Message(Sonnet, string.Concat(Enumerable.Repeat("A long contract clause. ", 36_000))));
        var us = ReconcileRig.Message(Opus, "Answer from US-only inference.");
        us["inference_geo"] = "us";
        var usUsage = Usage(await rig.SendAsync(us));
        await rig.SendAsync(ReconcileRig.Message(Opus, "Answer from global inference."));

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        AssertEveryRowMatches(result, json);
        Assert.True(Count(Row(json, Sonnet).GetProperty("billed"), "uncached_input_tokens") > 200_000);
        // The US call costs 1.1x: the billed cost of the Opus row holds the premium, and Claudit recorded it too.
        var opus = Row(json, Opus).GetProperty("billed");
        var global = CostCalculator.Default.Price(Opus, new TokenUsage { InputTokens = Count(opus, "uncached_input_tokens"), OutputTokens = Count(opus, "output_tokens") }).TotalUsd;
        var premium = CostCalculator.Default.Price(Opus, usUsage).TotalUsd * 0.1m;
        Assert.Equal(global + premium, Cost(opus));
    }

    [Fact]
    public async Task Web_searches_are_compared_per_request_and_billed_a_cent_each()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9));
        var search = ReconcileRig.Message(Sonnet, "Please search the web for the latest observability news.");
        search["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search", ["max_uses"] = 3 });
        var searches = (await rig.SendAsync(search)).GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt64();
        var direct = (await rig.SendAsync(search, direct: true)).GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt64();
        Assert.True(searches > 0 && direct > 0);

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        Assert.Equal(ClauditCli.Failure, result.ExitCode);
        var row = Row(json, Sonnet);
        Assert.Equal(searches, Count(row.GetProperty("recorded"), "web_search_requests"));
        Assert.Equal(searches + direct, Count(row.GetProperty("billed"), "web_search_requests"));
        Assert.Equal("unrecorded usage", row.GetProperty("verdict").GetString());
        // The bypassed call's cost is its tokens plus $0.01 per search.
        var tokens = row.GetProperty("difference");
        var tokenCost = CostCalculator.Default.Price(Sonnet, new TokenUsage { InputTokens = Count(tokens, "uncached_input_tokens"), OutputTokens = Count(tokens, "output_tokens") }).TotalUsd;
        Assert.Equal(tokenCost + (direct * 0.01m), Cost(tokens));
    }

    [Fact]
    public async Task Console_usage_has_no_api_key_id_and_is_still_counted_as_unrecorded_usage()
    {
        await using var rig = await ReconcileRig.StartAsync(Day.AddHours(9));
        await rig.SendAsync(ReconcileRig.Message(Haiku, "Through the gateway."));
        var console = Usage(await rig.SendAsync(ReconcileRig.Message(Haiku, "Typed in the Workbench."), direct: true, headers: [(MockApiKeys.ConsoleHeader, "1")]));

        var (result, json) = await rig.ReconcileAsync(OneDay(Day));

        Assert.Equal(ClauditCli.Failure, result.ExitCode);
        var row = Row(json, Haiku);
        Assert.Equal("unrecorded usage", row.GetProperty("verdict").GetString());
        Assert.Equal(console.InputTokens, Count(row.GetProperty("difference"), "uncached_input_tokens"));
        Assert.Equal(CostCalculator.Default.Price(Haiku, console).TotalUsd, Cost(row.GetProperty("difference")));
    }
}
