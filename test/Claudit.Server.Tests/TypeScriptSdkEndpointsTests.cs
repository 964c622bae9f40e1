using System.Text.Json.Nodes;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// Issue 13's acceptance test: the official TypeScript SDK (from npm) through the gateway against the mock —
/// countTokens, models.list, a streaming call, and a Message Batch of 20 requests created, polled and read
/// with <c>batches.results()</c>. The report must show 100% coverage, one record per result, each priced at
/// the batch rate, and the free endpoints at exactly $0 in a table of their own.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class TypeScriptSdkEndpointsTests
{
    [Fact]
    public async Task EveryEndpoint_AndABatchOf20_AreRecordedAndPriced()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        var output = JsonNode.Parse(await NodeProducers.RunScriptAsync("sdk-endpoints.js", [], new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = gateway.Gateway.BaseAddress.ToString().TrimEnd('/'),
        }))!;

        var batchId = output["batch_id"]!.GetValue<string>();
        // The SDK read the results through the gateway: the results_url it was given points there.
        Assert.StartsWith(gateway.Gateway.BaseAddress.ToString().TrimEnd('/') + "/v1/messages/batches/", output["results_url"]!.GetValue<string>());
        Assert.Equal(20, output["results"]!.AsArray().Count);

        // 1 count_tokens + models pages + 1 stream + create + polls + results retrieve + results download + 20 results.
        var records = await gateway.WaitForRecordsAsync(journal => journal.Count >= 25 && journal.Count(r => r.EndpointKind == EndpointKinds.BatchResult) >= 20);
        var results = records.Where(r => r.EndpointKind == EndpointKinds.BatchResult).ToList();
        Assert.Equal(20, results.Count);
        Assert.Equal(20, results.Select(r => r.Id).Distinct().Count());
        Assert.All(results, r =>
        {
            Assert.Equal(batchId, r.Batch!.Id);
            Assert.Equal("succeeded", r.Batch.Result);
            Assert.Equal("batch", r.Usage!.ServiceTier);
            Assert.Equal("batch-nightly", r.Tags.Feature); // the create call's tags
            Assert.Equal(BatchResultRecordsId(batchId, r.Batch.CustomId!), r.Id);
            // Half of the standard price, by the one pricing engine.
            var standard = CostCalculator.Default.Price(r.PricedModel, r.Usage with { ServiceTier = "standard" });
            Assert.Equal(standard.TotalUsd * PriceTable.Default.BatchMultiplier, r.Cost!.TotalUsd);
            Assert.True(r.Cost.TotalUsd > 0);
        });
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"nightly-{i}").Order(StringComparer.Ordinal),
            results.Select(r => r.Batch!.CustomId!).Order(StringComparer.Ordinal));

        var countTokens = Assert.Single(records, r => r.EndpointKind == EndpointKinds.CountTokens);
        Assert.True(countTokens.Cost is { Priced: true, TotalUsd: 0m });
        Assert.Contains(records, r => r.EndpointKind == EndpointKinds.Models && r.Cost is { Priced: true, TotalUsd: 0m });
        var create = Assert.Single(records, r => r.Endpoint == "/v1/messages/batches");
        Assert.Equal((20L, "in_progress"), (create.Batch!.RequestCount, create.Batch.ProcessingStatus));
        Assert.Equal(batchId, create.Batch!.Id);

        var report = await gateway.GetJsonAsync("/api/report?top=0");
        Assert.Equal(21, report["calls"]!.GetValue<long>()); // 20 results + the streaming call: the billable calls
        Assert.Equal(1.0, report["coverage"]!["coverage"]!.GetValue<double>());
        Assert.Equal(0, report["coverage"]!["unpriced_calls"]!.GetValue<long>());
        Assert.Equal(results.Sum(r => r.Cost!.TotalUsd) + records.Single(r => r.EndpointKind == EndpointKinds.Messages).Cost!.TotalUsd, report["cost_usd"]!.GetValue<decimal>());
        var others = report["other_endpoints"]!.AsArray().ToDictionary(e => e!["endpoint"]!.GetValue<string>(), e => e!);
        Assert.Equal(["count_tokens", "batches", "models"], report["other_endpoints"]!.AsArray().Select(e => e!["endpoint"]!.GetValue<string>()));
        Assert.All(others.Values, e => Assert.Equal(0m, e!["cost_usd"]!.GetValue<decimal>()));
        Assert.Empty(report["batch_gaps"]!.AsArray());

        var byEndpoint = await gateway.GetJsonAsync("/api/report?by=endpoint&endpoint=all&top=0");
        Assert.Equal(1.0, byEndpoint["coverage"]!["coverage"]!.GetValue<double>());
        Assert.Equal(20, byEndpoint["by"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == "batch_result")!["calls"]!.GetValue<long>());

        var batches = await gateway.GetJsonAsync("/api/batches");
        var batch = batches["batches"]!.AsArray().Single(b => b!["id"]!.GetValue<string>() == batchId)!;
        Assert.Equal(20, batch["results_records"]!.GetValue<long>());
        Assert.True(batch["created_through_gateway"]!.GetValue<bool>());
        Assert.False(batch["results_not_seen"]!.GetValue<bool>());
        Assert.Empty(batches["gaps"]!.AsArray());

        // Reading the results again records nothing new: the same ids, skipped by the store.
        var journaledBefore = (await gateway.WaitForRecordsAsync(_ => true)).Count;
        var resultsUrl = output["results_url"]!.GetValue<string>();
        using var again = new HttpRequestMessage(HttpMethod.Get, resultsUrl);
        again.Headers.Add("x-api-key", "sk-ant-" + "endpoints-test");
        again.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await gateway.Http.SendAsync(again);
        Assert.Equal(20, (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var before = await gateway.Gateway.Store.CountAsync();
        // The download and the twenty results are journaled again; the store applies them (a batch a second) and keeps
        // only the download's record, the results' ids being stored already.
        await gateway.WaitForJournalAsync(journaledBefore + 21);
        await gateway.WaitForStoreCaughtUpAsync();
        var report2 = await gateway.GetJsonAsync("/api/report?by=endpoint&endpoint=all&top=0");
        Assert.Equal(20, report2["by"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == "batch_result")!["calls"]!.GetValue<long>());
        Assert.Equal(before + 1, await gateway.Gateway.Store.CountAsync()); // only the download call itself
    }

    private static Guid BatchResultRecordsId(string batchId, string customId) => Core.Capture.BatchResultRecords.IdOf(batchId, customId);
}
