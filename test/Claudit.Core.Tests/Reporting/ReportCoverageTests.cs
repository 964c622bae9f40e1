using Claudit.Core.Records;

namespace Claudit.Core.Tests.Reporting;

/// <summary>How much of the cost can be trusted: calls that could not be priced are counted, never guessed.</summary>
public class ReportCoverageTests
{
    [Fact]
    public void Counts_priced_unpriced_and_usage_less_calls()
    {
        var coverage = HandBuiltRecords.Build().Coverage;

        Assert.Equal(7, coverage.PricedCalls); // R1-R6 and R11
        Assert.Equal(1, coverage.UnpricedCalls); // R7, unknown model
        Assert.Equal([("claude-mystery-7", 1L)], coverage.UnpricedModels.Select(m => (m.Key, m.Count)));
        Assert.Equal(1, coverage.CallsWithoutUsage); // R10
        // R8 and R9 are errors without usage: they cost nothing and are not holes in the total.
        Assert.Equal(7.0 / 9, coverage.Coverage!.Value, precision: 12);
    }

    [Fact]
    public void Errors_without_usage_do_not_reduce_coverage()
    {
        var withoutErrors = HandBuiltRecords.All.Where(r => r != HandBuiltRecords.R8 && r != HandBuiltRecords.R9);

        var a = HandBuiltRecords.Build().Coverage;
        var b = HandBuiltRecords.Build(records: withoutErrors).Coverage;

        Assert.Equal(a.Coverage, b.Coverage);
        Assert.Equal(a.CallsWithoutUsage, b.CallsWithoutUsage);
    }

    [Fact]
    public void All_priced_is_full_coverage()
    {
        var report = HandBuiltRecords.Build(records: [HandBuiltRecords.R1, HandBuiltRecords.R5, HandBuiltRecords.R8]);

        Assert.Equal(1.0, report.Coverage.Coverage);
        Assert.Equal(0, report.Coverage.UnpricedCalls);
        Assert.Empty(report.Coverage.UnpricedModels);
    }

    [Fact]
    public void Unknown_models_are_listed_by_name_with_their_counts()
    {
        var other = HandBuiltRecords.R7 with { Id = HandBuiltRecords.IdOf(100), ModelUsed = "claude-opus-4-9" };
        var another = HandBuiltRecords.R7 with { Id = HandBuiltRecords.IdOf(101) };
        var noModel = HandBuiltRecords.R7 with { Id = HandBuiltRecords.IdOf(102), ModelUsed = null, ModelRequested = null };

        var coverage = HandBuiltRecords.Build(records: [.. HandBuiltRecords.All, other, another, noModel]).Coverage;

        // An unknown claude-opus-4-9 is never priced as its neighbour claude-opus-4-8.
        Assert.Equal([("claude-mystery-7", 2L), ("(no model)", 1L), ("claude-opus-4-9", 1L)], coverage.UnpricedModels.Select(m => (m.Key, m.Count)));
        Assert.Equal(4, coverage.UnpricedCalls);
        Assert.Equal(7.0 / 12, coverage.Coverage!.Value, precision: 12);
    }

    [Fact]
    public void Unpriced_tokens_still_count_as_tokens()
    {
        var report = HandBuiltRecords.Build(records: [HandBuiltRecords.R7]);

        Assert.Equal(1000, report.Tokens.Input);
        Assert.Equal(0m, report.CostUsd);
        Assert.Equal(0.0, report.Coverage.Coverage);
        Assert.Empty(report.TopCalls);
    }

    [Fact]
    public void An_ok_call_without_usage_is_a_hole()
    {
        var report = HandBuiltRecords.Build(records: [HandBuiltRecords.R1, HandBuiltRecords.R10 with { Status = CallStatus.Ok }]);

        Assert.Equal(1, report.Coverage.CallsWithoutUsage);
        Assert.Equal(0.5, report.Coverage.Coverage);
    }
}
