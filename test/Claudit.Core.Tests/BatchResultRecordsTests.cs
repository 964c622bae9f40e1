using System.Text;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Core.Tests;

/// <summary>A Message Batch results line as a record: each result type, the batch rate, and ids that do not change when the results are read again.</summary>
public class BatchResultRecordsTests
{
    private static readonly BatchResultContext Context = new("msgbatch_01", "/v1/messages/batches/msgbatch_01/results",
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 90_000, new CallTags { Feature = "nightly" }, CallSource.Gateway);

    [Fact]
    public void A_succeeded_result_is_a_call_with_its_usage_on_the_batch_tier()
    {
        var record = Read("""{"custom_id":"req-1","result":{"type":"succeeded","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"tool_use","id":"t","name":"lookup","input":{"q":1}}],"stop_reason":"tool_use","usage":{"input_tokens":1000,"output_tokens":200,"cache_read_input_tokens":3000,"cache_creation_input_tokens":0}}}}""");
        Assert.Equal((CallStatus.Ok, EndpointKinds.BatchResult, "batch"), (record.Status, record.EndpointKind, record.Usage!.ServiceTier));
        Assert.Equal(("msgbatch_01", "req-1", "succeeded"), (record.Batch!.Id, record.Batch.CustomId, record.Batch.Result));
        Assert.Equal("claude-sonnet-4-5-20250929", record.ModelUsed);
        Assert.Equal("tool_use", record.StopReason);
        Assert.Equal("lookup", Assert.Single(record.ToolCalls).Name);
        Assert.Equal("nightly", record.Tags.Feature);
        Assert.Equal(90_000, record.LatencyMs);

        var priced = CostCalculator.Default.Apply(record).Cost!;
        var standard = CostCalculator.Default.Price(record.PricedModel, record.Usage with { ServiceTier = null });
        Assert.Equal(standard.TotalUsd * PriceTable.Default.BatchMultiplier, priced.TotalUsd);
    }

    [Theory]
    [InlineData("""{"custom_id":"req-2","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_9"}}}""", "errored", "invalid_request_error")]
    [InlineData("""{"custom_id":"req-3","result":{"type":"canceled"}}""", "canceled", "canceled")]
    [InlineData("""{"custom_id":"req-4","result":{"type":"expired"}}""", "expired", "expired")]
    public void A_request_that_produced_no_message_is_an_error_without_usage(string line, string result, string errorType)
    {
        var record = Read(line);
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal(result, record.Batch!.Result);
        Assert.Equal(errorType, record.Error!.Type);
        Assert.Null(record.Usage);
        Assert.Null(CostCalculator.Default.Apply(record).Cost); // nothing was billed
    }

    [Fact]
    public void Ids_are_name_based_version_5_and_the_same_on_every_read()
    {
        var a = BatchResultRecords.IdOf("msgbatch_01", "req-1");
        Assert.Equal(a, BatchResultRecords.IdOf("msgbatch_01", "req-1"));
        Assert.NotEqual(a, BatchResultRecords.IdOf("msgbatch_02", "req-1"));
        Assert.NotEqual(a, BatchResultRecords.IdOf("msgbatch_01", "req-2"));
        Assert.Equal(5, a.Version);
        Assert.Equal(a, Read("""{"custom_id":"req-1","result":{"type":"canceled"}}""").Id);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"result":{"type":"succeeded"}}""")]
    [InlineData("""{"custom_id":"x","result":{"type":"archived"}}""")]
    public void Lines_that_are_not_results_are_named_not_thrown(string line)
    {
        Assert.Null(BatchResultRecords.Read(Encoding.UTF8.GetBytes(line), Context, out var problem));
        Assert.NotNull(problem);
    }

    private static CallRecord Read(string line)
    {
        var record = BatchResultRecords.Read(Encoding.UTF8.GetBytes(line), Context, out var problem);
        Assert.True(record is not null, problem);
        return record!;
    }
}
