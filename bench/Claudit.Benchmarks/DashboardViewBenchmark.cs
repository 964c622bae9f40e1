using System.Diagnostics;
using System.Globalization;
using Claudit.Core.Pricing;
using Claudit.Server;
using Claudit.Store;
using Claudit.Store.ClickHouse;
using Claudit.Store.DuckDb;
using Claudit.Store.ReadModel;
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
    private static int Runs = 5;
    private static string[] Ranges = ["auto", "24h", "1h"];
    private static readonly string[] Views = ["overview", "cost", "latency", "errors", "quality", "models", "sessions", "calls"];

    public static async Task RunAsync(string directory, bool browser, string? storeUrl = null, int runs = 5, string[]? ranges = null, int settle = 0, bool timeline = false)
    {
        Runs = runs;
        Ranges = ranges ?? Ranges;
        DateTimeOffset last;
        Guid sampleId;
        string? sampleRequestId;
        // Opened for writing: a store filled by an older build is brought up to date (its rollups backfilled) before timing.
        // With a ClickHouse URL the gateway serves that store and DIR is only its data directory (its journal).
        await using (IClauditStore store = storeUrl is null
            ? DuckDbCallStore.Open(Path.Combine(directory, DuckDbCallStore.FileName))
            : await ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(storeUrl), "bench", TimeSpan.FromMinutes(10)))
        {
            var span = await store.QueryDataSpanAsync(new Core.Reporting.RecordFilter { Endpoint = "all" });
            last = span.Last ?? throw new InvalidOperationException($"the store in {storeUrl ?? directory} is empty: fill it with `dashboard-bench 1000000 {directory}` or `clickhouse-bench`");
            Console.WriteLine($"store: {await store.CountAsync():N0} calls from {span.First:u} to {span.Last:u}");
            // The call the Calls view would open: one of the last hour's, found by its id and by its request id.
            var recent = await store.QueryCallsAsync(new Core.Reporting.RecordFilter { Since = last.AddHours(-1), Until = last.AddSeconds(1) }, CostBasis.Recorded, new CallListQuery { Limit = 1, AnsweredOnly = true });
            (sampleId, sampleRequestId) = (recent[0].Id, recent[0].RequestId);
        }

        var clock = new MovingClock(last.AddSeconds(30));
        var started = Stopwatch.StartNew();
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = directory, Store = storeUrl, TimeProvider = clock }, PriceTable.Default);
        Console.WriteLine($"gateway started in {started.ElapsedMilliseconds} ms at {gateway.BaseAddress}");
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(15) };
        var first = Stopwatch.StartNew();
        using (var answer = await http.GetAsync($"/api/views/overview?range={Ranges[0]}"))
        {
            Console.WriteLine($"first request after start (/api/views/overview?range={Ranges[0]}, while the warm-up runs): HTTP {(int)answer.StatusCode} in {first.ElapsedMilliseconds} ms");
        }

        // Settle: seconds to wait after the first request, so that the gateway's warm-up at start (every view over the
        // whole range, one after another) has ended before the views are timed; 0 times them beside it.
        if (settle > 0)
        {
            Console.WriteLine($"waiting {settle} s for the warm-up at start to end");
            await Task.Delay(TimeSpan.FromSeconds(settle));
        }

        Console.WriteLine();
        Console.WriteLine("| view (one request) | range | median ms | max ms | bytes |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var range in Ranges)
        {
            foreach (var view in Views)
            {
                var (median, slowest, bytes) = await TimeRequestAsync(http, $"/api/views/{view}?range={range}");
                Console.WriteLine($"| {view} | {(range == "auto" ? "fit the data (all)" : range)} | {median:F0} | {slowest:F0} | {bytes:N0} |");
            }
        }

        foreach (var (what, url) in new[] { ("one call by id", $"/api/calls/{sampleId}"), ("one call by request id", $"/api/calls?range=30d&request_id={Uri.EscapeDataString(sampleRequestId ?? "")}") })
        {
            var (median, slowest, bytes) = await TimeRequestAsync(http, url);
            Console.WriteLine($"| {what} | any | {median:F0} | {slowest:F0} | {bytes:N0} |");
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
                void Mark(string what, string url)
                {
                    if (timeline)
                    {
                        Console.WriteLine($"    {watch.Elapsed.TotalMilliseconds,5:F0} ms {what} {url}");
                    }
                }

                page.Request += (_, r) => { Interlocked.Increment(ref inFlight); Mark("start", r.Url); };
                page.RequestFinished += (_, r) => { lastEnded = watch.Elapsed; Interlocked.Decrement(ref inFlight); Mark("end  ", r.Url); };
                page.RequestFailed += (_, _) => { lastEnded = watch.Elapsed; Interlocked.Decrement(ref inFlight); };
                await page.GotoAsync($"{gateway.BaseAddress}?view={view}", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                await page.Locator($"main[data-view={view}]").WaitForAsync();
                var drawn = watch.Elapsed;
                Mark("drawn", view);
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

    /// <summary>
    /// One warm request, then <see cref="Runs"/> timed: the median and slowest in ms, and the answer's size. One run is
    /// the first request alone (at 10,000,000 calls a view's request takes minutes here).
    /// </summary>
    private static async Task<(double Median, double Slowest, int Bytes)> TimeRequestAsync(HttpClient http, string url)
    {
        var times = new List<double>();
        var body = Array.Empty<byte>();
        for (var i = Runs == 1 ? 1 : 0; i <= Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            if (!response.IsSuccessStatusCode)
            {
                // A view past the gateway's store timeout (60 s) answers 500: said, not fatal, so the other views are still timed.
                Console.WriteLine($"({url}: HTTP {(int)response.StatusCode} after {watch.Elapsed.TotalMilliseconds:F0} ms)");
                return (watch.Elapsed.TotalMilliseconds, watch.Elapsed.TotalMilliseconds, 0);
            }

            body = await response.Content.ReadAsByteArrayAsync();
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times[Runs / 2], times[^1], body.Length);
    }

    /// <summary>A clock that starts where the data ends and moves with real time, as a gateway's would.</summary>
    private sealed class MovingClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _origin = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_origin);
    }
}
