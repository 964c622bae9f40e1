using System.Text;
using System.Text.RegularExpressions;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// Every metric label takes values from a bounded set: 2,000 made-up model names (and stop reasons) sent
/// through ingest and the gateway leave <c>/metrics</c> with a handful of series, and real models keep their own.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricLabelBoundsTests
{
    [Fact]
    public async Task A_flood_of_made_up_model_names_adds_one_series_and_real_models_keep_theirs()
    {
        await using var gateway = await MeteredGateway.StartAsync();
        await gateway.SendStandardCallsAsync();
        var before = Series(await gateway.Http.GetStringAsync("/metrics"));

        // 2,000 records with made-up models and stop reasons, as a careless or hostile sender posts them.
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        var flood = string.Join('\n', Enumerable.Range(0, 2_000).Select(i => RecordLines.Of(new CallRecord
        {
            Id = Guid.CreateVersion7(start),
            StartTime = start,
            ModelRequested = $"made-up-model-{i}",
            ModelUsed = $"made-up-model-{i}-20990101",
            StopReason = $"made_up_reason_{i % 50}",
            Usage = new TokenUsage { InputTokens = 10, OutputTokens = 5 },
            Cost = new CallCost { Priced = true, TotalUsd = 0.001m },
            LatencyMs = 100,
            TtftMs = 50,
        })));
        using (var content = new StringContent(flood + "\n", Encoding.UTF8, "application/x-ndjson"))
        {
            (await gateway.Http.PostAsync("/api/ingest", content)).EnsureSuccessStatusCode();
        }

        // And made-up models through the proxy itself (the upstream refuses them: errors are labelled too).
        for (var i = 0; i < 20; i++)
        {
            await gateway.SendAsync(stream: false, model: $"made-up-proxied-{i}");
        }

        await gateway.SendStandardCallsAsync();
        var scrape = await ScrapeAsync(gateway, @"model=""claude-haiku-4-5""[^}]*status=""ok""[^}]*\} 6");
        var after = Series(scrape);

        Assert.DoesNotContain("made-up", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("made_up_reason", scrape, StringComparison.Ordinal);
        Assert.True(after.Count <= before.Count * 2, $"{before.Count} series before the flood, {after.Count} after");
        Assert.Matches(new Regex(@"^claude_requests_total\{[^}]*model=""other""", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claude_requests_total\{[^}]*model=""claude-haiku-4-5""[^}]*status=""ok""[^}]*\} 6", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claude_requests_total\{[^}]*model=""other""[^}]*stop_reason=""other""", RegexOptions.Multiline), scrape);
    }

    [Fact]
    public async Task A_dated_snapshot_is_labelled_with_its_price_table_id()
    {
        await using var gateway = await MeteredGateway.StartAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        var line = RecordLines.Of(new CallRecord
        {
            Id = Guid.CreateVersion7(start), StartTime = start, ModelRequested = "claude-sonnet-4-5", ModelUsed = "claude-sonnet-4-5-20250929",
            StopReason = "end_turn", Usage = new TokenUsage { InputTokens = 10, OutputTokens = 5 }, LatencyMs = 100,
        });
        using (var content = new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson"))
        {
            (await gateway.Http.PostAsync("/api/ingest", content)).EnsureSuccessStatusCode();
        }

        var scrape = await ScrapeAsync(gateway, @"model=""claude-sonnet-4-5""");

        Assert.Matches(new Regex(@"^claude_requests_total\{[^}]*model=""claude-sonnet-4-5""[^}]*\} 1", RegexOptions.Multiline), scrape);
        Assert.DoesNotContain("20250929", scrape, StringComparison.Ordinal);
    }

    /// <summary>A scrape that shows <paramref name="expected"/> in <c>claude_requests_total</c>: the exporter caches its answer for a moment.</summary>
    private static async Task<string> ScrapeAsync(MeteredGateway gateway, string expected)
    {
        var pattern = new Regex(@"^claude_requests_total\{[^}]*" + expected, RegexOptions.Multiline);
        var scrape = "";
        for (var i = 0; i < 50 && !pattern.IsMatch(scrape); i++)
        {
            await Task.Delay(100);
            scrape = await gateway.Http.GetStringAsync("/metrics");
        }

        return scrape;
    }

    /// <summary>The distinct series of a scrape (sample lines, histogram buckets included).</summary>
    private static HashSet<string> Series(string scrape) =>
        [.. scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleValue().Replace(l, ""))];

    [GeneratedRegex(@" [^ ]+( [0-9]+)?$")]
    private static partial Regex SampleValue();
}
