using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// Producers nobody here wrote, driving the mock through the gateway while exporting their spans to the
/// gateway's OTLP receiver: each call is then recorded twice, by the gateway from the API's bytes and from the
/// producer's span. For the same calls the two must carry the same four token classes and the same cost —
/// except where the dialect cannot say: OpenLLMetry and OpenInference report no 5m/1h split of cache writes,
/// so their 1-hour write is billed as a 5-minute one (asserted as such).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class OtlpDialectTests
{
    [Theory]
    [InlineData("traceloop", "proto", false)]
    [InlineData("traceloop", "json", false)]
    [InlineData("openinference", "proto", false)]
    [InlineData("openinference", "json", false)]
    [InlineData("sdk", "proto", true)]
    public async Task SpansFromTheProducer_CarryTheGatewaysTokensAndCost(string dialect, string encoding, bool reportsTtlSplit)
    {
        await using var gateway = await RecordingGateway.StartAsync();
        await NodeProducers.RunScriptAsync("otlp-dialect.js", [dialect, encoding], new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = gateway.Gateway.BaseAddress.ToString().TrimEnd('/'),
            ["OTLP_TRACES_URL"] = gateway.OtlpTraces.ToString(),
        });

        var records = await gateway.WaitForRecordsAsync(10);
        var fromGateway = records.Where(r => r.Source == CallSource.Gateway).OrderBy(r => r.StartTime).ToList();
        var fromSpans = records.Where(r => r.Source == CallSource.Otlp).OrderBy(r => r.StartTime).ToList();
        Assert.Equal(5, fromGateway.Count);
        Assert.Equal(5, fromSpans.Count);
        Assert.Contains(fromGateway, r => r.Usage!.CacheCreation1hInputTokens > 0);
        Assert.Contains(fromGateway, r => r.Usage!.CacheReadInputTokens > 0);

        foreach (var (seen, span) in fromGateway.Zip(fromSpans))
        {
            var (g, s) = (seen.Usage!, span.Usage!);
            Assert.Equal((g.InputTokens, g.CacheCreationInputTokens, g.CacheReadInputTokens, g.OutputTokens), (s.InputTokens, s.CacheCreationInputTokens, s.CacheReadInputTokens, s.OutputTokens));
            Assert.Equal(seen.ModelRequested, span.ModelRequested);
            Assert.Equal(EndpointKinds.Messages, span.EndpointKind);
            Assert.Equal($"dialect-{dialect}", span.Tags.Feature); // service.name, nothing better being set
            Assert.True(span.Cost!.Priced);
            if (reportsTtlSplit || g.EffectiveCacheWrite1h == 0)
            {
                Assert.Equal(seen.Cost!.TotalUsd, span.Cost.TotalUsd);
            }
            else
            {
                // The dialect has no 5m/1h split: all writes are billed as 5-minute writes, as the record format says.
                Assert.Null(s.CacheCreation1hInputTokens);
                Assert.Equal(CostCalculator.Default.Price(seen.PricedModel, g with { CacheCreation5mInputTokens = null, CacheCreation1hInputTokens = null }).TotalUsd, span.Cost.TotalUsd);
                Assert.True(span.Cost.TotalUsd < seen.Cost!.TotalUsd);
            }
        }

        var ready = await gateway.GetJsonAsync("/readyz");
        Assert.Equal(5, ready["otlp"]!["recorded"]!.GetValue<long>());
        Assert.Equal(0, ready["otlp"]!["rejected"]!.GetValue<long>());
    }
}
