using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// A real Prometheus (Debian's package, a child process) scrapes the real gateway in front of the
/// real mock every second; promtool queries it. Proves the exposition is what Prometheus ingests, with
/// the names, labels and counts the dashboard and the rules in deploy/ rely on, and no user label.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MetricsCollection.Name)]
public sealed class PrometheusScrapeTests : IAsyncLifetime
{
    private const string Model = MeteredGateway.Model;
    private MeteredGateway _gateway = null!;
    private PrometheusServer _prometheus = null!;

    public async Task InitializeAsync()
    {
        _gateway = await MeteredGateway.StartAsync();
        _prometheus = await PrometheusServer.StartAsync(_gateway.Target, RepoFiles.Deploy("prometheus", "claudit-rules.yml"));
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private static double Sum(IEnumerable<PromSample> samples, Func<PromSample, bool> where) => samples.Where(where).Sum(s => s.Value);

    private Task<List<PromSample>> RequestsReachAsync(int ok, int overloaded) => _prometheus.WaitForAsync(
        "claude_requests_total",
        r => Sum(r, s => s.Label("model") == Model && s.Label("status") == "ok") == ok
            && Sum(r, s => s.Label("model") == Model && s.Label("status") == "error" && s.Label("error_type") == "overloaded_error") == overloaded,
        $"claude_requests_total should show {ok} ok and {overloaded} overloaded_error calls for {Model}");

    [Fact]
    public async Task Prometheus_ingests_the_gateway_series_with_their_labels_and_counts()
    {
        await _prometheus.WaitForAsync("up{job=\"claudit\"}", r => r.Count == 1 && r[0].Value == 1, "the gateway should be up as a scrape target");

        await _gateway.SendStandardCallsAsync();
        var requests = await RequestsReachAsync(ok: 3, overloaded: 1);
        Assert.All(requests, s => Assert.Equal("claudit", s.Label("job")));
        Assert.All(requests, s => Assert.Equal(Model, s.Label("model")));
        Assert.Contains(requests, s => s.Label("status") == "ok" && s.Label("stop_reason") is "end_turn" or "max_tokens" && s.Label("error_type") is null);

        // A second round, so that counters move between scrapes and rate() has something to say.
        await _gateway.SendStandardCallsAsync();
        await RequestsReachAsync(ok: 6, overloaded: 2);

        var tokens = await _prometheus.WaitForAsync(
            $"sum by (direction) (claude_tokens_total{{model=\"{Model}\"}})",
            r => r.Count == 4,
            "claude_tokens_total should have the four token classes");
        Assert.True(Sum(tokens, s => s.Label("direction") == "input") > 0, string.Join("\n", tokens));
        Assert.InRange(Sum(tokens, s => s.Label("direction") == "output"), 1, 6 * 120);
        Assert.Contains(tokens, s => s.Label("direction") == "cache_read");
        Assert.Contains(tokens, s => s.Label("direction") == "cache_write");

        var p95 = await _prometheus.WaitForAsync(
            $"histogram_quantile(0.95, sum by (le) (claude_latency_seconds_bucket{{model=\"{Model}\"}}))",
            r => r.Count == 1 && double.IsFinite(r[0].Value),
            "the p95 of claude_latency_seconds should be a number");
        Assert.InRange(p95[0].Value, 0, 81.92);

        await _prometheus.WaitForAsync(
            "histogram_quantile(0.95, sum by (le) (rate(claude_latency_seconds_bucket[1m])))",
            r => r.Count == 1 && double.IsFinite(r[0].Value) && r[0].Value > 0,
            "the p95 of claude_latency_seconds over rate() should be a number once calls come between scrapes");

        var inputUsage = await _prometheus.WaitForAsync(
            $"sum(gen_ai_client_token_usage_bucket{{gen_ai_token_type=\"input\",gen_ai_request_model=\"{Model}\",gen_ai_provider_name=\"anthropic\",le=\"+Inf\"}})",
            r => r.Count == 1,
            "gen_ai_client_token_usage should have an input histogram");
        Assert.Equal(6, inputUsage[0].Value); // one observation per successful call

        var cost = await _prometheus.WaitForAsync(
            $"claude_cost_usd_total{{model=\"{Model}\"}}",
            r => r.Count == 1,
            "claude_cost_usd_total should have one series for the model");
        Assert.True(cost[0].Value > 0, cost[0].ToString());

        var remaining = await _prometheus.WaitForAsync(
            "claude_rate_limit_remaining{dimension=\"requests\"}",
            r => r.Count == 1,
            "claude_rate_limit_remaining should have the requests dimension");
        Assert.True(remaining[0].Value > 0, remaining[0].ToString());

        // The recording rules of deploy/prometheus evaluate to data over the real series.
        await _prometheus.WaitForAsync(
            $"claude:requests:rate5m{{model=\"{Model}\",status=\"ok\"}}",
            r => r.Count == 1 && r[0].Value > 0,
            "the recording rule claude:requests:rate5m should see the calls");
        await _prometheus.WaitForAsync(
            $"claude:errors:rate5m{{model=\"{Model}\",error_type=\"overloaded_error\"}}",
            r => r.Count == 1 && r[0].Value > 0,
            "the recording rule claude:errors:rate5m should see the 529s by error_type");
        await _prometheus.WaitForAsync(
            $"claude:error_ratio:rate5m{{model=\"{Model}\"}}",
            r => r.Count == 1 && r[0].Value is > 0 and < 1,
            "the recording rule claude:error_ratio:rate5m should be between 0 and 1");
        await _prometheus.WaitForAsync(
            $"claude:ttft_seconds:p95_5m{{model=\"{Model}\"}}",
            r => r.Count == 1 && double.IsFinite(r[0].Value),
            "the recording rule claude:ttft_seconds:p95_5m should be a number");

        // The headroom alert's division matches the two real gauges label for label, and the gateway's health is scraped.
        await _prometheus.WaitForAsync(
            "min by (dimension) (claude_rate_limit_remaining / claude_rate_limit_limit)",
            r => r.Any(s => s.Label("dimension") == "requests" && s.Value is > 0 and <= 1),
            "remaining / limit should be a share per dimension");
        await _prometheus.WaitForAsync(
            "claudit_records_journaled_total",
            r => r.Count == 1 && r[0].Value >= 1,
            "the gateway's journaled-records counter should be scraped");
        await _prometheus.WaitForAsync(
            "sum by (stage) (claudit_records_dropped_total)",
            r => r.Count == 4 && r.All(s => s.Value == 0), // journal, journal_refused, store, alerts
            "records dropped should be scraped per stage, all 0");

        // No user label anywhere, and the user's name in no label value.
        var byUser = await _prometheus.QueryAsync("count by (user) (claude_requests_total)");
        Assert.Single(byUser);
        Assert.Empty(byUser[0].Labels);
        Assert.Empty(await _prometheus.QueryAsync("{user!=\"\"}"));
        var all = await _prometheus.QueryAsync("{job=\"claudit\"}");
        Assert.NotEmpty(all);
        Assert.DoesNotContain(all, s => s.Labels.Values.Any(v => v.Contains(MeteredGateway.User, StringComparison.Ordinal)));
    }
}
