using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Mock;
using Claudit.Server;
using Claudit.Server.Reconcile;
using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>The Cost view's "Recorded vs billed" panel in a real headless Chromium, over a reconciliation the gateway stored.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ReconcilePanelTests : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-dashboard-reconcile-").FullName;
    private MockServer? _mock;
    private GatewayServer? _gateway;

    [Fact]
    public async Task The_cost_view_shows_each_reconciled_row_with_its_verdict()
    {
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast });
        // A one-day lookback: the background pass owns yesterday only; the rows seeded three days back stay as they are.
        _gateway = await GatewayServer.StartAsync(
            new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, Reconcile = new BackgroundReconcileOptions("sk-ant-admin01-dashboard") { LookbackDays = 1 } },
            PriceTable.Default);
        var day = ReconcileBuckets.Floor(DateTimeOffset.UtcNow.AddDays(-3), ReconcileWidth.Day);
        ReconcileAmounts A(long input, decimal cost) => new() { UncachedInputTokens = input, OutputTokens = 20, CostUsd = cost };
        var reconciliation = Reconciler.Compare(
            [new(new ReconcileKey(day, "claude-sonnet-4-6", "standard"), A(1000, 0.0033m)), new(new ReconcileKey(day, "claude-haiku-4-5", "standard"), A(500, 0.0006m))],
            [new(new ReconcileKey(day, "claude-sonnet-4-6", "standard"), A(1500, 0.0048m)), new(new ReconcileKey(day, "claude-haiku-4-5", "standard"), A(500, 0.0006m))],
            day, day.AddDays(1), ReconcileWidth.Day, ReconcileTolerance.Default);
        await _gateway.Store.SaveReconciliationAsync(reconciliation, DateTimeOffset.UtcNow);

        Assert.True(File.Exists(Chromium), $"Debian's chromium is not installed at {Chromium}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(_gateway.BaseAddress + "?view=cost");

        var panel = page.Locator("[data-testid=reconcile]");
        await Assertions.Expect(panel.Locator("h2")).ToHaveTextAsync("Recorded vs billed");
        await Assertions.Expect(panel.Locator("[data-testid=reconcile-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(panel.Locator("[data-testid=reconcile-verdict]")).ToHaveTextAsync(["match", "unrecorded usage"]);
        Assert.Contains("claude-sonnet-4-6", await panel.Locator("[data-testid=reconcile-row]").Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-admin01", await page.ContentAsync(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_mock is not null)
        {
            await _mock.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
