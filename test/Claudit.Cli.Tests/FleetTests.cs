using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;
using Claudit.Mock;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Claudit.Cli.Tests;

/// <summary>
/// Issue 14's fleet, all real processes: ClickHouse, Redis, three <c>claudit serve</c> on them in front of one
/// mock, and, for comparison, one <c>claudit serve</c> on DuckDB in front of a second mock with the same seed
/// (same answers to the same requests). Mixed calls go round robin over the fleet (one gateway is killed with
/// SIGKILL midway and started again) and the same calls to the single gateway; then:
/// stored calls == answered calls; <c>claudit report --store clickhouse://…</c> equals the single gateway's
/// report (all but latencies, times and ids), its failure rate after retries included: every faulted call is
/// retried on another gateway than its first attempt, so only Redis can link the two; a daily budget shared by the
/// three stops spend within its stated bound; a firing alert is delivered exactly once. <c>CLAUDIT_FLEET_CALLS</c>
/// sets the mixed calls (default 1,200; <c>bench/scale-out.sh</c> runs 30,000, ~6 min here: docs/scale-out.md).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class FleetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const decimal BudgetUsd = 0.05m;

    /// <summary>Before a retry, as the SDKs wait (Anthropic's back off ≥ 0.375 s; shorter here to keep the run short).</summary>
    private static readonly TimeSpan RetryBackOff = TimeSpan.FromMilliseconds(100);
    private readonly TempDirectory _dir = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private ClickHouseServer _clickHouse = null!;
    private RedisServer _redis = null!;
    private MockServer _mock = null!;
    private MockServer _referenceMock = null!;
    private WebhookListener _hooks = null!;

    private static int MixedCalls => int.TryParse(Environment.GetEnvironmentVariable("CLAUDIT_FLEET_CALLS"), out var n) && n > 0 ? n : 1200;

    private string StoreUrl => _clickHouse.Url("fleet");

    public async Task InitializeAsync()
    {
        _clickHouse = await ClickHouseServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        var mock = new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 14, RateLimits = new RateLimitSettings { Enforced = false } };
        _mock = await MockServer.StartAsync(mock);
        _referenceMock = await MockServer.StartAsync(mock);
        _hooks = await WebhookListener.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _hooks.DisposeAsync();
        await _mock.DisposeAsync();
        await _referenceMock.DisposeAsync();
        await _redis.DisposeAsync();
        await _clickHouse.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Three_gateways_on_ClickHouse_and_Redis_record_like_one_and_share_budgets_and_alerts()
    {
        var policies = _dir.Write("policies.json", $$"""
            {"budgets": [{"name": "fleet-daily", "scope": "user", "match": {"user": "budgeted"}, "limit_usd": {{BudgetUsd.ToString(CultureInfo.InvariantCulture)}}, "window": "1d"}]}
            """);
        var alerts = _dir.Write("alerts.json", $$$"""
            {"evaluate_every": "1s", "notify": [{"type": "webhook", "url": "{{{_hooks.Url}}}"}],
             "rules": [{"name": "fleet-errors", "metric": "error_rate", "above": 0.05, "window": "30s", "for": "0s", "min_calls": 5,
                        "group_by": "model", "filter": {"feature": "faulty"}}]}
            """);
        var ports = Enumerable.Range(0, 3).Select(_ => ClauditProcess.FreePort()).ToArray();
        string[] Args(int i) => ["serve", "--port", ports[i].ToString(CultureInfo.InvariantCulture), "--upstream", _mock.BaseAddress.ToString(),
            "--data-dir", _dir.File($"gateway-{i}"), "--store", StoreUrl, "--shared-state", _redis.Url, "--policies", policies, "--alerts", alerts,
            "--journal-fsync-ms", "20"];
        var fleet = new ClauditProcess[3];
        for (var i = 0; i < 3; i++)
        {
            fleet[i] = await StartAsync(Args(i), ports[i]);
        }

        Assert.DoesNotContain("per instance", fleet[0].Error, StringComparison.Ordinal);
        var referencePort = ClauditProcess.FreePort();
        var reference = await StartAsync(["serve", "--port", referencePort.ToString(CultureInfo.InvariantCulture), "--upstream", _referenceMock.BaseAddress.ToString(),
            "--data-dir", _dir.File("reference"), "--journal-fsync-ms", "20"], referencePort);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Uri Gateway(int i) => new($"http://127.0.0.1:{ports[i]}/v1/messages");
        var referenceUri = new Uri($"http://127.0.0.1:{referencePort}/v1/messages");

        // Mixed calls: four models' worth of shapes, streamed or not, a few faults; each to one fleet gateway and to the reference.
        // A faulted call is retried as an SDK does (same body and key, x-stainless-retry-count: 1): in the fleet on the next
        // gateway (a load balancer has no affinity), so only Redis can link it to its first attempt; on the reference, locally.
        var answered = 0;
        var retried = 0;
        var faulted = 0;
        using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port}");
        async Task RetryKeysAsync(int expected, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (redis.GetServer("127.0.0.1", _redis.Port).Keys(pattern: "claudit:retry:*").Count() < expected)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Redis never held the {expected} failed first attempts published so far");
                await Task.Delay(20, ct);
            }
        }

        async Task MixedAsync(int from, int to, int[] gateways) =>
            await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (n, ct) =>
            {
                // The fleet and the reference at once: the run is bound by round trips, not by CPU.
                var fleetGateways = gateways.Select(Gateway).ToArray();
                var reference = SendAsync(http, Mixed(n, attempt: 0), referenceUri, ct);
                var (code, _) = await SendToFleetAsync(http, Mixed(n, attempt: 0), fleetGateways, n, ct);
                Interlocked.Increment(ref answered);
                Assert.Equal((await reference).Item1, code);
                if ((int)code >= 400)
                {
                    // The first attempt's gateway publishes it to Redis as it finishes the call, just after the caller has
                    // the answer; under load a retry 100 ms later could overtake that (a real SDK waits ≥ 375 ms). Each faulted
                    // call has its own prompt, so its own key: wait until Redis holds as many as faults were answered so far.
                    await RetryKeysAsync(Interlocked.Increment(ref faulted), ct);
                    await Task.Delay(RetryBackOff, ct);
                    var referenceRetry = SendAsync(http, Mixed(n, attempt: 1), referenceUri, ct);
                    var (retryCode, _) = await SendToFleetAsync(http, Mixed(n, attempt: 1), fleetGateways, n + 1, ct);
                    Interlocked.Increment(ref answered);
                    Interlocked.Increment(ref retried);
                    Assert.Equal((await referenceRetry).Item1, retryCode);
                }
            });

        var total = MixedCalls;
        var started = DateTime.UtcNow;
        await MixedAsync(0, total * 2 / 5, [0, 1, 2]);
        // Midway: gateway 1 is killed (SIGKILL) while the two others take the traffic, then started again on its data directory.
        await Task.Delay(300);
        fleet[1].Kill();
        var restart = Task.Run(async () => fleet[1] = await StartAsync(Args(1), ports[1]));
        await MixedAsync(total * 2 / 5, total * 3 / 5, [0, 2]);
        await restart;
        await MixedAsync(total * 3 / 5, total, [0, 1, 2]);
        output.WriteLine($"{total} mixed calls ({retried} of them retried on another gateway) through the fleet and the reference in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

        // A budget shared by the three: $0.05 a day for user 'budgeted', whichever gateway the calls reach.
        var refused = 0;
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 9 }, async (n, ct) =>
        {
            var (code, _) = await SendAsync(http, Call("claude-haiku-4-5", "budget " + n, stream: false, user: "budgeted", feature: "budget"), Gateway(n % 3), ct);
            if (code == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref refused);
            }
        });

        // Errors on every gateway: each one's evaluator fires the rule, one of them sends it.
        await Parallel.ForAsync(0, 45, new ParallelOptions { MaxDegreeOfParallelism = 9 }, async (n, ct) =>
            await SendAsync(http, Call("claude-haiku-4-5", "faulty " + n, stream: false, feature: "faulty", fault: "api_error"), Gateway(n % 3), ct));
        await _hooks.WaitForAsync(h => h.Text("rule") == "fleet-errors" && h.Text("status") == "firing", TimeSpan.FromSeconds(30), "the fleet-errors alert");

        // Stored == answered, once every gateway's applier has shipped its journal.
        var fleetReport = await WaitForReportAsync(["--store", StoreUrl], answered);
        reference.Terminate();
        Assert.Equal(0, await reference.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var referenceReport = Json(await ReportAsync(["--data-dir", _dir.File("reference"), "--feature", "mixed"]));
        Assert.Equal(answered, referenceReport["calls"]!.GetValue<long>());
        var fleetMixed = Json(await ReportAsync(["--store", StoreUrl, "--feature", "mixed"]));
        // Every retry reached another gateway than its first attempt and was linked through Redis: the failure rate after
        // retries counts what callers finally saw, as on the single gateway.
        Assert.True(retried > 0, "no call was retried");
        Assert.True(fleetMixed["failure_rate_after_retries"]!.GetValue<double>() < fleetMixed["error_rate"]!.GetValue<double>(), "the fleet's retries were not linked");
        Assert.Equal(referenceReport["failure_rate_after_retries"]!.GetValue<double>(), fleetMixed["failure_rate_after_retries"]!.GetValue<double>());
        Assert.Equal(Comparable(referenceReport), Comparable(fleetMixed));

        // The budget stopped spend within its bound: at most one call's worst case above the limit (docs/budgets.md),
        // here haiku's $5/MTok × 64 output tokens + the prompt's few input tokens < $0.001.
        var budget = Json(await ReportAsync(["--store", StoreUrl, "--user", "budgeted"]));
        var spent = budget["cost_usd"]!.GetValue<decimal>();
        output.WriteLine($"budget: {refused} of 300 refused, ${spent} spent of ${BudgetUsd}");
        Assert.True(refused > 0, "the shared budget refused nothing");
        Assert.InRange(spent, BudgetUsd * 0.9m, BudgetUsd + 0.001m);

        await Task.Delay(TimeSpan.FromSeconds(4)); // every evaluator has had several rounds to send its own
        Assert.Single(_hooks.Received, h => h.Text("rule") == "fleet-errors" && h.Text("status") == "firing");
        output.WriteLine($"stored == answered == {answered}; alert sent once; {fleetReport["calls"]} mixed calls in the fleet's report");
    }

    private async Task<ClauditProcess> StartAsync(string[] args, int port)
    {
        var process = ClauditProcess.Start(args);
        _owned.Add(process);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await process.WaitForAsync(http, "/readyz", TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>Sends to the gateway <paramref name="n"/> picks, and to the next one while a gateway cannot be reached (a load balancer's retry).</summary>
    private static async Task<(HttpStatusCode, string)> SendToFleetAsync(HttpClient http, Func<HttpRequestMessage> request, Uri[] gateways, int n, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendAsync(http, request, gateways[(n + attempt) % gateways.Length], ct);
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(HttpClient http, Func<HttpRequestMessage> request, Uri gateway, CancellationToken ct)
    {
        using var message = request();
        message.RequestUri = gateway;
        using var response = await http.SendAsync(message, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The <paramref name="n"/>th mixed call; its retry (<paramref name="attempt"/> 1) is the same request without the fault.</summary>
    private static Func<HttpRequestMessage> Mixed(int n, int attempt)
    {
        string[] models = ["claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"];
        string? fault = attempt > 0 ? null : n % 25 == 7 ? "overloaded" : n % 40 == 11 ? "rate_limit" : null;
        return Call(models[n % models.Length], $"mixed question {n}", stream: n % 3 == 0, user: $"user-{n % 17}", feature: "mixed", fault: fault, maxTokens: 32 + (n % 5 * 64), attempt: attempt);
    }

    private static Func<HttpRequestMessage> Call(string model, string prompt, bool stream, string? user = null, string feature = "mixed", string? fault = null, int maxTokens = 64, int? attempt = null) => () =>
    {
        var message = new HttpRequestMessage(HttpMethod.Post, (Uri?)null)
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("x-api-key", "sk-ant-" + "fleet-test");
        message.Headers.Add("anthropic-version", "2023-06-01");
        message.Headers.Add("Claudit-Feature", feature);
        if (user is not null)
        {
            message.Headers.Add("Claudit-User", user);
        }

        if (fault is not null)
        {
            message.Headers.Add(MockFaults.Header, fault);
        }

        if (attempt is not null)
        {
            message.Headers.Add(RateLimitHeaders.RetryCount, attempt.Value.ToString(CultureInfo.InvariantCulture));
        }

        return message;
    };

    private static async Task<string> ReportAsync(string[] where)
    {
        var result = await ClauditProcess.RunAsync(["report", .. where, "--format", "json", "--top", "0"], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Out;
    }

    private static async Task<JsonObject> WaitForReportAsync(string[] where, int answered)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonObject report;
        do
        {
            report = Json(await ReportAsync([.. where, "--feature", "mixed"]));
            if (report["calls"]!.GetValue<long>() == answered)
            {
                return report;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"the fleet's store holds {report["calls"]} mixed calls, {answered} were answered");
        return report;
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    /// <summary>The report without what differs between two runs of the same traffic: latencies, times, ids.</summary>
    private static string Comparable(JsonNode node)
    {
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (key.Contains("latency", StringComparison.Ordinal) || key.Contains("ttft", StringComparison.Ordinal)
                            || key is "from" or "to" or "top_calls" or "recent_errors")
                        {
                            o.Remove(key);
                        }
                        else
                        {
                            Strip(o[key]);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Strip(item);
                    }

                    break;
            }
        }
    }
}
