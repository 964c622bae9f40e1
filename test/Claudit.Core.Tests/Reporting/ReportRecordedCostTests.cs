using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary><c>CostMode.Recorded</c> trusts the cost each record carries instead of pricing its tokens.</summary>
public class ReportRecordedCostTests
{
    private static IEnumerable<CallRecord> WithRecordedCosts() => HandBuiltRecords.All.Select(r =>
        r == HandBuiltRecords.R1 ? r with { Cost = new CallCost { Priced = true, TotalUsd = 1.50m, InputUsd = 1.00m, OutputUsd = 0.50m, PriceTableVersion = "2025-01-01" } }
        : r == HandBuiltRecords.R5 ? r with { Cost = new CallCost { Priced = true, TotalUsd = 2.25m, InputUsd = 2.00m, CacheReadUsd = 0.25m, PriceTableVersion = "recorded" } }
        : r == HandBuiltRecords.R7 ? r with { Cost = CallCost.Unpriced("unknown_model", "2025-01-01") }
        : r with { Cost = null });

    [Fact]
    public void Uses_the_records_own_cost()
    {
        var report = HandBuiltRecords.Build(new ReportOptions { CostMode = CostMode.Recorded }, WithRecordedCosts());

        Assert.Equal(3.75m, report.CostUsd);
        Assert.Equal(new CostBreakdown(3.00m, 0m, 0m, 0.25m, 0.50m, 0m), report.CostBreakdownUsd);
        Assert.Equal("recorded", report.CostMode);
        Assert.Equal("2025-01-01,recorded", report.PriceTableVersion); // the tables the priced records name
        Assert.Equal([HandBuiltRecords.IdOf(5), HandBuiltRecords.IdOf(1)], report.TopCalls.Select(c => c.Id));
        Assert.Equal(2.25m, report.By.Single(g => g.Key == HandBuiltRecords.Opus).CostUsd);
    }

    [Fact]
    public void Calls_with_tokens_but_no_recorded_cost_are_unpriced()
    {
        var coverage = HandBuiltRecords.Build(new ReportOptions { CostMode = CostMode.Recorded }, WithRecordedCosts()).Coverage;

        Assert.Equal(2, coverage.PricedCalls);
        Assert.Equal(6, coverage.UnpricedCalls); // R2, R3, R4, R6, R7, R11
        Assert.Equal(
            [(HandBuiltRecords.Haiku, 2L), (HandBuiltRecords.Sonnet, 2L), ("claude-mystery-7", 1L), (HandBuiltRecords.Opus, 1L)],
            coverage.UnpricedModels.Select(m => (m.Key, m.Count)));
        Assert.Equal(2.0 / 9, coverage.Coverage!.Value, precision: 12);
    }

    [Fact]
    public void Recomputed_mode_ignores_the_recorded_cost()
    {
        var report = HandBuiltRecords.Build(new ReportOptions { CostMode = CostMode.Recomputed }, WithRecordedCosts());

        Assert.Equal(HandBuiltRecords.TotalCost, report.CostUsd);
    }
}
