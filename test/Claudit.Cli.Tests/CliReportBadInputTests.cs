namespace Claudit.Cli.Tests;

/// <summary>Bad input to <c>claudit report</c>: exit 2 and one clear line on stderr, never a stack trace.</summary>
public class CliReportBadInputTests
{
    [Fact]
    public async Task Missing_file()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("nope.jsonl");

        var result = await Cli.RunAsync("report", missing);

        Cli.AssertBadInput(result, $"'{missing}' does not exist");
    }

    [Fact]
    public async Task Directory_without_jsonl_files()
    {
        using var dir = new TempDirectory();
        dir.Write("readme.txt", "nothing here");

        var result = await Cli.RunAsync("report", dir.Path);

        Cli.AssertBadInput(result, "holds no *.jsonl files");
    }

    [Fact]
    public async Task A_price_table_with_a_server_is_refused_rather_than_ignored()
    {
        var result = await Cli.RunAsync("report", "--server", "http://127.0.0.1:9", "--prices", RepoFiles.SampleCalls);

        Cli.AssertBadInput(result, "--prices does not apply with --server");
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--since", "24x")]
    [InlineData("--since", "-5h")]
    [InlineData("--until", "2026-13-45")]
    public async Task Bad_time(string option, string value)
    {
        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, option, value);

        Cli.AssertBadInput(result, $"{option} '{value}' is neither an ISO 8601 date/time");
    }

    [Fact]
    public async Task Negative_top()
    {
        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--top", "-1");

        Cli.AssertBadInput(result, "--top must be 0 or more");
    }

    [Fact]
    public async Task Prices_file_that_is_not_json()
    {
        using var dir = new TempDirectory();
        var prices = dir.Write("prices.json", "{ this is not json");

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--prices", prices);

        Cli.AssertBadInput(result, "price table");
        Assert.Contains(prices, result.Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prices_file_that_is_json_but_not_a_price_table()
    {
        using var dir = new TempDirectory();
        var prices = dir.Write("prices.json", "{\"models\":[]}");

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--prices", prices);

        Cli.AssertBadInput(result, "$.version");
    }

    [Fact]
    public async Task Missing_prices_file()
    {
        using var dir = new TempDirectory();
        var prices = dir.File("missing-prices.json");

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--prices", prices);

        Cli.AssertBadInput(result, $"cannot read the price table '{prices}'");
    }

    [Theory]
    [InlineData("report", "samples/calls.jsonl", "--format", "xml")]
    [InlineData("report", "samples/calls.jsonl", "--by", "colour")]
    [InlineData("report", "samples/calls.jsonl", "--top", "many")]
    [InlineData("report")]
    public async Task Options_the_parser_rejects(params string[] args)
    {
        var result = await Cli.RunAsync(args.Select(a => a == "samples/calls.jsonl" ? RepoFiles.SampleCalls : a).ToArray(), stdin: null);

        Assert.True(result.ExitCode == ClauditCli.BadInput, $"exit {result.ExitCode}, stderr: {result.Error}");
        Assert.StartsWith("claudit: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
