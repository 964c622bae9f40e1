using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;

namespace Claudit.Store.Tests;

/// <summary>
/// The store's SQL report and <see cref="ReportAccumulator"/> over the same records give the same report,
/// byte for byte as JSON: counts, exact decimal costs, percentiles, groups and their order, top calls,
/// recent errors, coverage. (DuckDB's quantile_cont interpolates exactly as Percentiles does — lo +
/// (rank - lo) * (hi - lo) with rank = p * (n - 1) — so even the doubles are equal, not merely close.)
/// </summary>
public class ReportParityTests : IAsyncLifetime
{
    private readonly TempStore _dir = new();
    private List<Core.Records.CallRecord> _records = [];
    private DuckDbCallStore _store = null!;

    public async Task InitializeAsync()
    {
        _records = await TestRecords.MixAsync(3000, seed: 7);
        _store = _dir.Open();
        // Several batches, as the gateway's sink appends them.
        foreach (var batch in _records.Chunk(700))
        {
            await _store.AppendAsync(batch);
        }
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    public static TheoryData<string> Options() => [.. Cases.Keys];

    internal static readonly Dictionary<string, ReportOptions> Cases = new()
    {
        ["default (recorded)"] = new ReportOptions(),
        ["recomputed"] = new ReportOptions { CostMode = CostMode.Recomputed },
        ["by feature, top 25, recomputed"] = new ReportOptions { GroupBy = GroupBy.Feature, TopN = 25, CostMode = CostMode.Recomputed },
        ["by user, recorded"] = new ReportOptions { GroupBy = GroupBy.User, CostMode = CostMode.Recorded, RecentErrors = 30 },
        ["by tenant"] = new ReportOptions { GroupBy = GroupBy.Tenant },
        ["by session, recomputed"] = new ReportOptions { GroupBy = GroupBy.Session, TopN = 0, RecentErrors = 0, CostMode = CostMode.Recomputed },
        ["by day"] = new ReportOptions { GroupBy = GroupBy.Day },
        ["since/until"] = new ReportOptions
        {
            Filter = new RecordFilter { Since = TestRecords.Start.AddMinutes(2), Until = TestRecords.Start.AddMinutes(7).AddTicks(3) },
            CostMode = CostMode.Recomputed,
        },
        ["model prefix, any case, recomputed"] = new ReportOptions { Filter = new RecordFilter { Model = "CLAUDE-Sonnet" }, GroupBy = GroupBy.Model, CostMode = CostMode.Recomputed },
        ["feature and user"] = new ReportOptions { Filter = new RecordFilter { Feature = "chat", User = "user_00000" }, CostMode = CostMode.Recorded },
        ["nothing matches"] = new ReportOptions { Filter = new RecordFilter { Model = "gpt-" } },
        ["every endpoint, by endpoint, recomputed"] = new ReportOptions { GroupBy = GroupBy.Endpoint, Filter = new RecordFilter { Endpoint = EndpointScope.All }, CostMode = CostMode.Recomputed },
        ["count_tokens only"] = new ReportOptions { Filter = new RecordFilter { Endpoint = EndpointKinds.CountTokens } },
        ["batch results, since"] = new ReportOptions { Filter = new RecordFilter { Endpoint = EndpointKinds.BatchResult, Since = TestRecords.Start.AddMinutes(3) } },
        ["allowed tenants, by tenant"] = new ReportOptions { Filter = new RecordFilter { AllowedTenants = new HashSet<string> { "tenant_00", "tenant_03" } }, GroupBy = GroupBy.Tenant, RecentErrors = 30 },
        ["allowed tenants and a tenant outside them"] = new ReportOptions { Filter = new RecordFilter { Tenant = "tenant_01", AllowedTenants = new HashSet<string> { "tenant_00" } } },
        ["no allowed tenants"] = new ReportOptions { Filter = new RecordFilter { AllowedTenants = new HashSet<string>() } },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public async Task Store_report_equals_the_accumulator_report(string name)
    {
        var options = Cases[name];
        var expected = Accumulate(options, CostCalculator.Default);

        var actual = await _store.QueryReportAsync(options, CostCalculator.Default);

        Assert.Equal(ReportJsonContext.Serialize(expected), ReportJsonContext.Serialize(actual));
    }

    [Fact]
    public async Task The_mix_exercises_what_it_claims_to()
    {
        var report = await _store.QueryReportAsync(new ReportOptions { GroupBy = GroupBy.Day }, CostCalculator.Default);

        Assert.True(report.Coverage.UnpricedCalls > 0);
        Assert.True(report.Coverage.CallsWithoutUsage > 0);
        Assert.True(report.ErrorsByType.Count >= 4);
        Assert.True(report.By.Count >= 3);
        Assert.True(report.CostBreakdownUsd.CacheWrite1h > 0);
        Assert.True(report.CostBreakdownUsd.WebSearch > 0);
        Assert.True(report.TtftMs.Count > 0);
        Assert.Equal(["count_tokens", "batches", "models"], report.OtherEndpoints.Select(e => e.Endpoint));
        Assert.Equal(["msgbatch_3", "msgbatch_4"], report.BatchGaps.Select(g => g.BatchId));
    }

    [Fact]
    public async Task A_different_price_table_prices_differently_and_still_agrees()
    {
        // Everything at ten times the list price, with a long-context tier on Haiku too.
        var table = PriceTable.Default;
        var models = table.Models.Select(m => m with
        {
            Rates = Times(m.Rates, 10),
            Tiers = m.Id == "claude-haiku-4-5" ? [new PriceTier(12_345, Times(m.Rates, 13))] : [.. m.Tiers.Select(t => t with { Rates = Times(t.Rates, 10) })],
        }).ToArray();
        var pricing = new CostCalculator(new PriceTable("2027-01-01", models, batchMultiplier: 0.25m, webSearchUsdPer1000: 7m, webFetchUsdPer1000: 0.5m));
        var options = new ReportOptions { GroupBy = GroupBy.Feature, CostMode = CostMode.Recomputed };

        var expected = Accumulate(options, pricing);
        var actual = await _store.QueryReportAsync(options, pricing);

        Assert.Equal(ReportJsonContext.Serialize(expected), ReportJsonContext.Serialize(actual));
        Assert.NotEqual(Accumulate(options, CostCalculator.Default).CostUsd, actual.CostUsd);
    }

    private static TokenRates Times(TokenRates r, decimal k) => new(r.Input * k, r.CacheWrite5m * k, r.CacheWrite1h * k, r.CacheRead * k, r.Output * k);

    private Report Accumulate(ReportOptions options, CostCalculator pricing)
    {
        var accumulator = new ReportAccumulator(options, pricing);
        foreach (var record in _records)
        {
            accumulator.Add(record);
        }

        return accumulator.Build();
    }
}
