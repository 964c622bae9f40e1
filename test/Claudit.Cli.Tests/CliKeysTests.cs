using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Server;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit keys create|list|revoke</c>, against a data directory's store or a running gateway (<c>--server</c>):
/// the key is printed once and only its salted hash is stored; bad input is one line; a gateway holding the
/// store sends the command to <c>--server</c>.
/// </summary>
public class CliKeysTests
{
    [Fact]
    public async Task A_key_is_printed_once_listed_without_its_secret_and_revoked_by_name()
    {
        using var dir = new TempDirectory();
        var created = await Cli.RunAsync("keys", "create", "--name", "billing-bot", "--user", "u-42", "--tenant", "acme", "--feature", "billing",
            "--models", "claude-haiku-4-5,claude-sonnet-4-6", "--budget-usd", "5", "--window", "1d", "--rpm", "60", "--expires", "2099-12-31", "--data-dir", dir.Path);
        Assert.Equal(0, created.ExitCode);
        var key = created.Out.Trim();
        Assert.Matches("^sk-claudit-[0-9a-f]{16}-[A-Za-z0-9_-]{43}$", key);
        var described = Assert.Single(created.ErrorLines);
        Assert.Matches("^claudit keys: created 'billing-bot' \\(vk_[0-9a-f]{16}\\): user u-42, tenant acme, feature billing, models claude-haiku-4-5,claude-sonnet-4-6, budget \\$5.00 per 1d, 60 requests per minute, expires 2099-12-31T00:00:00Z\\.", described);

        var listed = await Cli.RunAsync("keys", "list", "--format", "json", "--data-dir", dir.Path);
        Assert.Equal(0, listed.ExitCode);
        Assert.DoesNotContain(key, listed.Out, StringComparison.Ordinal);
        var entry = Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray());
        Assert.Equal(("billing-bot", "active", "u-42", 5m, 60), (entry.GetProperty("name").GetString(), entry.GetProperty("status").GetString(), entry.GetProperty("user").GetString(),
            entry.GetProperty("budget_usd").GetDecimal(), entry.GetProperty("rpm").GetInt32()));
        Assert.Equal(key.Substring("sk-claudit-".Length, 16), entry.GetProperty("id").GetString()!["vk_".Length..]);
        var table = await Cli.RunAsync("keys", "list", "--data-dir", dir.Path);
        Assert.Contains("billing-bot", table.Out, StringComparison.Ordinal);

        // Only the hash is in the store: neither the key nor its secret part is anywhere in the file.
        var file = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(dir.Path, DuckDbCallStore.FileName)));
        Assert.DoesNotContain(key[^43..], file, StringComparison.Ordinal);

        var revoked = await Cli.RunAsync("keys", "revoke", "billing-bot", "--data-dir", dir.Path);
        Assert.Equal(0, revoked.ExitCode);
        Assert.StartsWith("revoked 'billing-bot' (vk_", revoked.Out, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"revoked\"", (await Cli.RunAsync("keys", "list", "-f", "json", "--data-dir", dir.Path)).Out, StringComparison.Ordinal);
        Cli.AssertBadInput(await Cli.RunAsync("keys", "revoke", "billing-bot", "--data-dir", dir.Path), "no key named or numbered 'billing-bot' in the store");
    }

    [Theory]
    [InlineData(new[] { "keys", "create", "--name", "x", "--window", "2w", "--budget-usd", "1" }, "--window must be 1d or 1mo (calendar, UTC), or Nm or Nh")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--window", "1d" }, "--window is the window of a budget: give --budget-usd too")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--budget-usd", "lots" }, "--budget-usd must be a positive amount in USD, like 5 or 2.50, not 'lots'")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--expires", "2001-01-01" }, "--expires must be in the future")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--expires", "someday" }, "--expires 'someday' is neither an ISO 8601 date/time")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--rpm", "0" }, "--rpm must be 1 or more")]
    [InlineData(new[] { "keys", "create", "--name", "vk_123" }, "--name must not start with vk_")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--models", "a,,b" }, "--models must be model ids separated by commas")]
    [InlineData(new[] { "keys", "create", "--user", "u" }, "--name")]
    [InlineData(new[] { "keys", "list", "--server", "ftp://x" }, "--server must be an http(s) URL")]
    public async Task Bad_input_is_one_line(string[] args, string message)
    {
        using var dir = new TempDirectory();
        Cli.AssertBadInput(await Cli.RunAsync([.. args, "--data-dir", dir.Path]), message);
    }

    [Fact]
    public async Task A_second_key_with_a_taken_name_is_refused_until_the_first_is_revoked()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Cli.RunAsync("keys", "create", "--name", "bot", "--data-dir", dir.Path)).ExitCode);
        Cli.AssertBadInput(await Cli.RunAsync("keys", "create", "--name", "bot", "--data-dir", dir.Path), "a key named 'bot' exists and is not revoked");
        Assert.Equal(0, (await Cli.RunAsync("keys", "revoke", "bot", "--data-dir", dir.Path)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("keys", "create", "--name", "bot", "--data-dir", dir.Path)).ExitCode);
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task With_a_gateway_on_the_data_directory_the_keys_go_through_its_admin_api()
    {
        using var dir = new TempDirectory();
        const string Token = "keys-test-token-0123456789";
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = dir.Path, AccessToken = Token }, PriceTable.Default);

        // Another process cannot open the store the gateway holds: the command says where to go instead.
        var other = await RunProcessAsync("keys", "create", "--name", "blocked", "--data-dir", dir.Path);
        Assert.Equal(ClauditCli.BadInput, other.ExitCode);
        Assert.Contains("is in use by another process (a running `claudit serve`?): ask it with --server URL", other.Error, StringComparison.Ordinal);

        var url = gateway.BaseAddress.ToString();
        var created = await Cli.RunAsync("keys", "create", "--name", "through-api", "--user", "u-api", "--server", url, "--token", Token);
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("sk-claudit-", created.Out, StringComparison.Ordinal);
        var listed = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CLAUDIT_TOKEN"] = Token }, "keys", "list", "-f", "json", "--server", url);
        Assert.Equal("u-api", Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray()).GetProperty("user").GetString());
        Assert.Equal(0, (await Cli.RunAsync("keys", "revoke", "through-api", "--server", url, "--token", Token)).ExitCode);
        Cli.AssertBadInput(await Cli.RunAsync("keys", "list", "--server", url), "answered 401");

        var full = await Cli.RunAsync("keys", "create", "--name", "every-field", "--server", url, "--token", Token, "--budget-usd", "1.5", "--window", "1mo",
            "--models", "claude-haiku-4-5", "--expires", "2099-01-01T12:00:00Z", "--rpm", "5", "--tenant", "t", "--feature", "f");
        Assert.Equal(0, full.ExitCode);
        Assert.Contains("tenant t, feature f, models claude-haiku-4-5, budget $1.50 per 1mo, 5 requests per minute, expires 2099-01-01T12:00:00Z", full.Error, StringComparison.Ordinal);
        Cli.AssertBadInput(await Cli.RunAsync("keys", "create", "--name", "every-field", "--server", url, "--token", Token), "answered 409: a key named 'every-field' exists");
    }

    /// <summary>The built <c>claudit</c> as a separate process: DuckDB's file lock is per process.</summary>
    private static async Task<(int ExitCode, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "claudit")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
