using System.Diagnostics;
using System.Text;
using Claudit.Alerts.Rules;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server;
using Claudit.Testing;

namespace Claudit.Benchmarks;

/// <summary>
/// How long from the first faulty call to the webhook POST: the real gateway in front of the real mock,
/// a rule that fires on one error (<c>error_rate</c> above 50%, a window of three evaluation periods (at
/// least 5 s), <c>min_calls</c> 1), a real
/// HTTP receiver. Each run waits until the window is empty (the previous alert resolved), sends one call
/// with <c>x-mock-fault: overloaded</c> at a random moment of the evaluation period, and times it to the
/// POST's arrival (one Stopwatch, one process): on average half a period plus the work.
/// Warm-up calls first, so JIT and connection setup are not counted. Run for each evaluation period asked.
/// </summary>
public static class AlertLatencyBenchmark
{
    public static async Task RunAsync(int runs, IReadOnlyList<TimeSpan> periods)
    {
        foreach (var period in periods)
        {
            await RunAsync(runs, period);
        }
    }

    private static async Task RunAsync(int runs, TimeSpan period)
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-alert-latency-").FullName;
        await using var hooks = await WebhookListener.StartAsync();
        await using var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 1, RateLimits = new RateLimitSettings { Enforced = false } });
        // The window spans a few evaluation periods, as a window must (a shorter one lets calls go unseen).
        var window = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, 3 * period.Ticks));
        var rules = AlertsFile.Parse(Encoding.UTF8.GetBytes($$"""
            {"evaluate_every": "{{DurationText.Format(period)}}", "defaults": false, "notify": [{"type": "webhook", "url": "{{hooks.Url}}"}],
             "rules": [{"name": "errors", "metric": "error_rate", "above": 0.5, "window": "{{DurationText.Format(window)}}", "min_calls": 1}]}
            """), "bench.json");
        var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = mock.BaseAddress, DataDirectory = dataDir, Alerts = rules }, PriceTable.Default);
        try
        {
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            await gateway.Alerts.Ready;
            for (var i = 0; i < 20; i++)
            {
                await SendAsync(http, null);
            }

            var latencies = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                // An empty window: the last alert resolved (and the warm-up calls left it). Then a random
                // moment within an evaluation period, so the runs sample every phase of the evaluation tick.
                var resolvedBefore = hooks.Received.Count(h => h.Text("status") == "resolved");
                await Task.Delay(window + TimeSpan.FromSeconds(1) + period + (period * Random.Shared.NextDouble()));
                var firedBefore = hooks.Received.Count(h => h.Text("status") == "firing");
                var sent = Stopwatch.GetTimestamp();
                await SendAsync(http, "overloaded");
                var hook = await hooks.WaitForAsync(h => h.Text("status") == "firing" && hooks.Received.Count(x => x.Text("status") == "firing" && x.ReceivedAt <= h.ReceivedAt) > firedBefore, TimeSpan.FromSeconds(60), "firing");
                latencies.Add(Stopwatch.GetElapsedTime(sent, hook.ReceivedAt).TotalMilliseconds);
                await hooks.WaitForAsync(_ => hooks.Received.Count(h => h.Text("status") == "resolved") > resolvedBefore, TimeSpan.FromSeconds(60), "resolved");
            }

            latencies.Sort();
            Console.WriteLine($"evaluate_every {DurationText.Format(period)}: first faulty call -> webhook POST over {runs} runs: median {latencies[latencies.Count / 2]:F0} ms, "
                + $"min {latencies[0]:F0} ms, max {latencies[^1]:F0} ms (all: {string.Join(", ", latencies.Select(l => l.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))})");
        }
        finally
        {
            await gateway.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task SendAsync(HttpClient http, string? fault)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude-haiku-4-5","max_tokens":20,"messages":[{"role":"user","content":"ping"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-" + "bench");
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
    }
}
