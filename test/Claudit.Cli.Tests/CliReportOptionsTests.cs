using System.Globalization;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Cli.Tests;

/// <summary><c>claudit report</c>'s options: grouping, top N, time range, model, feature, user and cost source.</summary>
public class CliReportOptionsTests
{
    [Fact]
    public async Task By_feature_groups_by_feature()
    {
        var expected = await RecordFiles.DirectReportAsync(RepoFiles.SampleCalls, new ReportOptions { GroupBy = GroupBy.Feature });

        using var doc = await JsonReport(RepoFiles.SampleCalls, "--by", "feature");

        Assert.Equal("feature", doc.RootElement.GetProperty("group_by").GetString());
        Assert.Equal(
            expected.By.Select(g => (g.Key, g.Calls, g.CostUsd)),
            doc.RootElement.GetProperty("by").EnumerateArray().Select(g => (g.GetProperty("key").GetString()!, g.GetProperty("calls").GetInt64(), g.GetProperty("cost_usd").GetDecimal())));
        Assert.Contains(expected.By, g => g.Key == "code-review");
    }

    [Fact]
    public async Task Top_3_lists_the_three_most_expensive_calls()
    {
        var records = await RecordFiles.ReadAllAsync(RepoFiles.SampleCalls);
        var expected = await RecordFiles.DirectReportAsync(RepoFiles.SampleCalls, new ReportOptions { TopN = 3 });

        using var doc = await JsonReport(RepoFiles.SampleCalls, "--top", "3");

        var top = doc.RootElement.GetProperty("top_calls").EnumerateArray().ToArray();
        Assert.Equal(3, top.Length);
        Assert.Equal(expected.TopCalls.Select(c => c.Id), top.Select(c => c.GetProperty("id").GetGuid()));
        var costs = top.Select(c => c.GetProperty("cost_usd").GetDecimal()).ToArray();
        Assert.Equal(costs.OrderDescending(), costs);
        // Nothing left out costs more than the third.
        var recomputed = records.Select(r => CostCalculator.Default.Price(r.PricedModel, r.Usage)).Where(c => c.Priced).Select(c => c.TotalUsd).OrderDescending().ToArray();
        Assert.Equal(recomputed[..3], costs);
    }

    [Fact]
    public async Task Top_0_lists_no_calls()
    {
        using var doc = await JsonReport(RepoFiles.SampleCalls, "--top", "0");

        Assert.Equal(0, doc.RootElement.GetProperty("top_calls").GetArrayLength());
    }

