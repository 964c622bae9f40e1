using System.Text.Json;

namespace Claudit.Cli.Tests;

/// <summary>What <c>claudit report</c> reads: files, directories, standard input, tracer.py files and damaged files.</summary>
public class CliReportInputTests
{
    // Three tracer.py lines: a sonnet call, a haiku call with cache tokens, and a RateLimitError before any token.
    private const string TracerFile =
        "{\"request_id\":\"req_a\",\"caller\":\"app.py:1\",\"function\":\"summarise\",\"ts_start\":1772356530.25,\"model_requested\":\"claude-sonnet-4-5\",\"status\":\"ok\",\"error\":null,\"latency_s\":1.5,\"model_used\":\"claude-sonnet-4-5-20250929\",\"input_tokens\":1000,\"output_tokens\":200,\"cache_creation_tokens\":0,\"cache_read_tokens\":0,\"stop_reason\":\"end_turn\",\"cost_usd\":0.1}\n" +
        "{\"request_id\":\"req_b\",\"caller\":\"app.py:2\",\"function\":\"classify\",\"ts_start\":\"2026-03-01T09:16:00Z\",\"model_requested\":\"claude-haiku-4-5\",\"status\":\"ok\",\"error\":null,\"latency_s\":0.5,\"model_used\":\"claude-haiku-4-5-20251001\",\"input_tokens\":2000,\"output_tokens\":100,\"cache_creation_tokens\":400,\"cache_read_tokens\":10000,\"stop_reason\":\"max_tokens\",\"cost_usd\":0.2}\n" +
        "{\"request_id\":null,\"caller\":\"app.py:3\",\"function\":\"summarise\",\"ts_start\":1772356600,\"model_requested\":\"claude-opus-4-8\",\"status\":\"error\",\"error\":{\"type\":\"RateLimitError\",\"message\":\"rate limited\",\"status_code\":429},\"latency_s\":0.1,\"model_used\":null,\"input_tokens\":null,\"output_tokens\":null,\"cache_creation_tokens\":null,\"cache_read_tokens\":null,\"stop_reason\":null,\"cost_usd\":null}\n";

    [Fact]
    public async Task Reads_a_tracer_py_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("tracer.jsonl", TracerFile);

        using var recomputed = await JsonReport([path, "--cost", "recomputed"]);
        using var recorded = await JsonReport([path, "--by", "feature"]); // recorded is the default

        var root = recomputed.RootElement;
        Assert.Equal(3, root.GetProperty("calls").GetInt64());
        Assert.Equal(1, root.GetProperty("errors").GetInt64());
        Assert.Equal("rate_limit_error", root.GetProperty("errors_by_type")[0].GetProperty("key").GetString());
        // sonnet: 1000 x 3 / 1e6 = 0.003, 200 x 15 / 1e6 = 0.003 => 0.006
        // haiku: 2000 x 1 / 1e6 = 0.002, 400 writes x 1.25 / 1e6 = 0.0005, 10000 reads x 0.1 / 1e6 = 0.001, 100 x 5 / 1e6 = 0.0005 => 0.004
        Assert.Equal(0.010m, root.GetProperty("cost_usd").GetDecimal());
        var tokens = root.GetProperty("tokens");
        Assert.Equal((3000L, 300L, 400L, 10000L),
            (tokens.GetProperty("input").GetInt64(), tokens.GetProperty("output").GetInt64(), tokens.GetProperty("cache_write").GetInt64(), tokens.GetProperty("cache_read").GetInt64()));
        Assert.Equal(1500.0, root.GetProperty("latency_ms").GetProperty("max").GetDouble(), precision: 6);
        // Recorded: tracer.py's own cost_usd.
        Assert.Equal(0.3m, recorded.RootElement.GetProperty("cost_usd").GetDecimal());
        // classify's one call recorded $0.20, summarise's two $0.10 (the error has no cost): cost orders the groups.
        Assert.Equal(
            [("classify", 1L), ("summarise", 2L)],
            recorded.RootElement.GetProperty("by").EnumerateArray().Select(g => (g.GetProperty("key").GetString()!, g.GetProperty("calls").GetInt64())));
    }

    [Fact]
    public async Task A_directory_means_the_jsonl_files_in_it()
    {
        using var dir = new TempDirectory();
        RecordFiles.Write(dir, "calls-2026-11-01.jsonl", [HandBuiltRecords.R1, HandBuiltRecords.R2, HandBuiltRecords.R3]);
        RecordFiles.Write(dir, "calls-2026-11-02.jsonl", [HandBuiltRecords.R5, HandBuiltRecords.R6]);
        dir.Write("notes.txt", "not a journal");

        using var doc = await JsonReport([dir.Path]);

        Assert.Equal(5, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.Equal(0.18182m, doc.RootElement.GetProperty("cost_usd").GetDecimal()); // 0.018 + 0.0057 + 0.01012 + 0.125 + 0.023
        Assert.Equal(0, doc.RootElement.GetProperty("skipped_lines").GetInt64());
    }

    [Fact]
    public async Task Several_files_add_up()
    {
        using var dir = new TempDirectory();
        var a = RecordFiles.Write(dir, "a.jsonl", HandBuiltRecords.All.Take(5));
        var b = RecordFiles.Write(dir, "b.jsonl", HandBuiltRecords.All.Skip(5));

        using var doc = await JsonReport([a, b]);

        Assert.Equal(11, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.Equal(HandBuiltRecords.TotalCost, doc.RootElement.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Dash_reads_standard_input()
    {
        var sample = await File.ReadAllTextAsync(RepoFiles.SampleCalls);

        var result = await Cli.RunAsync(["report", "-", "--format", "json"], stdin: sample);
        var fromFile = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        using var expected = JsonDocument.Parse(fromFile.Out);
        Assert.Equal(400, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.Equal(expected.RootElement.GetProperty("cost_usd").GetDecimal(), doc.RootElement.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(expected.RootElement.GetProperty("by").GetRawText(), doc.RootElement.GetProperty("by").GetRawText());
    }

    [Fact]
    public async Task Corrupt_lines_are_skipped_and_reported_on_stderr()
    {
        using var dir = new TempDirectory();
        var good = RecordFiles.Write(dir, "good.jsonl", [HandBuiltRecords.R1, HandBuiltRecords.R2, HandBuiltRecords.R5]);
        var lines = File.ReadAllLines(good);
        var path = dir.Write("damaged.jsonl", string.Join('\n', lines[0], "this is not json", lines[1], lines[2][..(lines[2].Length / 2)]));

        var result = await Cli.RunAsync("report", path, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("calls").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("skipped_lines").GetInt64());
        Assert.Equal(0.0237m, doc.RootElement.GetProperty("cost_usd").GetDecimal()); // R1 0.018 + R2 0.0057
        var errors = result.ErrorLines;
        Assert.Equal(2, errors.Length);
        Assert.StartsWith($"claudit: skipped {path}:2: ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"claudit: skipped {path}:4: ", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_corrupt_lines_are_summarised()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("junk.jsonl", string.Join('\n', Enumerable.Range(0, 9).Select(i => $"junk {i}")) + "\n");

        var result = await Cli.RunAsync("report", path, "--format", "markdown");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(6, result.ErrorLines.Length); // the first five, then the count
        Assert.Equal("claudit: skipped 9 lines in all that were not call records", result.ErrorLines[^1]);
        Assert.Contains("skipped lines (not records)", result.Out, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> JsonReport(string[] args)
    {
        var result = await Cli.RunAsync(["report", .. args, "--format", "json"], stdin: null);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        return JsonDocument.Parse(result.Out);
    }
}
