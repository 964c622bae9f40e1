using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>The per-group table: by model, feature, user, tenant, session and day.</summary>
public class ReportGroupingTests
{
    private static (string Key, long Calls, long Errors, decimal Cost)[] Rows(GroupBy by) =>
        HandBuiltRecords.Build(new ReportOptions { GroupBy = by }).By.Select(g => (g.Key, g.Calls, g.Errors, g.CostUsd)).ToArray();

    [Fact]
    public void By_model_ordered_by_cost_then_calls_then_name()
    {
        Assert.Equal(
            [
                ("claude-opus-4-8", 3L, 1L, 0.148m), // R5 .125 + R6 .023, R9 errored
                (HandBuiltRecords.Sonnet, 3L, 1L, 0.0264m), // R1 .018 + R2 .0057 + R11 .0027
                (HandBuiltRecords.Haiku, 3L, 0L, 0.02024m), // R3 + R4 .01012 each, R10 no usage
                ("claude-mystery-7", 1L, 0L, 0m), // unpriced
                ("claude-sonnet-4-5", 1L, 1L, 0m), // R8: only the requested model is known
            ],
            Rows(GroupBy.Model));
    }

    [Fact]
    public void Group_rows_carry_tokens_and_latency()
    {
        var report = HandBuiltRecords.Build();

        var opus = report.By[0];
        Assert.Equal("model", report.GroupBy);
        Assert.Equal((10100L, 2100L, 0L, 50000L), (opus.InputTokens, opus.OutputTokens, opus.CacheWriteTokens, opus.CacheReadTokens));
        Assert.Equal(1.0 / 3, opus.ErrorRate, precision: 12);
        // latencies 60 500 600: p50 500; p95 rank 1.9 -> 500 + 0.9 x 100
        Assert.Equal(500, opus.LatencyP50Ms!.Value, precision: 9);
        Assert.Equal(590, opus.LatencyP95Ms!.Value, precision: 9);
        var sonnet = report.By[1];
        Assert.Equal((1600L, 900L, 2000L, 2000L), (sonnet.InputTokens, sonnet.OutputTokens, sonnet.CacheWriteTokens, sonnet.CacheReadTokens));
    }

    [Fact]
    public void By_feature()
    {
        Assert.Equal(
            [("code-review", 3L, 1L, 0.148m), ("chat", 5L, 2L, 0.0264m), ("summarise", 3L, 0L, 0.02024m)],
            Rows(GroupBy.Feature));
    }

    [Fact]
    public void By_user()
    {
        Assert.Equal(
            [("u3", 3L, 1L, 0.148m), ("u1", 4L, 1L, 0.0264m), ("u2", 4L, 1L, 0.02024m)],
            Rows(GroupBy.User));
    }

    [Fact]
    public void By_tenant_with_untagged_calls_under_none()
    {
        Assert.Equal(
            [("t2", 4L, 1L, 0.15812m), ("t1", 6L, 2L, 0.03652m), ("(none)", 1L, 0L, 0m)],
            Rows(GroupBy.Tenant));
    }

    [Fact]
    public void By_session_falls_back_to_the_conversation()
    {
        Assert.Equal(
            [("s3", 2L, 0L, 0.148m), ("s1", 4L, 1L, 0.0264m), ("s2", 2L, 0L, 0.02024m), ("(none)", 2L, 2L, 0m), ("c9", 1L, 0L, 0m)],
            Rows(GroupBy.Session));
    }

    [Fact]
    public void By_day_in_date_order()
    {
        Assert.Equal(
            [("2026-11-01", 6L, 1L, 0.04394m), ("2026-11-02", 5L, 2L, 0.1507m)],
            Rows(GroupBy.Day));
    }

    [Theory]
    [InlineData(GroupBy.Model)]
    [InlineData(GroupBy.Feature)]
    [InlineData(GroupBy.User)]
    [InlineData(GroupBy.Tenant)]
    [InlineData(GroupBy.Session)]
    [InlineData(GroupBy.Day)]
    public void Groups_add_up_to_the_totals(GroupBy by)
    {
        var report = HandBuiltRecords.Build(new ReportOptions { GroupBy = by });

        Assert.Equal(report.Calls, report.By.Sum(g => g.Calls));
        Assert.Equal(report.Errors, report.By.Sum(g => g.Errors));
        Assert.Equal(report.CostUsd, report.By.Sum(g => g.CostUsd));
        Assert.Equal(report.Tokens.Input, report.By.Sum(g => g.InputTokens));
        Assert.Equal(report.Tokens.CacheRead, report.By.Sum(g => g.CacheReadTokens));
    }
}