    [Fact]
    public async Task Since_and_until_in_iso_8601()
    {
        var records = await RecordFiles.ReadAllAsync(RepoFiles.SampleCalls);
        var since = DateTimeOffset.Parse("2026-11-01T00:00:30Z", CultureInfo.InvariantCulture);
        var until = DateTimeOffset.Parse("2026-11-01T00:01:00Z", CultureInfo.InvariantCulture);
        var inRange = records.Count(r => r.StartTime >= since && r.StartTime < until);
        Assert.InRange(inRange, 1, records.Count - 1);

        using var doc = await JsonReport(RepoFiles.SampleCalls, "--since", "2026-11-01T00:00:30Z", "--until", "2026-11-01T00:01:00Z");

        Assert.Equal(inRange, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.True(doc.RootElement.GetProperty("from").GetDateTimeOffset() >= since);
        Assert.True(doc.RootElement.GetProperty("to").GetDateTimeOffset() < until);
    }

    [Fact]
    public async Task Since_a_date_without_a_time_or_offset_is_utc_midnight()
    {
        using var doc = await JsonReport(RepoFiles.SampleCalls, "--since", "2026-11-01");
        using var none = await JsonReport(RepoFiles.SampleCalls, "--since", "2026-11-02");

        Assert.Equal(400, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.Equal(0, none.RootElement.GetProperty("calls").GetInt64());
    }

    [Fact]
    public async Task Since_and_until_as_ages_count_back_from_now()
    {
        using var dir = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        var path = RecordFiles.Write(dir, "recent.jsonl",
        [
            HandBuiltRecords.R1 with { Id = HandBuiltRecords.IdOf(1), StartTime = now.AddHours(-2) },
            HandBuiltRecords.R2 with { Id = HandBuiltRecords.IdOf(2), StartTime = now.AddHours(-30) },
            HandBuiltRecords.R3 with { Id = HandBuiltRecords.IdOf(3), StartTime = now.AddDays(-10) },
        ]);

        Assert.Equal(1, await Calls(path, "--since", "24h"));
        Assert.Equal(2, await Calls(path, "--since", "7d"));
        Assert.Equal(1, await Calls(path, "--since", "1440m", "--until", "90m")); // the call 2 h ago
        Assert.Equal(1, await Calls(path, "--since", "2d", "--until", "24h")); // the call 30 h ago
        Assert.Equal(2, await Calls(path, "--until", "24h"));
        Assert.Equal(3, await Calls(path, "--since", "2w"));
    }

    [Fact]
    public async Task Model_filters_by_prefix()
    {
        var records = await RecordFiles.ReadAllAsync(RepoFiles.SampleCalls);
        var opus = records.Count(r => (r.ModelUsed ?? r.ModelRequested)!.StartsWith("claude-opus", StringComparison.Ordinal));
        Assert.InRange(opus, 1, 399);

        using var doc = await JsonReport(RepoFiles.SampleCalls, "--model", "claude-opus");

        Assert.Equal(opus, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.All(doc.RootElement.GetProperty("by").EnumerateArray(), g => Assert.StartsWith("claude-opus", g.GetProperty("key").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feature_and_user_filter_exactly()
    {
        var records = await RecordFiles.ReadAllAsync(RepoFiles.SampleCalls);
        var user = records.GroupBy(r => r.Tags.User).OrderByDescending(g => g.Count()).First().Key!;

        Assert.Equal(records.Count(r => r.Tags.Feature == "translate"), await Calls(RepoFiles.SampleCalls, "--feature", "translate"));
        Assert.Equal(records.Count(r => r.Tags.User == user), await Calls(RepoFiles.SampleCalls, "--user", user));
        Assert.Equal(0, await Calls(RepoFiles.SampleCalls, "--feature", "no-such-feature"));
    }

    [Fact]
    public async Task Cost_recorded_uses_the_cost_in_each_record()
    {
        using var dir = new TempDirectory();
        // Recorded costs that no price table would give: $1 and $2.50.
        var path = RecordFiles.Write(dir, "recorded.jsonl",
        [
            HandBuiltRecords.R1 with { Cost = new CallCost { Priced = true, TotalUsd = 1m, InputUsd = 1m } },
            HandBuiltRecords.R5 with { Cost = new CallCost { Priced = true, TotalUsd = 2.5m, OutputUsd = 2.5m } },
        ]);

        using var recorded = await JsonReport(path, "--cost", "recorded");
        using var byDefault = await JsonReport(path);
        using var recomputed = await JsonReport(path, "--cost", "recomputed");

        Assert.Equal(3.5m, recorded.RootElement.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3.5m, byDefault.RootElement.GetProperty("cost_usd").GetDecimal()); // one cost answer by default: the recorded one
        Assert.Equal("recorded", byDefault.RootElement.GetProperty("cost_mode").GetString());
        Assert.Equal("recorded", recorded.RootElement.GetProperty("cost_mode").GetString());
        Assert.Equal(0.143m, recomputed.RootElement.GetProperty("cost_usd").GetDecimal()); // R1 0.018 + R5 0.125
        Assert.Equal("recomputed", recomputed.RootElement.GetProperty("cost_mode").GetString());
    }

    private static async Task<long> Calls(string path, params string[] options)
    {
        using var doc = await JsonReport(path, options);
        return doc.RootElement.GetProperty("calls").GetInt64();
    }

    private static async Task<JsonDocument> JsonReport(string path, params string[] options)
    {
        var result = await Cli.RunAsync(["report", path, "--format", "json", .. options], stdin: null);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return JsonDocument.Parse(result.Out);
    }
}
