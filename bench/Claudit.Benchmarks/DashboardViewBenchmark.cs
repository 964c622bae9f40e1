using System.Diagnostics;
using System.Globalization;
using Claudit.Core.Pricing;
using Claudit.Server;
using Claudit.Store.DuckDb;
using Microsoft.Playwright;

namespace Claudit.Benchmarks;

/// <summary>
/// Whole dashboard views at scale, as an on-call engineer meets them (docs/api.md, aim: each view's data under
/// 300 ms and the page complete in a fresh headless Chromium under 1 s at 1,000,000 calls). Starts a real
/// gateway over DIR (a store `dashboard-bench COUNT DIR` filled) on a clock set just after its last call, then:
/// the first request after start (the warm-up at start has run), each view's one request (<c>/api/views/{view}</c>)
/// over the default range (fit the data: all of it), the last 24 h and the last hour, five runs after one warm
/// run, median and slowest; and each view's first load in a fresh Chromium (a new browser each time, so no
/// cache, started and settled on a blank page first): from navigation until the view is drawn and its last request has ended.
/// </summary>
public static class DashboardViewBenchmark
{
    private const int Runs = 5;
    private static readonly string[] Views = ["overview", "cost", "latency", "errors", "quality", "models", "sessions", "calls"];

    public static async Task RunAsync(string directory, bool browser)
    {
        DateTimeOffset last;
        // Opened for writing: a store filled by an older build is brought up to date (its rollups backfilled) before timing.
        await using (var store = DuckDbCallStore.Open(Path.Combine(directory, DuckDbCallStore.FileName)))
        {
            var span = await store.QueryDataSpanAsync(new Core.Reporting.RecordFilter { Endpoint = "all" });
            last = span.Last ?? throw new InvalidOperationException($"the store in {directory} is empty: fill it with `dashboard-bench 1000000 {directory}`");
            Console.WriteLine($"store: {await store.CountAsync():N0} calls from {span.First:u} to {span.Last:u}");
        }

        var clock = new MovingClock(last.AddSeconds(30));
        var started = Stopwatch.StartNew();
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = directory, TimeProvider = clock }, PriceTable.Default);
        Console.WriteLine($"gateway started in {started.ElapsedMilliseconds} ms at {gateway.BaseAddress}");
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var first = Stopwatch.StartNew();
        (await http.GetAsync("/api/views/overview?range=auto")).EnsureSuccessStatusCode();
        Console.WriteLine($"first request after start (/api/views/overview, while the warm-up runs): {first.ElapsedMilliseconds} ms");

        Console.WriteLine();
        Console.WriteLine("| view (one request) | range | median ms | max ms | bytes |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var range in new[] { "auto", "24h", "1h" })
        {
            foreach (var view in Views)
            {
                var url = $"/api/views/{view}?range={range}";
                var body = await (await http.GetAsync(url)).EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
                var times = new List<double>();
                for (var i = 0; i < Runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    (await http.GetAsync(url)).EnsureSuccessStatusCode();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                Console.WriteLine($"| {view} | {(range == "auto" ? "fit the data (all)" : range)} | {times[Runs / 2]:F0} | {times[^1]:F0} | {body.Length:N0} |");
            }
        }

        if (!browser)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| view (fresh Chromium, first load) | range | run 1 ms | run 2 ms | run 3 ms |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        using var playwright = await Playwright.CreateAsync();
        foreach (var view in Views)
        {
            var loads = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                await using var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true });
                var page = await chromium.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
                // Complete: the view is drawn and its last request has ended. Playwright's NetworkIdle would add
                // the 500 ms of quiet it waits for to every figure, so requests are counted here instead.
                // The browser's own start-up (its renderer and GPU processes) is not the page's: it settles on a blank page first.
                await page.GotoAsync("about:blank");
                await Task.Delay(1000);
                var inFlight = 0;
                var lastEnded = TimeSpan.Zero;
                var watch = Stopwatch.StartNew();
                page.Request += (_, _) => Interlocked.Increment(ref inFlight);
                page.RequestFinished += (_, _) => { lastEnded = watch.Elapsed; Interlocked.Decrement(ref inFlight); };
                page.RequestFailed += (_, _) => { lastEnded = watch.Elapsed; Interlocked.Decrement(ref inFlight); };
                await page.GotoAsync($"{gateway.BaseAddress}?view={view}", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                await page.Locator($"main[data-view={view}]").WaitForAsync();
                var drawn = watch.Elapsed;
                while (Volatile.Read(ref inFlight) > 0)
                {
                    await Task.Delay(5);
                }

                loads.Add((drawn > lastEnded ? drawn : lastEnded).TotalMilliseconds);
                if (await page.Locator("[data-testid=error]").CountAsync() > 0)
                {
                    throw new InvalidOperationException($"{view}: {await page.Locator("[data-testid=error]").InnerTextAsync()}");
                }
            }

            Console.WriteLine($"| {view} | fit the data (all) | {string.Join(" | ", loads.Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))} |");
        }
    }

    /// <summary>A clock that starts where the data ends and moves with real time, as a gateway's would.</summary>
    private sealed class MovingClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _origin = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_origin);
    }
}
