using System.Globalization;
using System.Text.Json;

namespace Claudit.Cli.Tests;

/// <summary><c>claudit report samples/calls.jsonl</c> in every format.</summary>
public class CliReportFormatTests
{
    [Fact]
    public async Task Json_has_the_documented_fields()
    {
        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        foreach (var name in new[] { "calls", "errors", "cost_usd" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty(name).ValueKind);
        }

        foreach (var name in new[] { "input", "output", "cache_write", "cache_read" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty("tokens").GetProperty(name).ValueKind);
        }

        foreach (var name in new[] { "p50", "p95", "p99", "max" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty("latency_ms").GetProperty(name).ValueKind);
        }

        Assert.Equal(JsonValueKind.Array, root.GetProperty("by").ValueKind);
        Assert.NotEqual(0, root.GetProperty("by").GetArrayLength());
        foreach (var row in root.GetProperty("by").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, row.GetProperty("key").ValueKind);
            Assert.Equal(JsonValueKind.Number, row.GetProperty("calls").ValueKind);
            Assert.Equal(JsonValueKind.Number, row.GetProperty("errors").ValueKind);
            Assert.Equal(JsonValueKind.Number, row.GetProperty("cost_usd").ValueKind);
        }
    }

    [Fact]
    public async Task Json_numbers_equal_a_report_built_directly_from_the_file()
    {
        var expected = await RecordFiles.DirectReportAsync(RepoFiles.SampleCalls);

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", "json");

        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal(400, expected.Calls);
        Assert.Equal(expected.Calls, root.GetProperty("calls").GetInt64());
        Assert.Equal(expected.Errors, root.GetProperty("errors").GetInt64());
        Assert.Equal(expected.ErrorRate, root.GetProperty("error_rate").GetDouble());
        Assert.Equal(expected.CostUsd, root.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(expected.CacheHitRate, root.GetProperty("cache_hit_rate").GetDouble());
        var tokens = root.GetProperty("tokens");
        Assert.Equal(expected.Tokens.Input, tokens.GetProperty("input").GetInt64());
        Assert.Equal(expected.Tokens.Output, tokens.GetProperty("output").GetInt64());
        Assert.Equal(expected.Tokens.CacheWrite, tokens.GetProperty("cache_write").GetInt64());
        Assert.Equal(expected.Tokens.CacheRead, tokens.GetProperty("cache_read").GetInt64());
        var latency = root.GetProperty("latency_ms");
        Assert.Equal(expected.LatencyMs.P50, latency.GetProperty("p50").GetDouble());
        Assert.Equal(expected.LatencyMs.P95, latency.GetProperty("p95").GetDouble());
        Assert.Equal(expected.LatencyMs.P99, latency.GetProperty("p99").GetDouble());
        Assert.Equal(expected.LatencyMs.Max, latency.GetProperty("max").GetDouble());
        Assert.Equal(
            expected.By.Select(g => (g.Key, g.Calls, g.Errors, g.CostUsd)),
            root.GetProperty("by").EnumerateArray().Select(g =>
                (g.GetProperty("key").GetString()!, g.GetProperty("calls").GetInt64(), g.GetProperty("errors").GetInt64(), g.GetProperty("cost_usd").GetDecimal())));
        Assert.Equal(expected.TopCalls.Select(c => c.Id), root.GetProperty("top_calls").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(expected.Coverage.UnpricedCalls, root.GetProperty("coverage").GetProperty("unpriced_calls").GetInt64());
    }

    [Fact]
    public async Task Csv_is_the_group_table_with_a_total_row()
    {
        var expected = await RecordFiles.DirectReportAsync(RepoFiles.SampleCalls);

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            "group_by,key,calls,errors,error_rate,cost_usd,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,latency_p50_ms,latency_p95_ms",
            lines[0]);
        Assert.Equal(expected.By.Count + 2, lines.Length);
        for (var i = 0; i < expected.By.Count; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(12, cells.Length);
            Assert.Equal(["model", expected.By[i].Key, expected.By[i].Calls.ToString(CultureInfo.InvariantCulture)], cells[..3]);
            Assert.Equal(expected.By[i].CostUsd, decimal.Parse(cells[5], CultureInfo.InvariantCulture));
        }

        var total = lines[^1].Split(',');
        Assert.Equal(["model", "(total)", "400", expected.Errors.ToString(CultureInfo.InvariantCulture)], total[..4]);
        Assert.Equal(expected.CostUsd, decimal.Parse(total[5], CultureInfo.InvariantCulture));
        Assert.Equal(expected.Tokens.Input, long.Parse(total[6], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Markdown_has_every_section()
    {
        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", "markdown");

        Assert.Equal(0, result.ExitCode);
        string[] headings =
        [
            "# Claudit report", "## Summary", "## Tokens and cost by class", "## Latency (ms)", "## By model", "## Errors by type",
            "## Stop reasons", "## Top 10 most expensive calls", "## Recent errors", "## Cost coverage",
        ];
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var positions = headings.Select(h => Array.IndexOf(lines, h)).ToArray();
        Assert.All(positions.Zip(headings), p => Assert.True(p.First >= 0, $"no heading '{p.Second}'"));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("| claude-sonnet-4-5-20250929 |", result.Out, StringComparison.Ordinal);
        Assert.Contains("unpriced model claude-mystery-7", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_mentions_every_model()
    {
        var expected = await RecordFiles.DirectReportAsync(RepoFiles.SampleCalls);

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Summary", result.Out, StringComparison.Ordinal);
        Assert.Equal(7, expected.By.Count);
        Assert.All(expected.By, g => Assert.Contains(g.Key, result.Out, StringComparison.Ordinal));
        // Not a terminal: no colour codes in the output.
        Assert.DoesNotContain("\u001b[", result.Out, StringComparison.Ordinal);
    }
}
