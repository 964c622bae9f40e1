using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary>
/// Records no real call could produce (issue 11, items 2 and 3): <c>claudit import</c> keeps them out,
/// as dead letters, and takes the rest; a store that already holds one still reports.
/// </summary>
public class CliHostileRecordsTests
{
    private static CallRecord Good(int i) => new()
    {
        Id = Guid.Parse($"01a1f82f-0000-7000-8000-{i:x12}"),
        StartTime = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero).AddSeconds(i),
        ModelRequested = "claude-haiku-4-5",
        Usage = new TokenUsage { InputTokens = 100, OutputTokens = 10 },
        Cost = new CallCost { Priced = true, TotalUsd = 0.001m },
        LatencyMs = 100,
    };

    [Fact]
    public async Task Import_keeps_absurd_records_out_as_dead_letters_and_takes_the_rest()
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");
        var lines = Enumerable.Range(0, 423).Select(i => RecordLines.Of(Good(i))).ToList();
        lines.Insert(100, RecordLines.Of(Good(1000) with { Cost = new CallCost { Priced = true, TotalUsd = 1e15m } }));
        lines.Insert(200, RecordLines.Of(Good(1001) with { Usage = new TokenUsage { InputTokens = long.MaxValue } }));
        lines.Insert(300, RecordLines.Of(Good(1002) with { Usage = new TokenUsage { InputTokens = -6_000_000 } }));
        var journal = dir.Write("calls.jsonl", string.Join('\n', lines) + "\n");

        var result = await Cli.RunAsync("import", journal, "--data-dir", dataDir);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("imported 423 records (0 already present, 3 lines skipped)", result.Out, StringComparison.Ordinal);
        Assert.Contains($"skipped {journal}:101: cost.total_usd: must be between 0 and 1000000, not 1000000000000000", result.Error, StringComparison.Ordinal);
        Assert.Contains($"skipped {journal}:201: usage.input_tokens: ", result.Error, StringComparison.Ordinal);
        var letters = Directory.GetFiles(Path.Combine(dataDir, "dead-letter"), "import-*.jsonl").SelectMany(File.ReadAllLines).ToArray();
        Assert.Equal(3, letters.Length);
        Assert.All(letters, l => Assert.StartsWith(journal + ":", JsonDocument.Parse(l).RootElement.GetProperty("where").GetString(), StringComparison.Ordinal));

        var report = await Cli.RunAsync("report", "--data-dir", dataDir, "--format", "json");
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Equal(423, JsonDocument.Parse(report.Out).RootElement.GetProperty("calls").GetInt64());
    }

    [Fact]
    public async Task A_store_that_already_holds_an_absurd_record_still_reports()
    {
        using var dir = new TempDirectory();
        await using (var store = DuckDbCallStore.Open(dir.File(DuckDbCallStore.FileName)))
        {
            // Written straight into the store, as stores filled before validation hold them.
            await store.AppendAsync([Good(1) with { Usage = new TokenUsage { InputTokens = long.MaxValue, OutputTokens = long.MaxValue } }, Good(2)]);
        }

        foreach (var cost in new[] { "recorded", "recomputed" })
        {
            var report = await Cli.RunAsync("report", "--data-dir", dir.Path, "--format", "json", "--cost", cost);

            Assert.True(report.ExitCode == 0, report.Error);
            var tokens = JsonDocument.Parse(report.Out).RootElement.GetProperty("tokens");
            Assert.Equal(long.MaxValue, tokens.GetProperty("input").GetInt64());
        }
    }
}
