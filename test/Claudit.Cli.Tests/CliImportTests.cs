using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary><c>claudit import</c> loads JSONL into the store once; <c>claudit report --data-dir</c> reports from it.</summary>
public class CliImportTests
{
    [Fact]
    public async Task Import_loads_every_record_and_says_so()
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");

        var result = await Cli.RunAsync("import", RepoFiles.SampleCalls, "--data-dir", dataDir);

        Assert.True(result.ExitCode == 0, result.Error);
        var storePath = Path.Combine(dataDir, DuckDbCallStore.FileName);
        Assert.Equal($"imported 400 records (0 already present, 0 lines skipped) into {storePath}", result.Out.Trim());
        await using var store = DuckDbCallStore.Open(storePath, readOnly: true);
        Assert.Equal(400, await store.CountAsync());
        var first = (await RecordFiles.ReadAllAsync(RepoFiles.SampleCalls))[0];
        Assert.Equal(first.RequestId, (await store.GetCallAsync(first.Id))?.RequestId);
    }

    [Fact]
    public async Task Importing_the_same_journal_twice_adds_nothing_the_second_time()
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");
        var records = await RecordFiles.ReadAllAsync(RepoFiles.SampleCalls);
        var half = RecordFiles.Write(dir, "half.jsonl", records.Take(150));

        var first = await Cli.RunAsync("import", half, "--data-dir", dataDir);
        var second = await Cli.RunAsync("import", RepoFiles.SampleCalls, "--data-dir", dataDir);
        var third = await Cli.RunAsync("import", RepoFiles.SampleCalls, half, "--data-dir", dataDir);

        Assert.StartsWith("imported 150 records (0 already present", first.Out, StringComparison.Ordinal);
        Assert.StartsWith("imported 250 records (150 already present", second.Out, StringComparison.Ordinal);
        Assert.StartsWith("imported 0 records (550 already present", third.Out, StringComparison.Ordinal);
        await using var store = DuckDbCallStore.Open(Path.Combine(dataDir, DuckDbCallStore.FileName), readOnly: true);
        Assert.Equal(400, await store.CountAsync());
    }

    [Fact]
    public async Task Corrupt_and_tracer_lines_are_handled_like_report_does()
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");
        var file = dir.Write("mixed.jsonl", string.Join('\n',
            File.ReadLines(RepoFiles.SampleCalls).First(),
            "{\"id\": \"truncated",
            "{\"request_id\":\"req_tr_1\",\"caller\":\"app/jobs.py:42\",\"function\":\"summarise_ticket\",\"ts_start\":1772356530.25,\"model_requested\":\"claude-sonnet-4-5\",\"status\":\"ok\",\"latency_s\":1.5,\"input_tokens\":1200,\"output_tokens\":300,\"cost_usd\":0.01234}",
            ""));

        var result = await Cli.RunAsync("import", file, "--data-dir", dataDir);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("imported 2 records (0 already present, 1 lines skipped)", result.Out, StringComparison.Ordinal);
        Assert.Contains($"skipped {file}:2", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task Report_from_the_store_equals_report_from_the_files(string format)
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");
        await Cli.RunAsync("import", RepoFiles.SampleCalls, "--data-dir", dataDir);

        var fromStore = await Cli.RunAsync("report", "--data-dir", dataDir, "--format", format, "--by", "feature");
        var fromFile = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", format, "--by", "feature");

        Assert.True(fromStore.ExitCode == 0, fromStore.Error);
        Assert.Equal(fromFile.Out, fromStore.Out);
    }

    [Fact]
    public async Task Report_from_the_store_honours_filters_and_recorded_cost()
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");
        await Cli.RunAsync("import", RepoFiles.SampleCalls, "--data-dir", dataDir);
        string[] options = ["--format", "json", "--cost", "recorded", "--model", "claude-haiku", "--since", "2026-11-01T00:00:30Z", "--top", "3"];

        var fromStore = await Cli.RunAsync(["report", "--data-dir", dataDir, .. options], stdin: null);
        var fromFile = await Cli.RunAsync(["report", RepoFiles.SampleCalls, .. options], stdin: null);

        Assert.Equal(fromFile.Out, fromStore.Out);
        var expected = await RecordFiles.DirectReportAsync(RepoFiles.SampleCalls, new ReportOptions
        {
            CostMode = CostMode.Recorded,
            TopN = 3,
            Filter = new RecordFilter { Model = "claude-haiku", Since = new DateTimeOffset(2026, 11, 1, 0, 0, 30, TimeSpan.Zero) },
        }, CostCalculator.Default);
        Assert.Contains($"\"calls\": {expected.Calls},", fromStore.Out, StringComparison.Ordinal);
        Assert.True(expected.Calls is > 0 and < 400);
    }
}
