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
}
