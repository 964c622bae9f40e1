namespace Claudit.Cli.Tests;

/// <summary>The scale-out flags (docs/scale-out.md) refuse bad values with one line on stderr, exit 2, never echoing a password.</summary>
public class CliScaleOutBadInputTests
{
    [Theory]
    [InlineData(new[] { "--store", "clickhouse://u:hunter2@127.0.0.1:8123/" }, "--store: '")]
    [InlineData(new[] { "--store", "clickhouse://u:hunter2@127.0.0.1:8123/db", "--retention-days", "0" }, "--retention-days must be a whole number of days, 1 or more, not '0'")]
    [InlineData(new[] { "--retention-days", "30" }, "--retention-days applies to a ClickHouse store")]
    [InlineData(new[] { "--shared-state", "http://127.0.0.1:6379" }, "--shared-state must be redis://HOST:PORT")]
    public async Task Serve_refuses(string[] flags, string message)
    {
        using var dir = new TempDirectory();

        var result = await Cli.RunAsync(["serve", "--data-dir", dir.Path, .. flags]);

        Cli.AssertBadInput(result, message);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report")]
    [InlineData("import")]
    public async Task Report_and_import_take_only_a_clickhouse_url_as_store(string command)
    {
        using var dir = new TempDirectory();
        string[] args = command == "report" ? ["report", "--store", "duckdb:" + dir.File("x.duckdb")] : ["import", RepoFiles.SampleCalls, "--data-dir", dir.Path, "--store", "postgres://db/x"];

        Cli.AssertBadInput(await Cli.RunAsync(args), "--store must be a clickhouse://USER:PASS@HOST:8123/DB URL");
    }
}
