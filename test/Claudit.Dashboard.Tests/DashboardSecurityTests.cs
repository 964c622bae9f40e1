using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server;
using Claudit.Server.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>
/// The gateway where browsers are (issue 11, item 6), in Debian's Chromium: a token holder logs in and
/// uses the dashboard under its strict CSP, seeing only its tenant; a page whose name was rebound to
/// 127.0.0.1 gets nothing; a page on another origin can neither post records nor calls (even
/// <c>no-cors</c> <c>text/plain</c>), nor frame the dashboard.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class DashboardSecurityTests : IAsyncLifetime
{
    private const string ReaderToken = "acme-dashboard-token-0123456789";
    private const string IngestToken = "acme-app-token-0123456789abc";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-dashboard-security-").FullName;
    private MockServer _mock = null!;

    public async Task InitializeAsync() =>
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 9, RateLimits = new RateLimitSettings { Enforced = false } });

    public async Task DisposeAsync()
    {
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private Task<GatewayServer> StartGatewayAsync(AccessTokens? tokens = null) =>
        GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, Tokens = tokens ?? AccessTokens.None }, PriceTable.Default);

    private static string Sha(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static CallRecord Call(string tenant, int n) => new()
    {
        Id = Guid.CreateVersion7(),
        StartTime = DateTimeOffset.UtcNow.AddMinutes(-n),
        ModelUsed = "claude-haiku-4-5",
        LatencyMs = 100,
        Usage = new TokenUsage { InputTokens = 100, OutputTokens = 10 },
        Tags = new CallTags { Tenant = tenant, Session = $"s-{tenant}" },
    };

    [Fact]
    public async Task A_token_holder_logs_in_and_sees_only_its_tenant_under_the_strict_csp()
    {
        var file = AccessTokenFile.Parse($$"""
            {"tokens":[{"name":"acme-dash","token_sha256":"{{Sha(ReaderToken)}}","role":"read","tenants":["acme"]},
                       {"name":"acme-app","token_sha256":"{{Sha(IngestToken)}}","role":"ingest","tenant":"acme"}]}
            """);
        await using var gateway = await StartGatewayAsync(file.Tokens);
        await gateway.Store.AppendAsync([Call("acme", 1), Call("acme", 2), Call("globex", 3), Call("globex", 4), Call("globex", 5)]);
        var url = gateway.BaseAddress.ToString().TrimEnd('/');

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = Chromium.WatchForViolations(page);

        // The page sends a browser without a session to the login form, remembering where it was going.
        await page.GotoAsync(url + "/?view=sessions");
        await page.WaitForURLAsync(u => u.StartsWith(url + "/login?next=", StringComparison.Ordinal));

        await page.FillAsync("input[name=token]", ReaderToken + "-wrong");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("not one of this gateway's");

        await page.FillAsync("input[name=token]", IngestToken);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("cannot read the dashboard");

        // The URL alone is asserted, polled: WaitForURLAsync waits for a load event once the URL already matches, and that
        // event can wait on a gateway busy warming its views beside other suites, or never come when a second navigation
        // to the same page replaces the first. The rows asserted next are waited for on their own.
        var login = new Regex("^" + Regex.Escape(url + "/login"));
        await page.FillAsync("input[name=token]", ReaderToken);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(url + "/?view=sessions");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(1); // acme's session, not globex's
        await Assertions.Expect(page.Locator("[data-testid=whoami]")).ToHaveTextAsync("acme-dash (read: acme)");
        await page.ClickAsync("#views a[data-view=overview]");
        await Assertions.Expect(page.Locator("[data-testid=requests] .value")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator(".legend i.c0").First).ToHaveCSSAsync("background-color", "rgb(79, 124, 201)"); // colours from the stylesheet, not inline styles

        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == LoginSessions.CookieName);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain(ReaderToken, session.Value, StringComparison.Ordinal);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.cookie.length")); // HttpOnly: the page's script cannot read it

        // Another tenant's call by id is not found, from the page's own origin with its own cookie.
        var status = await page.EvaluateAsync<int>("async id => (await fetch('/api/calls/' + id)).status", (await gateway.Store.QueryCallsAsync(
            new Core.Reporting.RecordFilter { Tenant = "globex", Since = DateTimeOffset.UtcNow.AddHours(-1), Until = DateTimeOffset.UtcNow }, Store.CostBasis.Recorded, new Store.ReadModel.CallListQuery()))[0].Id.ToString());
        Assert.Equal(404, status);

        // The page's own requests failing with 401 at the same moment may start a second navigation to the login page.
        await page.ClickAsync("[data-testid=logout]");
        await Assertions.Expect(page).ToHaveURLAsync(login);
        await page.GotoAsync(url + "/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page).ToHaveURLAsync(login);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_rebound_name_a_foreign_page_and_a_frame_get_nothing_from_a_gateway_without_tokens()
    {
        await using var gateway = await StartGatewayAsync();
        await gateway.Store.AppendAsync([Call("acme", 1)]);
        var port = gateway.BaseAddress.Port;
        await using var attacker = await StartAttackerSiteAsync(gateway.BaseAddress);
        var attackerUrl = attacker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var playwright = await Playwright.CreateAsync();
        // The attacker's name resolves to 127.0.0.1, as after a DNS rebinding.
        await using var browser = await Chromium.LaunchAsync(playwright, "--host-resolver-rules=MAP rebound.test 127.0.0.1");
        var page = await browser.NewPageAsync();

        var rebound = await page.GotoAsync($"http://rebound.test:{port}/api/calls?range=24h");
        Assert.Equal((int)HttpStatusCode.MisdirectedRequest, rebound!.Status);
        Assert.DoesNotContain("acme", await page.ContentAsync(), StringComparison.Ordinal);

        // A page on another origin posts a record and a Messages call the way a form or no-cors fetch can: text/plain, no preflight.
        await page.GotoAsync(attackerUrl);
        var line = $$$"""{"id":"{{{Guid.CreateVersion7()}}}","start_time":"{{{DateTimeOffset.UtcNow:O}}}","usage":{"input_tokens":9223372036854775807},"tags":{"tenant":"forged"}}""";
        await page.EvaluateAsync("""
            async ([gateway, line]) => {
              for (const [path, body] of [["/api/ingest", line + "\n"], ["/v1/messages", '{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"spend"}]}']]) {
                await fetch(gateway + path, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body });
                await fetch(gateway + path, { method: "POST", mode: "no-cors", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
              }
            }
            """, new[] { gateway.BaseAddress.ToString().TrimEnd('/'), line });

        // And frames the dashboard: the frame stays empty.
        await page.SetContentAsync($"<iframe id=dash src=\"{gateway.BaseAddress}\"></iframe>");
        await page.WaitForTimeoutAsync(1000);
        var frame = page.Frames.Single(f => f != page.MainFrame);
        Assert.Equal(0, await frame.Locator("#main").CountAsync());

        await Task.Delay(500); // the record queue's journal loop, had anything been let through
        Assert.Equal(0, gateway.Records.Written);
        Assert.Equal(1, await gateway.Store.CountAsync());
    }

    /// <summary>Another origin (another port), with a blank page to script from.</summary>
    private static async Task<WebApplication> StartAttackerSiteAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/", () => Results.Content($"<!doctype html><title>elsewhere</title><p>not {target}</p>", "text/html"));
        await app.StartAsync();
        return app;
    }
}
