using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>The latest errors, latest first.</summary>
public class ReportRecentErrorsTests
{
    [Fact]
    public void Lists_errors_latest_first()
    {
        var errors = HandBuiltRecords.Build().RecentErrors;

        Assert.Equal(
            [
                (HandBuiltRecords.IdOf(11), "stream_truncated", (int?)200, HandBuiltRecords.Sonnet),
                (HandBuiltRecords.IdOf(9), "overloaded_error", 529, HandBuiltRecords.Opus),
                (HandBuiltRecords.IdOf(8), "rate_limit_error", 429, "claude-sonnet-4-5"),
            ],
            errors.Select(e => (e.Id, e.Type, e.HttpStatus, e.Model)));
        Assert.Equal("Overloaded", errors[1].Message);
        Assert.Equal("req_9", errors[1].RequestId);
        Assert.Equal(HandBuiltRecords.R9.StartTime, errors[1].StartTime);
    }

    [Fact]
    public void Keeps_only_the_latest_n_whatever_the_order_of_arrival()
    {
        var options = new ReportOptions { RecentErrors = 2 };

        var inOrder = HandBuiltRecords.Build(options).RecentErrors;
        var reversed = HandBuiltRecords.Build(options, HandBuiltRecords.All.Reverse()).RecentErrors;

        Assert.Equal([HandBuiltRecords.IdOf(11), HandBuiltRecords.IdOf(9)], inOrder.Select(e => e.Id));
        Assert.Equal([HandBuiltRecords.IdOf(11), HandBuiltRecords.IdOf(9)], reversed.Select(e => e.Id));
    }

    [Fact]
    public void Zero_lists_none_but_still_counts_them()
    {
        var report = HandBuiltRecords.Build(new ReportOptions { RecentErrors = 0 });

        Assert.Empty(report.RecentErrors);
        Assert.Equal(3, report.Errors);
    }
}
