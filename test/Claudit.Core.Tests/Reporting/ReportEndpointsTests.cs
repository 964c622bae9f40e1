using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>Reports cover billable calls by default, list the others by endpoint, and name ended batches whose results were never seen.</summary>
public class ReportEndpointsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Free_calls_are_apart_and_never_lower_coverage()
    {
        var report = Build(new ReportOptions(), Records());
        Assert.Equal(2, report.Calls); // the message and the batch result
        Assert.Equal(1.0, report.Coverage.Coverage);
        Assert.Equal(["count_tokens", "batches"], report.OtherEndpoints.Select(e => e.Endpoint));
        Assert.All(report.OtherEndpoints, e => Assert.Equal(0m, e.CostUsd));
        Assert.Equal(EndpointScope.Billable, report.Endpoint);

        var all = Build(new ReportOptions { GroupBy = GroupBy.Endpoint, Filter = new RecordFilter { Endpoint = EndpointScope.All } }, Records());
        Assert.Equal(5, all.Calls);
        Assert.Equal(1.0, all.Coverage.Coverage);
        Assert.Empty(all.OtherEndpoints);
        Assert.Equal(["messages", "batch_result", "batches", "count_tokens"], all.By.Select(g => g.Key)); // by cost (a batch result is half price), then calls

        var only = Build(new ReportOptions { Filter = new RecordFilter { Endpoint = EndpointKinds.CountTokens } }, Records());
        Assert.Equal(1, only.Calls);
    }

    [Fact]
    public void An_ended_batch_without_results_is_a_gap_until_a_result_is_seen()
    {
        var gap = Build(new ReportOptions(), Records().Where(r => r.EndpointKind != EndpointKinds.BatchResult));
        var named = Assert.Single(gap.BatchGaps);
        Assert.Equal(("msgbatch_9", 20L), (named.BatchId, named.RequestCount));
        Assert.Equal("batch msgbatch_9: results not seen", named.Note);

        // A result read outside the report's range still counts as seen.
        var seen = Build(new ReportOptions { Filter = new RecordFilter { Until = T0.AddMinutes(30) } }, Records());
        Assert.Empty(seen.BatchGaps);
    }

    private static Report Build(ReportOptions options, IEnumerable<CallRecord> records)
    {
        var accumulator = new ReportAccumulator(options, CostCalculator.Default);
        foreach (var record in records)
        {
            accumulator.Add(CostCalculator.Default.Apply(record));
        }

        return accumulator.Build();
    }

    private static IEnumerable<CallRecord> Records()
    {
        var usage = new TokenUsage { InputTokens = 100, OutputTokens = 10 };
        yield return new CallRecord { Id = Guid.CreateVersion7(T0), StartTime = T0, ModelRequested = "claude-sonnet-4-5", Usage = usage };
        yield return new CallRecord { Id = Guid.CreateVersion7(T0), StartTime = T0, EndpointKind = EndpointKinds.CountTokens, Endpoint = AnthropicEndpoints.CountTokens, ModelRequested = "claude-sonnet-4-5" };
        yield return new CallRecord
        {
            Id = Guid.CreateVersion7(T0), StartTime = T0.AddMinutes(1), EndpointKind = EndpointKinds.Batches, Endpoint = "/v1/messages/batches/msgbatch_9",
            Batch = new BatchCallInfo { Id = "msgbatch_9", ProcessingStatus = "ended", RequestCount = 20 },
        };
        yield return new CallRecord
        {
            Id = Guid.CreateVersion7(T0), StartTime = T0.AddMinutes(2), EndpointKind = EndpointKinds.Batches, Endpoint = "/v1/messages/batches",
            Batch = new BatchCallInfo { Id = "msgbatch_9", ProcessingStatus = "in_progress", RequestCount = 20 },
        };
        yield return new CallRecord
        {
            Id = Guid.CreateVersion7(T0), StartTime = T0.AddHours(1), EndpointKind = EndpointKinds.BatchResult, ModelUsed = "claude-sonnet-4-5",
            Usage = usage with { ServiceTier = "batch" }, Batch = new BatchCallInfo { Id = "msgbatch_9", CustomId = "a", Result = "succeeded" },
        };
    }
}
