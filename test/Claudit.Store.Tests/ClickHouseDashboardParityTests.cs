using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;

namespace Claudit.Store.Tests;

/// <summary>
/// Every dashboard read-model answer from a real ClickHouse equals DuckDB's for the same records: exact counts,
/// costs and orders; percentiles within 1e-9 relative (DuckDB's quantile_cont rounds its last bit its own way,
/// ClickHouse's are interpolated in C# by the report's formula).
/// </summary>
[Collection(ClickHouseCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ClickHouseDashboardParityTests(ClickHouseFixture clickHouse)
{
    private static readonly RecordFilter Range = new() { Since = TestRecords.Start.AddDays(-1), Until = TestRecords.Start.AddDays(3) };
    private static readonly CostBasis Recomputed = CostBasis.Recomputed(CostCalculator.Default);

    [Fact]
    public async Task Overview_daily_quality_and_session_costs_agree()
    {
        var p = await clickHouse.ParityAsync();
        foreach (var cost in new[] { CostBasis.Recorded, Recomputed })
        {
            Same(await p.Duck.QueryOverviewAsync(Range, cost), await p.Click.QueryOverviewAsync(Range, cost));
            Same(await p.Duck.QueryDailyCostAsync(Range, cost), await p.Click.QueryDailyCostAsync(Range, cost));
            Same(await p.Duck.QuerySessionCostsAsync(Range, cost), await p.Click.QuerySessionCostsAsync(Range, cost));
        }

        var tenant = Range with { AllowedTenants = new HashSet<string> { "tenant_00" } };
        Same(await p.Duck.QueryOverviewAsync(tenant, CostBasis.Recorded), await p.Click.QueryOverviewAsync(tenant, CostBasis.Recorded));
        Same(await p.Duck.QueryQualityAsync(Range), await p.Click.QueryQualityAsync(Range));
    }

    [Fact]
    public async Task Every_time_series_and_breakdown_agrees()
    {
        var p = await clickHouse.ParityAsync();
        var narrow = Range with { Since = TestRecords.Start, Until = TestRecords.Start.AddHours(2) };
        foreach (var metric in Enum.GetValues<TimeSeriesMetric>())
        {
            foreach (var by in Enum.GetValues<TimeSeriesSplit>())
            {
                var query = new TimeSeriesQuery(metric, by, TimeSpan.FromMinutes(5));
                TimeSeries? duck;
                try
                {
                    duck = await p.Duck.QueryTimeSeriesAsync(narrow, Recomputed, query);
                }
                catch (ArgumentException)
                {
                    await Assert.ThrowsAsync<ArgumentException>(() => p.Click.QueryTimeSeriesAsync(narrow, Recomputed, query));
                    continue;
                }

                Same(duck, await p.Click.QueryTimeSeriesAsync(narrow, Recomputed, query), $"{metric} by {by}");
            }
        }

        foreach (var key in Enum.GetValues<BreakdownKey>())
        {
            Same(await p.Duck.QueryBreakdownAsync(Range, CostBasis.Recorded, key, 10), await p.Click.QueryBreakdownAsync(Range, CostBasis.Recorded, key, 10), key.ToString());
        }
    }

    [Fact]
    public async Task Sessions_a_session_and_call_lists_agree()
    {
        var p = await clickHouse.ParityAsync();
        var sessions = await p.Click.QuerySessionsAsync(Range, CostBasis.Recorded, 25);
        Assert.Equal(25, sessions.Length);
        Same(await p.Duck.QuerySessionsAsync(Range, CostBasis.Recorded, 25), sessions);
        Same(await p.Duck.GetSessionAsync(sessions[3].Id, CostBasis.Recorded), await p.Click.GetSessionAsync(sessions[3].Id, CostBasis.Recorded));
        Same(await p.Duck.GetSessionAsync(sessions[3].Id, Recomputed), await p.Click.GetSessionAsync(sessions[3].Id, Recomputed));
        Assert.Null(await p.Click.GetSessionAsync("no-such-session", CostBasis.Recorded));

        foreach (var order in Enum.GetValues<CallOrder>())
        {
            var query = new CallListQuery { Order = order, Limit = 40, Offset = 5 };
            Same(await p.Duck.QueryCallsAsync(Range, CostBasis.Recorded, query), await p.Click.QueryCallsAsync(Range, CostBasis.Recorded, query), order.ToString());
            var errors = query with { ErrorsOnly = true };
            Same(await p.Duck.QueryCallsAsync(Range, Recomputed, errors), await p.Click.QueryCallsAsync(Range, Recomputed, errors), $"{order}, errors");
        }
    }

    [Fact]
    public async Task The_drill_down_filters_data_span_error_groups_and_session_pages_agree()
    {
        var p = await clickHouse.ParityAsync();
        Same(await p.Duck.QueryDataSpanAsync(Range), await p.Click.QueryDataSpanAsync(Range));
        Same(await p.Duck.QueryDataSpanAsync(Range with { Since = Range.Until }), await p.Click.QueryDataSpanAsync(Range with { Since = Range.Until }));
        var groups = await p.Click.QueryErrorGroupsAsync(Range, 20);
        Assert.NotEmpty(groups);
        Same(await p.Duck.QueryErrorGroupsAsync(Range, 20), groups);

        foreach (var key in Enum.GetValues<BreakdownKey>())
        {
            Same(await p.Duck.QueryBreakdownAsync(Range, CostBasis.Recorded, key, 10, latency: false), await p.Click.QueryBreakdownAsync(Range, CostBasis.Recorded, key, 10, latency: false), key.ToString());
        }

        var page = await p.Click.QuerySessionsAsync(Range, CostBasis.Recorded, 10, offset: 10);
        Assert.Equal(10, page.Length);
        Same(await p.Duck.QuerySessionsAsync(Range, CostBasis.Recorded, 10, offset: 10), page);
        var searched = await p.Click.QuerySessionsAsync(Range, CostBasis.Recorded, 10, search: page[0].User![..^1].ToUpperInvariant());
        Assert.NotEmpty(searched);
        Same(await p.Duck.QuerySessionsAsync(Range, CostBasis.Recorded, 10, search: page[0].User![..^1].ToUpperInvariant()), searched);

        var sample = p.Records.First(r => r.Tags.Properties is { Count: > 0 } && r.RequestId is not null && r.Tags.TraceId is not null);
        var error = p.Records.First(r => r.Error is not null);
        var queries = new Dictionary<string, CallListQuery>
        {
            ["answered, oldest first"] = new() { AnsweredOnly = true, Ascending = true, Limit = 30 },
            ["error type"] = new() { ErrorType = error.Error!.Type ?? "http_error" },
            ["stop reason"] = new() { StopReason = "max_tokens" },
            ["request id"] = new() { RequestId = sample.RequestId },
            ["trace id"] = new() { TraceId = sample.Tags.TraceId },
            ["property"] = new() { Properties = new Dictionary<string, string> { [sample.Tags.Properties!.First().Key] = sample.Tags.Properties!.First().Value } },
            ["search"] = new() { Search = sample.RequestId![^6..].ToUpperInvariant() },
            ["cheapest first"] = new() { Order = CallOrder.Cost, Ascending = true, Limit = 20 },
        };
        foreach (var (name, query) in queries)
        {
            foreach (var cost in new[] { CostBasis.Recorded, Recomputed })
            {
                var calls = await p.Click.QueryCallsAsync(Range, cost, query);
                Assert.True(calls.Length > 0, $"{name}: no calls");
                Same(await p.Duck.QueryCallsAsync(Range, cost, query), calls, $"{name}, {cost.Mode}");
            }
        }

        Same(await p.Duck.QuerySessionsAsync(Range, Recomputed, 10, search: "SESS"), await p.Click.QuerySessionsAsync(Range, Recomputed, 10, search: "SESS"));
    }

    private static void Same<T>(T expected, T actual, string what = "")
    {
        var e = JsonSerializer.SerializeToNode(expected);
        var a = JsonSerializer.SerializeToNode(actual);
        Compare(e, a, what + " $");
    }

    private static void Compare(JsonNode? e, JsonNode? a, string path)
    {
        switch (e)
        {
            case null:
                Assert.True(a is null, $"{path}: expected null, got {a?.ToJsonString()}");
                break;
            case JsonObject eo:
                var ao = Assert.IsType<JsonObject>(a);
                Assert.Equal(eo.Select(p => p.Key), ao.Select(p => p.Key));
                foreach (var (key, value) in eo)
                {
                    Compare(value, ao[key], $"{path}.{key}");
                }

                break;
            case JsonArray ea:
                var aa = Assert.IsType<JsonArray>(a);
                Assert.True(ea.Count == aa.Count, $"{path}: {ea.Count} items expected, {aa.Count} found");
                for (var i = 0; i < ea.Count; i++)
                {
                    Compare(ea[i], aa[i], $"{path}[{i}]");
                }

                break;
            default:
                var ev = e.AsValue();
                if (ev.GetValueKind() == JsonValueKind.Number && a?.GetValueKind() == JsonValueKind.Number && ev.ToJsonString() != a.ToJsonString())
                {
                    var x = ev.GetValue<double>();
                    var y = a.GetValue<double>();
                    Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y)), $"{path}: {x} expected, {y} found");
                }
                else
                {
                    Assert.Equal(ev.ToJsonString(), a?.ToJsonString());
                }

                break;
        }
    }
}
