using System.Web;
using Claudit.Core.Reporting;

namespace Claudit.Core.Tests;

public sealed class ReportQueryTests
{
    private static Func<string, string?> Parameters(string query)
    {
        var parsed = HttpUtility.ParseQueryString(query);
        return name => parsed[name];
    }

    [Fact]
    public void Options_survive_the_round_trip_through_a_query_string()
    {
        var options = new ReportOptions
        {
            GroupBy = GroupBy.Tenant,
            TopN = 3,
            CostMode = CostMode.Recorded,
            Filter = new RecordFilter
            {
                Since = new DateTimeOffset(2026, 11, 1, 10, 30, 0, TimeSpan.Zero),
                Until = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(2)),
                Model = "claude-sonnet-4",
                Feature = "search & summarise",
                User = "u=1",
            },
        };

        var query = ReportQuery.ToQueryString(options);

        Assert.True(ReportQuery.TryParse(Parameters(query), out var back, out var error), error);
        Assert.Equal(options.GroupBy, back.GroupBy);
        Assert.Equal(options.TopN, back.TopN);
        Assert.Equal(options.CostMode, back.CostMode);
        Assert.Equal(options.Filter with { }, back.Filter);
    }

    [Fact]
    public void No_parameters_mean_the_defaults()
    {
        Assert.True(ReportQuery.TryParse(_ => null, out var options, out _));
        Assert.Equal(new ReportOptions(), options);
    }

    [Theory]
    [InlineData("?by=colour", "by must be one of")]
    [InlineData("?by=7", "by must be one of")]
    [InlineData("?top=-1", "top must be a whole number")]
    [InlineData("?top=5000", "top must be a whole number")]
    [InlineData("?cost=guessed", "cost must be recomputed or recorded")]
    [InlineData("?since=yesterday", "since must be an ISO 8601 time")]
    [InlineData("?until=13/45/2026", "until must be an ISO 8601 time")]
    public void Bad_values_are_named(string query, string message)
    {
        Assert.False(ReportQuery.TryParse(Parameters(query), out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
