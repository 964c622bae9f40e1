namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit serve</c> settings come from flags, <c>CLAUDIT_*</c> variables and appsettings.json, in
/// that order of precedence; a bad value is refused before anything listens, naming where it came from.
/// </summary>
public class CliServeSettingsTests
{
    private static Dictionary<string, string> Env(params (string Name, string Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    [Theory]
    [InlineData("CLAUDIT_PORT", "abc", "CLAUDIT_PORT must be a whole number, not 'abc'")]
    [InlineData("CLAUDIT_PORT", "70000", "CLAUDIT_PORT must be between 0 and 65535, not 70000")]
    [InlineData("CLAUDIT_HOST", "10.1.2.3", "CLAUDIT_HOST 10.1.2.3 is not loopback")]
    [InlineData("CLAUDIT_UPSTREAM", "nowhere", "CLAUDIT_UPSTREAM must be an http(s) URL")]
    [InlineData("CLAUDIT_OTLP_ENDPOINT", "grpc://x", "CLAUDIT_OTLP_ENDPOINT must be an http(s) URL")]
    [InlineData("CLAUDIT_MAX_CAPTURE_BYTES", "10", "CLAUDIT_MAX_CAPTURE_BYTES must be between 1024")]
    [InlineData("CLAUDIT_QUEUE_CAPACITY", "0", "CLAUDIT_QUEUE_CAPACITY must be 1 or more")]
    [InlineData("CLAUDIT_DATA_DIR", "/proc/claudit-no", "CLAUDIT_DATA_DIR '/proc/claudit-no' is not writable")]
    [InlineData("CLAUDIT_PRICES", "/nonexistent/prices.json", "cannot read the price table '/nonexistent/prices.json'")]
    [InlineData("CLAUDIT_TOKEN", "short", "CLAUDIT_TOKEN must be at least 16 characters")]
    [InlineData("CLAUDIT_DAILY_BUDGET", "lots", "CLAUDIT_DAILY_BUDGET must be a positive amount in USD")]
    [InlineData("CLAUDIT_DAILY_BUDGET", "0", "CLAUDIT_DAILY_BUDGET must be a positive amount in USD")]
    [InlineData("CLAUDIT_UPSTREAM_HTTP2", "maybe", "CLAUDIT_UPSTREAM_HTTP2 must be true or false, not 'maybe'")]
    [InlineData("CLAUDIT_JOURNAL_FSYNC_MS", "-5", "CLAUDIT_JOURNAL_FSYNC_MS must be between 0 (every batch) and 10000 ms, not -5")]
    public async Task A_bad_environment_variable_is_named_in_the_error(string name, string value, string message)
    {
        using var dir = new TempDirectory();
        var env = Env((name, value));
        env.TryAdd("CLAUDIT_DATA_DIR", dir.Path);

        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(env, "serve"), message);
    }

    [Fact]
    public async Task A_bad_value_in_the_settings_file_names_the_file_and_key()
    {
        using var dir = new TempDirectory();
        var file = dir.File("appsettings.json");
        await File.WriteAllTextAsync(file, """{ "Claudit": { "Port": "eighty", "DataDir": "unused" } }""");

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--config", file), $"{file} Claudit:Port must be a whole number, not 'eighty'");
    }

    [Fact]
    public async Task A_journal_fsync_interval_out_of_range_in_the_settings_file_names_the_file_and_key()
    {
        using var dir = new TempDirectory();
        var file = dir.File("appsettings.json");
        await File.WriteAllTextAsync(file, """{ "Claudit": { "JournalFsyncMs": 60000, "DataDir": "unused" } }""");

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--config", file), $"{file} Claudit:JournalFsyncMs must be between 0 (every batch) and 10000 ms, not 60000");
    }

    [Fact]
    public async Task A_settings_file_that_is_not_json_or_missing_is_refused()
    {
        using var dir = new TempDirectory();
        var file = dir.File("broken.json");
        await File.WriteAllTextAsync(file, "{ not json");

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--config", file), "cannot read the settings file");
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--config", dir.File("missing.json")), "does not exist");
    }

    [Fact]
    public async Task Flags_win_over_the_environment_which_wins_over_the_file()
    {
        using var dir = new TempDirectory();
        var file = dir.File("settings.json");
        await File.WriteAllTextAsync(file, """{ "Claudit": { "Port": 1, "QueueCapacity": -1 } }""");

        // The file's bad queue capacity is reported: the environment does not set it.
        var fromFile = await Cli.RunWithEnvironmentAsync(Env(("CLAUDIT_DATA_DIR", dir.Path)), "serve", "--config", file);
        Cli.AssertBadInput(fromFile, "Claudit:QueueCapacity must be 1 or more");

        // The environment overrides the file, and a flag overrides the environment.
        var env = Env(("CLAUDIT_DATA_DIR", dir.Path), ("CLAUDIT_QUEUE_CAPACITY", "-2"));
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(env, "serve", "--config", file), "CLAUDIT_QUEUE_CAPACITY must be 1 or more, not -2");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(env, "serve", "--config", file, "--queue-capacity", "-3"), "--queue-capacity must be 1 or more, not -3");
    }

    [Fact]
    public async Task Beyond_loopback_needs_a_token()
    {
        using var dir = new TempDirectory();

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--host", "0.0.0.0"), "needs an access token (--token or CLAUDIT_TOKEN)");
    }

    [Fact]
    public async Task A_bad_policy_file_is_one_line_naming_the_policy_and_the_field()
    {
        using var dir = new TempDirectory();
        var policies = dir.Write("policies.json", """{"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 5, "window": "2w", "action": "block"}]}""");

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--policies", policies), $"{policies}: budgets[0] 'user-daily': window must be 1d or 1mo");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(Env(("CLAUDIT_DATA_DIR", dir.Path), ("CLAUDIT_POLICIES", policies)), "serve"), "budgets[0] 'user-daily': window");
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--policies", dir.File("missing.json")), "--policies '" + dir.File("missing.json") + "' does not exist");

        var settings = dir.Write("appsettings.json", """{"Claudit": {"Policies": {"rate_limits": [{"name": "rpm", "scope": "user", "requests": 0, "window": "1m"}]}}}""");
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--config", settings), $"{settings} Claudit:Policies: rate_limits[0] 'rpm': requests must be a whole number of 1 or more, not 0");
    }

    [Fact]
    public async Task The_upstream_key_comes_from_its_file_or_anthropic_api_key_and_is_needed_to_require_virtual_keys()
    {
        using var dir = new TempDirectory();
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(Env(("CLAUDIT_DATA_DIR", dir.Path)), "serve", "--require-virtual-keys"), "--require-virtual-keys needs the real Anthropic key that virtual keys stand for");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(Env(("CLAUDIT_DATA_DIR", dir.Path), ("CLAUDIT_REQUIRE_VIRTUAL_KEYS", "maybe")), "serve"), "CLAUDIT_REQUIRE_VIRTUAL_KEYS must be true or false, not 'maybe'");
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--upstream-key-file", dir.File("none")), $"--upstream-key-file '{dir.File("none")}' cannot be read");
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--upstream-key-file", dir.Write("empty", " \n")), "is empty: it must hold the Anthropic key");
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task Serve_starts_with_inline_policies_and_says_what_it_enforces_without_printing_the_key()
    {
        using var dir = new TempDirectory();
        var settings = dir.Write("appsettings.json", """
            {"Claudit": {"Port": 0, "DataDir": "data", "DailyBudget": 20,
              "Policies": {"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 5, "window": "1d"}],
                           "rate_limits": [{"name": "user-rpm", "scope": "user", "requests": 60, "window": "1m"}]}}}
            """);
        const string Key = "sk-ant-api03-" + "serve-settings-secret-key";
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var console = new CliConsole(output, error, () => Stream.Null, environment: name => name == "ANTHROPIC_API_KEY" ? Key : null);
        var run = ClauditCli.RunAsync(["serve", "--config", settings, "--data-dir", dir.File("data")], console, stop.Token);
        for (var i = 0; i < 200 && !error.ToString().Contains("Ctrl+C", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        Assert.Equal(ClauditCli.Ok, await run);
        var said = error.ToString();
        Assert.Contains("enforcing 3 budget and rate-limit policies (docs/budgets.md)", said, StringComparison.Ordinal); // the two inline ones and the daily budget
        Assert.Contains("virtual keys (claudit keys create) are swapped for the real key", said, StringComparison.Ordinal);
        Assert.DoesNotContain("serve-settings-secret", said + output, StringComparison.Ordinal);
    }
}
