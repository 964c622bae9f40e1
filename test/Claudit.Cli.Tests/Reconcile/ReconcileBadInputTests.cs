using Claudit.Mock;

namespace Claudit.Cli.Tests.Reconcile;

/// <summary><c>claudit reconcile</c>'s bad input: one line on stderr, exit 2; the Admin key from the environment only, never shown.</summary>
public class ReconcileBadInputTests
{
    private static readonly Dictionary<string, string> WithKey = new() { ["ANTHROPIC_ADMIN_KEY"] = "sk-ant-admin01-never-shown" };

    [Theory]
    [InlineData("--tolerance", "lots", "--tolerance must be a share such as 0.5%")]
    [InlineData("--tolerance", "150%", "--tolerance must be a share such as 0.5%")]
    [InlineData("--base-url", "ftp://example.com", "--base-url must be an http(s) URL")]
    [InlineData("--since", "yesterday-ish", "--since 'yesterday-ish' is neither")]
    [InlineData("--until", "2026-11-20T06:00:00Z", "holds no whole UTC day")]
    public async Task Bad_options_are_one_line_and_exit_2(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string[] args = ["reconcile", "--data-dir", dir.Path, "--since", "2026-11-20", option, value];
        if (option == "--since")
        {
            args = ["reconcile", "--data-dir", dir.Path, option, value];
        }

        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, args), message);
    }

    [Fact]
    public async Task Since_is_required_and_the_store_is_one_of_data_dir_or_store()
    {
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--data-dir", "x"), "--since");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--since", "2026-11-01", "--until", "2026-11-02"), "give one of --data-dir DIR or --store URL");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--since", "2026-11-01", "--until", "2026-11-02", "--data-dir", "x", "--store", "duckdb:y"), "give one of --data-dir DIR or --store URL");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--since", "2026-11-01", "--until", "2026-11-02", "--store", "clickhouse://u:p@h:8123/db"), "--store must be duckdb:PATH");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--since", "2026-11-01", "--until", "2026-11-02", "--by", "week", "--data-dir", "x"), "week");
    }

    [Fact]
    public async Task The_admin_key_comes_from_the_environment_and_a_missing_one_names_the_variable()
    {
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(new Dictionary<string, string>(), "reconcile", "--data-dir", "x", "--since", "2026-11-01", "--until", "2026-11-02"), "ANTHROPIC_ADMIN_KEY");
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--data-dir", "x", "--since", "2026-11-01", "--until", "2026-11-02", "--admin-key-env", "MY_ADMIN_KEY"), "MY_ADMIN_KEY");
        // There is no flag for the key itself.
        var flag = await Cli.RunWithEnvironmentAsync(WithKey, "reconcile", "--data-dir", "x", "--since", "2026-11-01", "--admin-key", "sk-ant-admin01-x");
        Assert.Equal(ClauditCli.BadInput, flag.ExitCode);
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task A_key_the_api_refuses_is_one_line_that_never_shows_the_key()
    {
        const string Secret = "sk-ant-api03-" + "this-is-not-an-admin-key";
        await using var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast });
        using var dir = new TempDirectory();
        await using (Store.DuckDb.DuckDbCallStore.Open(Path.Combine(dir.Path, Store.DuckDb.DuckDbCallStore.FileName)))
        {
        }

        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["ANTHROPIC_ADMIN_KEY"] = Secret },
            "reconcile", "--data-dir", dir.Path, "--since", "2026-11-01", "--until", "2026-11-02", "--base-url", mock.BaseAddress.ToString());

        Cli.AssertBadInput(result, "requires an Admin API key");
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
    }
}

/// <summary><c>claudit serve --admin-key-env NAME</c> names a variable; an unset one stops serve before it listens.</summary>
public class ServeReconcileSettingsTests
{
    [Fact]
    public async Task Serve_with_an_unset_admin_key_variable_is_bad_input_naming_it()
    {
        using var dir = new TempDirectory();
        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string>(), "serve", "--port", "0", "--data-dir", dir.Path, "--admin-key-env", "ORG_ADMIN_KEY");
        Cli.AssertBadInput(result, "--admin-key-env names the environment variable ORG_ADMIN_KEY, which is not set");
    }
}

/// <summary>An Admin API that is not there, or answers something else, is one line and exit 2, never a stack trace.</summary>
public class ReconcileUnreachableApiTests
{
    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task An_unreachable_api_or_one_answering_another_shape_is_one_line()
    {
        using var dir = new TempDirectory();
        await using (Store.DuckDb.DuckDbCallStore.Open(Path.Combine(dir.Path, Store.DuckDb.DuckDbCallStore.FileName)))
        {
        }

        var env = new Dictionary<string, string> { ["ANTHROPIC_ADMIN_KEY"] = "sk-ant-admin01-x" };
        string[] args = ["reconcile", "--data-dir", dir.Path, "--since", "2026-11-01", "--until", "2026-11-02"];
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(env, [.. args, "--base-url", "http://127.0.0.1:9"]), "cannot reach the Admin API");

        // A server that answers 200 with something else than a report.
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var body = System.Text.Encoding.UTF8.GetBytes("{\"unexpected\": true}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        var wrongPath = await Cli.RunWithEnvironmentAsync(env, [.. args, "--base-url", $"http://127.0.0.1:{port}"]);
        await serving;
        Cli.AssertBadInput(wrongPath, "in a shape this claudit does not know");
    }
}
