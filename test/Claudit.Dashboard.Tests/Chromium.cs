using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>Debian's Chromium (/usr/bin/chromium; .ci/run installs it) through Playwright, pages of the size the docs' screenshots have, and what the console says about a page.</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] args)
    {
        Assert.True(File.Exists(Path), $"Debian's chromium is not installed at {Path}: install it (apt-get install -y chromium; .ci/run does) to run the dashboard's browser tests");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true, Args = args });
    }

    public static Task<IPage> PageAsync(IBrowser browser) =>
        browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

    /// <summary>
    /// Waits until the page has drawn <paramref name="view"/> (its one request answered): on two busy cores a whole
    /// view over a day of history can take longer than an assertion's default 5 s the first time.
    /// </summary>
    public static Task ViewDrawnAsync(IPage page, string view) =>
        Assertions.Expect(page.Locator($"main[data-view={view}]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });

    /// <summary>Screenshots for docs/, only when asked (CLAUDIT_SCREENSHOTS=dir): a test run must not write into the repository.</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CLAUDIT_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(dir, $"dashboard-{name}.png"), FullPage = true });
        }
    }

    /// <summary>Collects what the page breaks: its Content-Security-Policy (the console's report of a blocked script, style or frame) and uncaught script errors.</summary>
    public static List<string> WatchForViolations(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return problems;
    }
}
