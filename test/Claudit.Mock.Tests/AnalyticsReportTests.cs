using System.Globalization;
using System.Net;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// The Usage and Cost Analytics API (beta; shared/reference/anthropic-usage-cost-api.md §4): flat rows that agree
/// with the legacy reports, request counts, no empty rows, the beta header required.
/// </summary>
public class AnalyticsReportTests
{
    private static readonly DateTimeOffset Day = new(2026, 9, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly (string, string) Beta = ("anthropic-beta", AnalyticsReport.Beta);
    private readonly FakeTimeProvider _time = new(Day.AddHours(8));

    private static string Range => $"starting_at={MockHttp.Seconds(Day)}&ending_at={MockHttp.Seconds(Day.AddDays(2))}";

    /// <summary>Five calls over two days, three models, one priority call.</summary>
    private async Task<MockHost> StartWithTrafficAsync()
    {
        var host = await MockHost.StartAsync(o => o with { TimeProvider = _time });
        await host.Client.MessagesAsync(Requests.Message("Analytics one."));
        await host.Client.MessagesAsync(Requests.Message("Analytics two."));
        await host.Client.MessagesAsync(Requests.Message("Analytics three.", model: "claude-haiku-4-5"));
        _time.Advance(TimeSpan.FromDays(1));
        await host.Client.MessagesAsync(Requests.Message("Analytics four.", model: "claude-opus-4-6").With("service_tier", "priority"));
        await host.Client.MessagesAsync(Requests.Message("Analytics five."));
        return host;
    }

    private static async Task<List<JsonElement>> RowsAsync(MockHost host, string path, string query)
    {
        var rows = new List<JsonElement>();
        string? page = null;
        do
        {
            var reply = await host.Client.AdminAsync($"{path}?{query}{(page is null ? "" : "&page=" + Uri.EscapeDataString(page))}", Beta);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            rows.AddRange(reply.Json.GetProperty("data").EnumerateArray());
            page = UsageTally.Str(reply.Json, "next_page");
            Assert.Equal(reply.Json.GetProperty("has_more").GetBoolean(), page is not null);
        }
        while (page is not null);

        return rows;
    }

    [Fact]
    public async Task Usage_rows_agree_with_the_legacy_report_and_count_requests()
    {
        await using var host = await StartWithTrafficAsync();
        var rows = await RowsAsync(host, "/v1/organizations/analytics/usage", Range + "&time_bucket_width=1d&group_by[]=model&group_by[]=service_tier&limit=1");
        Assert.Equal(4, rows.Count); // day 1: sonnet, haiku; day 2: opus priority, sonnet — no empty rows
        Assert.Equal(5, rows.Sum(r => r.GetProperty("usage").GetProperty("requests").GetInt64()));
        var first = rows[0];
        Assert.Equal(19, first.GetProperty("group").EnumerateObject().Count());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("group").GetProperty("api_key_id").ValueKind);
        Assert.All(rows, r =>
        {
            var u = r.GetProperty("usage");
            var sums = TokenSums.OfResult(u);
            Assert.Equal(sums.Uncached + sums.CacheWrite5m + sums.CacheWrite1h + sums.CacheRead + sums.Output, u.GetProperty("total_tokens").GetInt64());
        });
        // Within a day, the largest total_tokens first.
        Assert.True(rows[0].GetProperty("usage").GetProperty("total_tokens").GetInt64() >= rows[1].GetProperty("usage").GetProperty("total_tokens").GetInt64());

        var analytics = new UsageTally();
        foreach (var r in rows)
        {
            analytics.Add(UsageTally.Key(r.GetProperty("starting_at").GetString(), UsageTally.Str(r.GetProperty("group"), "model"), UsageTally.Str(r.GetProperty("group"), "service_tier")),
                TokenSums.OfResult(r.GetProperty("usage")));
        }

        var legacy = (await host.Client.AdminAsync($"/v1/organizations/usage_report/messages?{Range}&group_by[]=model&group_by[]=service_tier")).Json.GetProperty("data").EnumerateArray();
        var expected = UsageTally.OfReport(legacy, (b, r) => UsageTally.Key(b.GetProperty("starting_at").GetString(), UsageTally.Str(r, "model"), UsageTally.Str(r, "service_tier")));
        Assert.Equal(expected.Sums.OrderBy(e => e.Key, StringComparer.Ordinal), analytics.Sums.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_a_bucket_width_one_row_covers_the_range_to_the_hour()
    {
        await using var host = await StartWithTrafficAsync();
        var rows = await RowsAsync(host, "/v1/organizations/analytics/usage", $"starting_at={MockHttp.Seconds(Day)}&ending_at=2026-09-04T23:30:00Z");
        var row = Assert.Single(rows);
        Assert.Equal(MockHttp.Seconds(Day), row.GetProperty("starting_at").GetString());
        Assert.Equal("2026-09-04T23:00:00Z", row.GetProperty("ending_at").GetString());
        Assert.Equal(5, row.GetProperty("usage").GetProperty("requests").GetInt64());

        var actors = await RowsAsync(host, "/v1/organizations/analytics/usage", Range + "&group_by[]=actor&group_by[]=actor_type&group_by[]=api_key_id");
        var actor = Assert.Single(actors).GetProperty("group");
        Assert.Equal(MockApiKeys.IdOf(Keys.Api), actor.GetProperty("actor").GetString());
        Assert.Equal("api_key", actor.GetProperty("actor_type").GetString());
        Assert.Equal(MockApiKeys.IdOf(Keys.Api), actor.GetProperty("api_key_id").GetString());
    }

    [Fact]
    public async Task Cost_rows_agree_with_the_legacy_cost_report()
    {
        await using var host = await StartWithTrafficAsync();
        static decimal Cents(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

        var byType = await RowsAsync(host, "/v1/organizations/analytics/cost", Range + "&time_bucket_width=1d&group_by[]=model&group_by[]=token_type&group_by[]=service_tier");
        Assert.All(byType, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("cost").GetProperty("requests").ValueKind));
        Assert.All(byType, r => Assert.Equal("USD", r.GetProperty("cost").GetProperty("currency").GetString()));
        Assert.Equal(21, byType[0].GetProperty("group").EnumerateObject().Count());
        Assert.DoesNotContain(byType, r => UsageTally.Str(r.GetProperty("group"), "service_tier") == "priority");

        var legacy = (await host.Client.AdminAsync($"/v1/organizations/cost_report?{Range}&group_by[]=description")).Json.GetProperty("data").EnumerateArray()
            .SelectMany(b => b.GetProperty("results").EnumerateArray().Select(r => (Day: b.GetProperty("starting_at").GetString(), Row: r)))
            .ToDictionary(x => UsageTally.Key(x.Day, UsageTally.Str(x.Row, "model"), UsageTally.Str(x.Row, "token_type")), x => Cents(x.Row.GetProperty("amount")));
        var analytics = byType.ToDictionary(r => UsageTally.Key(r.GetProperty("starting_at").GetString(), UsageTally.Str(r.GetProperty("group"), "model"), UsageTally.Str(r.GetProperty("group"), "token_type")),
            r => Cents(r.GetProperty("cost").GetProperty("amount")));
        Assert.Equal(legacy.OrderBy(e => e.Key, StringComparer.Ordinal), analytics.OrderBy(e => e.Key, StringComparer.Ordinal));

        var total = Assert.Single(await RowsAsync(host, "/v1/organizations/analytics/cost", Range));
        Assert.Equal(4, total.GetProperty("cost").GetProperty("requests").GetInt64()); // the priority call is not in cost
        Assert.Equal(legacy.Values.Sum(), Cents(total.GetProperty("cost").GetProperty("amount")));
        Assert.Equal(total.GetProperty("cost").GetProperty("amount").GetString(), total.GetProperty("cost").GetProperty("list_amount").GetString());
    }

    [Theory]
    [InlineData("/v1/organizations/analytics/usage")]
    [InlineData("/v1/organizations/analytics/cost")]
    public async Task The_beta_header_is_required(string path)
    {
        await using var host = await StartWithTrafficAsync();
        var error = (await host.Client.AdminAsync(path + "?" + Range)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.Contains(AnalyticsReport.Beta, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("starting_at=2025-12-31T00:00:00Z&ending_at=2026-01-02T00:00:00Z")]
    [InlineData("starting_at=2026-08-01T00:00:00Z&ending_at=2026-09-02T00:00:00Z")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&ending_at=2026-09-02T00:00:00Z")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&time_bucket_width=2h")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&group_by[]=cost_type")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&order_by=colour")]
    [InlineData("starting_at=2026-09-03T00:00:00Z&limit=1001")]
    [InlineData("ending_at=2026-09-03T00:00:00Z")]
    public async Task Bad_usage_query_is_400(string query)
    {
        await using var host = await StartWithTrafficAsync();
        (await host.Client.AdminAsync("/v1/organizations/analytics/usage?" + query, Beta)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Order_by_ranks_rows_by_the_metric()
    {
        await using var host = await StartWithTrafficAsync();
        var rows = await RowsAsync(host, "/v1/organizations/analytics/usage", Range + "&time_bucket_width=1d&group_by[]=model&order_by=output_tokens&order=asc");
        var outputs = rows.Select(r => r.GetProperty("usage").GetProperty("output_tokens").GetInt64()).ToList();
        Assert.Equal(outputs.Order(), outputs);
        Assert.Equal(4, outputs.Count);
    }
}
