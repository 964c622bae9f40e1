using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Core.Tests;

/// <summary>The endpoint dimension: one classification rule, and free endpoints priced at exactly $0 by the pricing engine.</summary>
public class EndpointKindsTests
{
    [Theory]
    [InlineData("POST", "/v1/messages", "messages")]
    [InlineData("GET", "/v1/messages", "other")]
    [InlineData("POST", "/v1/messages/count_tokens", "count_tokens")]
    [InlineData("POST", "/v1/messages/batches", "batches")]
    [InlineData("GET", "/v1/messages/batches/msgbatch_01/results", "batches")]
    [InlineData("POST", "/v1/messages/batches/msgbatch_01/cancel", "batches")]
    [InlineData("GET", "/v1/messages/batchesque", "other")]
    [InlineData("GET", "/v1/models", "models")]
    [InlineData("GET", "/v1/models/claude-sonnet-4-5", "models")]
    [InlineData("GET", "/v1/files/file_01/content", "files")]
    [InlineData("POST", "/v1/complete", "other")]
    [InlineData(null, "/v1/messages/", "messages")]
    public void Classify_names_the_kind_of_a_call(string? method, string path, string kind) =>
        Assert.Equal(kind, EndpointKinds.Classify(method, path));

    [Fact]
    public void Free_and_billable_kinds_are_apart_and_cover_all_but_other()
    {
        Assert.Empty(EndpointKinds.Free.Intersect(EndpointKinds.Billable));
        Assert.Equal(EndpointKinds.All.Where(k => k != EndpointKinds.Other).Order(), EndpointKinds.Free.Concat(EndpointKinds.Billable).Order());
    }

    [Theory]
    [InlineData("count_tokens")]
    [InlineData("models")]
    [InlineData("batches")]
    [InlineData("files")]
    public void A_free_endpoints_call_is_priced_at_exactly_zero(string kind)
    {
        var record = new CallRecord { Id = Guid.NewGuid(), StartTime = DateTimeOffset.UnixEpoch, EndpointKind = kind, ModelRequested = "claude-sonnet-4-5" };
        var cost = CostCalculator.Default.Apply(record).Cost!;
        Assert.True(cost.Priced);
        Assert.Equal(0m, cost.TotalUsd);
        Assert.Null(cost.UnpricedReason);
        Assert.Equal(PriceTable.Default.Version, cost.PriceTableVersion);
    }

    [Fact]
    public void A_billable_call_without_usage_stays_unpriced_and_a_failed_free_call_has_no_cost()
    {
        var messages = new CallRecord { Id = Guid.NewGuid(), StartTime = DateTimeOffset.UnixEpoch, ModelRequested = "claude-sonnet-4-5" };
        Assert.Equal(UnpricedReasons.NoUsage, CostCalculator.Default.Apply(messages).Cost!.UnpricedReason);
        var failedModels = messages with { EndpointKind = EndpointKinds.Models, Status = CallStatus.Error, Error = new CallError { Type = "not_found_error" } };
        Assert.Null(CostCalculator.Default.Apply(failedModels).Cost);
    }
}
