using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>What a report reads: the parts a report needs and none of the rest.</summary>
public class ReadOptionsTests
{
    [Fact]
    public void For_report_skips_rate_limits_tool_calls_and_correlation_ids_but_the_parent()
    {
        var full = SampleRecords.Full();

        var r = SampleRecords.Read(SampleRecords.ToLine(full), CallRecordReadOptions.ForReport(recordedCost: false));

        Assert.Null(r.RateLimits);
        Assert.Empty(r.ToolCalls);
        Assert.Null(r.Tags.TraceId);
        Assert.Null(r.Tags.SpanId);
        // The parent is read (the report counts retries by it: without it the failure rate after retries counted none).
        Assert.Equal(full.Tags.ParentId, r.Tags.ParentId);
        Assert.NotNull(r.Tags.ParentId);
        Assert.Null(r.Tags.Properties);
        Assert.Null(r.PromptHash);
        Assert.Null(r.OrganizationId);
        Assert.Null(r.Cost);
    }

    [Fact]
    public void For_report_keeps_usage_tags_timings_and_identity()
    {
        var full = SampleRecords.Full();

        var r = SampleRecords.Read(SampleRecords.ToLine(full), CallRecordReadOptions.ForReport(recordedCost: false));

        Assert.Equal(full.Id, r.Id);
        Assert.Equal(full.StartTime, r.StartTime);
        Assert.Equal(full.Usage, r.Usage);
        Assert.Equal(full.Error, r.Error);
        Assert.Equal(full.Status, r.Status);
        Assert.Equal(full.HttpStatus, r.HttpStatus);
        Assert.Equal(full.StopReason, r.StopReason);
        Assert.Equal(full.ModelRequested, r.ModelRequested);
        Assert.Equal(full.ModelUsed, r.ModelUsed);
        Assert.Equal(full.RequestId, r.RequestId);
        Assert.Equal(full.Tags.User, r.Tags.User);
        Assert.Equal(full.Tags.Tenant, r.Tags.Tenant);
        Assert.Equal(full.Tags.Feature, r.Tags.Feature);
        Assert.Equal(full.Tags.Session, r.Tags.Session);
        Assert.Equal(full.Tags.Conversation, r.Tags.Conversation);
        Assert.Equal(full.LatencyMs, r.LatencyMs);
        Assert.Equal(full.TtftMs, r.TtftMs);
        Assert.Equal(full.TtfbMs, r.TtfbMs);
        Assert.Equal(full.OutputTokensPerSecond, r.OutputTokensPerSecond);
    }

    [Fact]
    public void For_report_with_recorded_cost_keeps_the_cost()
    {
        var full = SampleRecords.Full();

        var r = SampleRecords.Read(SampleRecords.ToLine(full), CallRecordReadOptions.ForReport(recordedCost: true));

        Assert.Equal(full.Cost, r.Cost);
        Assert.Null(r.RateLimits);
    }

    [Fact]
    public void Skipped_parts_are_still_checked_as_json()
    {
        var line = SampleRecords.ToLine(SampleRecords.Full()).Replace("\"rate_limits\":{", "\"rate_limits\":{,", StringComparison.Ordinal);

        var ok = CallRecordJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(line), null, CallRecordReadOptions.ForReport(false), out var record, out var error);

        Assert.False(ok);
        Assert.Null(record);
        Assert.NotNull(error);
    }

    [Fact]
    public void Full_options_read_everything()
    {
        var full = SampleRecords.Full();

        SampleRecords.AssertEqual(full, SampleRecords.Read(SampleRecords.ToLine(full), CallRecordReadOptions.Full));
        Assert.Equal(CallRecordReadOptions.Full, new CallRecordReadOptions());
    }
}
