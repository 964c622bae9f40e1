using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>The most expensive calls, most expensive first, at most N of them.</summary>
public class ReportTopCallsTests
{
    [Fact]
    public void Lists_the_priced_calls_most_expensive_first()
    {
        var top = HandBuiltRecords.Build().TopCalls;

        // R5 .125, R6 .023, R1 .018, R3 = R4 .01012 (tie broken by id), R2 .0057, R11 .0027; unpriced and unbilled calls are not listed.
        Assert.Equal(
            [HandBuiltRecords.IdOf(5), HandBuiltRecords.IdOf(6), HandBuiltRecords.IdOf(1), HandBuiltRecords.IdOf(3), HandBuiltRecords.IdOf(4), HandBuiltRecords.IdOf(2), HandBuiltRecords.IdOf(11)],
            top.Select(c => c.Id));
        Assert.Equal([0.125m, 0.023m, 0.018m, 0.01012m, 0.01012m, 0.0057m, 0.0027m], top.Select(c => c.CostUsd));
    }

    [Fact]
    public void Top_n_bounds_the_list()
    {
        var top = HandBuiltRecords.Build(new ReportOptions { TopN = 3 }).TopCalls;

        Assert.Equal([HandBuiltRecords.IdOf(5), HandBuiltRecords.IdOf(6), HandBuiltRecords.IdOf(1)], top.Select(c => c.Id));
    }

    [Fact]
    public void Top_n_bound_holds_whatever_the_order_of_arrival()
    {
        var top = HandBuiltRecords.Build(new ReportOptions { TopN = 2 }, HandBuiltRecords.All.Reverse()).TopCalls;

        Assert.Equal([HandBuiltRecords.IdOf(5), HandBuiltRecords.IdOf(6)], top.Select(c => c.Id));
    }

    [Fact]
    public void Top_zero_lists_nothing()
    {
        Assert.Empty(HandBuiltRecords.Build(new ReportOptions { TopN = 0 }).TopCalls);
    }

    [Fact]
    public void A_top_call_says_what_it_was()
    {
        var call = HandBuiltRecords.Build().TopCalls[0];

        Assert.Equal(HandBuiltRecords.R5.StartTime, call.StartTime);
        Assert.Equal(HandBuiltRecords.Opus, call.Model);
        Assert.Equal((10000L, 2000L, 0L, 50000L), (call.InputTokens, call.OutputTokens, call.CacheWriteTokens, call.CacheReadTokens));
        Assert.Equal("req_5", call.RequestId);
        Assert.Equal("code-review", call.Feature);
        Assert.Equal("u3", call.User);
    }
}
