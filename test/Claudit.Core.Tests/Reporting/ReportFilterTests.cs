using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>Which records a report covers: time range, model prefix, feature, user.</summary>
public class ReportFilterTests
{
    private static Report With(RecordFilter filter) => HandBuiltRecords.Build(new ReportOptions { Filter = filter });

    [Fact]
    public void Since_is_inclusive()
    {
        var report = With(new RecordFilter { Since = HandBuiltRecords.Day2 });

        Assert.Equal(5, report.Calls); // R5 R6 R9 R10 R11
        Assert.Equal(2, report.Errors);
        Assert.Equal(0.1507m, report.CostUsd);
        Assert.Equal(HandBuiltRecords.R5.StartTime, report.From);
    }

    [Fact]
    public void Until_is_exclusive()
    {
        var report = With(new RecordFilter { Until = HandBuiltRecords.Day2 });

        Assert.Equal(6, report.Calls); // R1 R2 R3 R4 R7 R8
        Assert.Equal(0.04394m, report.CostUsd);
        Assert.Equal(HandBuiltRecords.R8.StartTime, report.To);
    }

    [Fact]
    public void Since_and_until_together()
    {
        var report = With(new RecordFilter { Since = HandBuiltRecords.R3.StartTime, Until = HandBuiltRecords.R8.StartTime });

        Assert.Equal(3, report.Calls); // R3 at the start, R4, R7; R8 at the end is out
        Assert.Equal(0.02024m, report.CostUsd);
    }

    [Theory]
    [InlineData("claude-opus", 3)] // R5, R6 and R9 (requested only)
    [InlineData("claude-sonnet-4-5", 4)] // R1, R2, R11 by the model used, R8 by the model requested
    [InlineData("claude-sonnet-4-5-2025", 3)]
    [InlineData("CLAUDE-HAIKU-4-5", 3)] // case does not matter
    [InlineData("claude-mystery", 1)]
    [InlineData("gpt", 0)]
    public void Model_matches_by_prefix_of_the_model_used_or_requested(string model, long calls)
    {
        Assert.Equal(calls, With(new RecordFilter { Model = model }).Calls);
    }

    [Fact]
    public void Feature_and_user_match_exactly()
    {
        Assert.Equal(5, With(new RecordFilter { Feature = "chat" }).Calls);
        Assert.Equal(0, With(new RecordFilter { Feature = "Chat" }).Calls);
        Assert.Equal(0, With(new RecordFilter { Feature = "cha" }).Calls);
        Assert.Equal(3, With(new RecordFilter { User = "u3" }).Calls);
        Assert.Equal(4, With(new RecordFilter { Feature = "chat", User = "u1" }).Calls);
    }

    [Fact]
    public void Filtered_out_records_leave_no_trace()
    {
        var report = With(new RecordFilter { Feature = "code-review" });

        Assert.Equal(3, report.Calls);
        Assert.Equal(0.148m, report.CostUsd);
        Assert.Equal(["claude-opus-4-8"], report.By.Select(g => g.Key));
        Assert.Equal([HandBuiltRecords.IdOf(9)], report.RecentErrors.Select(e => e.Id));
        Assert.Equal(10100, report.Tokens.Input);
        Assert.Equal(3, report.LatencyMs.Count);
        Assert.Equal(1.0, report.Coverage.Coverage);
    }
}
