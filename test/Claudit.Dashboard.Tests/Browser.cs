using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>Debian's headless chromium through Playwright, and the documentation's screenshots, for every browser test.</summary>
internal static class Browser
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"Debian's chromium is not installed at {Chromium}: install it (apt-get install -y chromium; .ci/run does) to run the dashboard's browser tests");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
    }

    public static Task<IPage> PageAsync(IBrowser browser) =>
        browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

    /// <summary>Screenshots for docs/, only when asked (CLAUDIT_SCREENSHOTS=dir): a test run must not write into the repository.</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CLAUDIT_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"dashboard-{name}.png"), FullPage = true });
        }
    }
}
