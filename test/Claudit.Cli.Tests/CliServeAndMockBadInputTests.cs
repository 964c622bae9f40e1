namespace Claudit.Cli.Tests;

/// <summary>Bad settings for the servers are refused before anything listens: exit 2, one clear line.</summary>
public class CliServeAndMockBadInputTests
{
    [Theory]
    [InlineData(new[] { "serve", "--port", "70000" }, "--port must be between 0 and 65535")]
    [InlineData(new[] { "serve", "--host", "localhost" }, "--host must be an IP address")]
    [InlineData(new[] { "serve", "--host", "0.0.0.0" }, "is not loopback")]
    [InlineData(new[] { "serve", "--upstream", "ftp://example" }, "--upstream must be an http(s) URL")]
    [InlineData(new[] { "serve", "--data-dir", "/proc/claudit-cannot-write-here" }, "is not writable")]
    [InlineData(new[] { "serve", "--allowed-hosts", "dash.example,http://evil.example" }, "--allowed-hosts: 'http://evil.example' is not a host name")]
    [InlineData(new[] { "serve", "--allowed-hosts", "dash.example:99999" }, "--allowed-hosts: 'dash.example:99999' has no valid port")]
    [InlineData(new[] { "mock", "--port", "-1" }, "--port must be between 0 and 65535")]
    [InlineData(new[] { "mock", "--faults", "rate_limit=2" }, "--faults: fault 'rate_limit' needs a probability between 0 and 1")]
    [InlineData(new[] { "mock", "--faults", "gremlins=0.1" }, "--faults: unknown fault 'gremlins'")]
    [InlineData(new[] { "mock", "--rpm", "-5" }, "--rpm must be 0 (no limit) or more")]
    public async Task Refused_with_one_clear_line(string[] args, string message) =>
        Cli.AssertBadInput(await Cli.RunAsync(args), message);

    [Theory]
    [InlineData("-1")]
    [InlineData("10001")]
    public async Task Serve_refuses_a_journal_fsync_interval_out_of_range(string ms)
    {
        using var dir = new TempDirectory();

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--journal-fsync-ms", ms), "--journal-fsync-ms must be between 0 (every batch) and 10000 ms");
    }

    [Fact]
    public async Task Serve_names_the_variable_of_a_bad_journal_fsync_interval()
    {
        using var dir = new TempDirectory();

        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CLAUDIT_JOURNAL_FSYNC_MS"] = "soon" }, "serve", "--data-dir", dir.Path);

        Cli.AssertBadInput(result, "CLAUDIT_JOURNAL_FSYNC_MS must be a whole number, not 'soon'");
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("report")]
    public async Task A_directory_given_as_the_price_table_is_named_as_one(string command)
    {
        using var dir = new TempDirectory();
        string[] args = command == "serve" ? ["serve", "--data-dir", dir.File("data"), "--prices", dir.Path] : ["report", RepoFiles.SampleCalls, "--prices", dir.Path];

        Cli.AssertBadInput(await Cli.RunAsync(args), $"the price table '{dir.Path}' is a directory");
    }

    [Fact]
    public async Task A_directory_given_as_the_settings_file_is_named_as_one()
    {
        using var dir = new TempDirectory();

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.File("data"), "--config", dir.Path), $"--config '{dir.Path}' is a directory");
    }

    [Theory]
    [InlineData(null, "cannot read it")]
    [InlineData("{\"tokens\": [{\"name\": \"ops\", \"token\": \"long-enough-admin-token\", \"role\": \"root\"}]}", "tokens[0] (ops): role must be read, ingest or admin, not 'root'")]
    [InlineData("{\"tokens\": [{\"name\": \"ops\",", "not valid JSON")]
    public async Task Serve_refuses_a_bad_token_file_naming_the_file(string? json, string message)
    {
        using var dir = new TempDirectory();
        var file = dir.File("tokens.json");
        if (json is not null)
        {
            await File.WriteAllTextAsync(file, json);
        }

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--tokens", file), $"--tokens {file}: {message}");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CLAUDIT_TOKENS"] = file, ["CLAUDIT_DATA_DIR"] = dir.Path }, "serve"), $"CLAUDIT_TOKENS {file}: {message}");
    }

    [Fact]
    public async Task Serve_refuses_an_unreadable_price_table()
    {
        using var dir = new TempDirectory();

        var result = await Cli.RunAsync("serve", "--data-dir", dir.Path, "--prices", dir.File("missing.json"));

        Cli.AssertBadInput(result, "cannot read the price table");
    }
}
