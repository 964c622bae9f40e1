using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>The gateway's own health on <c>/metrics</c> and <c>/readyz</c>: records journaled, stored and dropped, queues, store lag, notifications, upstream errors, rate-limit limits.</summary>
[Collection(MetricsCollection.Name)]
public sealed class HealthMetricsTests
{
    [Fact]
    public async Task The_scrape_exports_the_gateways_health_beside_the_call_series()
    {
        await using var gateway = await MeteredGateway.StartAsync();
        await gateway.SendStandardCallsAsync();

        // The store takes records in batches: wait until it has them all.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string scrape;
        do
        {
            await Task.Delay(100);
            scrape = await gateway.Http.GetStringAsync("/metrics");
        }
        while (!Regex.IsMatch(scrape, @"^claudit_records_stored_total(\{[^}]*\})? 4", RegexOptions.Multiline) && DateTime.UtcNow < deadline);

        Assert.Matches(new Regex(@"^claudit_records_journaled_total(\{[^}]*\})? 4", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claudit_records_stored_total(\{[^}]*\})? 4", RegexOptions.Multiline), scrape);
        foreach (var stage in new[] { "journal", "store", "alerts" })
        {
            Assert.Matches(new Regex($@"^claudit_records_dropped_total\{{[^}}]*stage=""{stage}""[^}}]*\}} 0", RegexOptions.Multiline), scrape);
        }

        foreach (var queue in new[] { "journal", "store", "alerts", "notifications" })
        {
            Assert.Matches(new Regex($@"^claudit_queue_depth\{{[^}}]*queue=""{queue}""[^}}]*\}} \d+", RegexOptions.Multiline), scrape);
        }

        Assert.Matches(new Regex(@"^claudit_store_lag_seconds(\{[^}]*\})? 0(\.\d+)?(e-?\d+)?$", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claudit_alert_notification_failures_total(\{[^}]*\})? 0", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claudit_alerts_firing(\{[^}]*\})? \d+", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claudit_upstream_errors_total\{[^}]*error_type=""overloaded_error""[^}]*\} 1", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^claude_rate_limit_limit\{[^}]*dimension=""requests""[^}]*\} [1-9]", RegexOptions.Multiline), scrape);

        var ready = await gateway.Http.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal(0, ready.GetProperty("store_lag_seconds").GetDouble());
        Assert.Equal(0, ready.GetProperty("alert_notification_failures").GetInt64());
    }
}
