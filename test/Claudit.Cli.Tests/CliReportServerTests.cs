using System.Text;
using Claudit.Core.Pricing;
using Claudit.Server;

namespace Claudit.Cli.Tests;

/// <summary><c>claudit report --server URL</c>: the gateway's store answers the same report the files give.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public class CliReportServerTests
{
    private static async Task<GatewayServer> GatewayWithSampleCallsAsync(string dataDir, string? token = null, Server.Access.AccessTokens? tokens = null)
    {
        var gateway = await GatewayServer.StartAsync(
            new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = dataDir, AccessToken = tokens is null ? token : null, Tokens = tokens ?? Server.Access.AccessTokens.None },
            PriceTable.Default);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var content = new StringContent(await File.ReadAllTextAsync(RepoFiles.SampleCalls), Encoding.UTF8, "application/x-ndjson");
        if (token is not null)
        {
            content.Headers.Add("Claudit-Token", token);
        }

        (await http.PostAsync("/api/ingest", content)).EnsureSuccessStatusCode();
        for (var i = 0; i < 500 && gateway.Applier.Applied < 400; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(400, gateway.Applier.Applied);
        return gateway;
    }

    [Theory]
    [InlineData("model", "recomputed")]
    [InlineData("feature", "recorded")]
    [InlineData("day", "recomputed")]
    public async Task The_server_answers_the_report_the_files_give(string by, string cost)
    {
        using var dir = new TempDirectory();
        await using var gateway = await GatewayWithSampleCallsAsync(dir.Path);

        var fromFiles = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--format", "json", "--by", by, "--cost", cost, "--top", "5");
        var fromServer = await Cli.RunAsync("report", "--server", gateway.BaseAddress.ToString(), "--format", "json", "--by", by, "--cost", cost, "--top", "5");

        Assert.Equal(0, fromServer.ExitCode);
        Assert.Equal("", fromServer.Error);
        Assert.Equal(fromFiles.Out, fromServer.Out);
        Assert.Contains("\"calls\": 400", fromServer.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_travel_to_the_server()
    {
        using var dir = new TempDirectory();
        await using var gateway = await GatewayWithSampleCallsAsync(dir.Path);
        string[] filters = ["--model", "claude-sonnet", "--since", "2026-01-01T00:00:00Z", "--format", "json"];

        var fromFiles = await Cli.RunAsync(["report", RepoFiles.SampleCalls, .. filters]);
        var fromServer = await Cli.RunAsync(["report", "--server", gateway.BaseAddress.ToString(), .. filters]);

        Assert.Equal(fromFiles.Out, fromServer.Out);
    }

    [Fact]
    public async Task A_token_protected_server_needs_the_token()
    {
        using var dir = new TempDirectory();
        const string token = "report-server-test-token";
        await using var gateway = await GatewayWithSampleCallsAsync(dir.Path, token);

        Cli.AssertBadInput(await Cli.RunAsync("report", "--server", gateway.BaseAddress.ToString()), "answered 401: Claudit: a missing or wrong access token");
        var withToken = await Cli.RunAsync("report", "--server", gateway.BaseAddress.ToString(), "--token", token, "--format", "json");
        Assert.Equal(0, withToken.ExitCode);
        var fromEnvironment = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CLAUDIT_TOKEN"] = token }, "report", "--server", gateway.BaseAddress.ToString(), "--format", "json");
        Assert.Equal(withToken.Out, fromEnvironment.Out);
    }

    [Fact]
    public async Task A_tenant_scoped_token_gets_the_report_of_its_tenants_only()
    {
        using var dir = new TempDirectory();
        const string admin = "report-admin-token-0123456789";
        const string scoped = "report-tenant-token-0123456789";
        var tokens = Server.Access.AccessTokenFile.Parse($$"""
            {"tokens":[{"name":"ops","token":"{{admin}}","role":"admin"},{"name":"t01","token":"{{scoped}}","role":"read","tenants":["tenant_01","tenant_03"]}]}
            """).Tokens;
        await using var gateway = await GatewayWithSampleCallsAsync(dir.Path, admin, tokens);

        var all = await Cli.RunAsync("report", "--server", gateway.BaseAddress.ToString(), "--token", admin, "--format", "json", "--by", "tenant");
        var mine = await Cli.RunAsync("report", "--server", gateway.BaseAddress.ToString(), "--token", scoped, "--format", "json", "--by", "tenant");

        Assert.Contains("\"calls\": 400", all.Out, StringComparison.Ordinal);
        Assert.Contains("\"calls\": 42", mine.Out, StringComparison.Ordinal); // tenant_01's 29 and tenant_03's 13 of samples/calls.jsonl
        var groups = System.Text.Json.JsonDocument.Parse(mine.Out).RootElement.GetProperty("by").EnumerateArray().Select(g => g.GetProperty("key").GetString()).Order();
        Assert.Equal(["tenant_01", "tenant_03"], groups);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9", "cannot reach the Claudit server at http://127.0.0.1:9/")]
    [InlineData("ftp://example", "--server must be an http(s) URL")]
    public async Task Bad_servers_are_one_clear_line(string server, string message) =>
        Cli.AssertBadInput(await Cli.RunAsync("report", "--server", server), message);
}
