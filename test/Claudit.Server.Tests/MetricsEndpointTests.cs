using System.Text;
using System.Text.RegularExpressions;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary><c>/metrics</c> in Prometheus format after real calls through the gateway.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Scrape_shows_the_claude_series_and_the_genai_instruments_without_user_labels()
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-metrics-").FullName;
        try
        {
            await using var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 5 });
            await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = mock.BaseAddress, DataDirectory = dataDir }, PriceTable.Default);
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            foreach (var (stream, fault) in new[] { (false, (string?)null), (true, null), (false, "overloaded") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = new StringContent($$"""{"model":"claude-haiku-4-5","max_tokens":100,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Count me"}]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("x-api-key", "sk-ant-test");
                request.Headers.Add("anthropic-version", "2023-06-01");
                request.Headers.Add("Claudit-User", "user-should-not-be-a-label");
                if (fault is not null)
                {
                    request.Headers.Add(MockFaults.Header, fault);
                }

                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
            }

            var scrape = await http.GetStringAsync("/metrics");

            Assert.Matches(new Regex(@"^claude_requests_total\{[^}]*model=""claude-haiku-4-5""[^}]*status=""ok""[^}]*\} 2", RegexOptions.Multiline), scrape);
            Assert.Matches(new Regex(@"^claude_requests_total\{[^}]*error_type=""overloaded_error""[^}]*status=""error""[^}]*\} 1", RegexOptions.Multiline), scrape);
            Assert.DoesNotMatch(new Regex(@"^claude_requests_total\{[^}]*error_type=[^}]*status=""ok""", RegexOptions.Multiline), scrape);
            Assert.Matches(new Regex(@"^claude_latency_seconds_bucket\{", RegexOptions.Multiline), scrape);
            Assert.Matches(new Regex(@"^claude_ttft_seconds_count\{[^}]*\} 1", RegexOptions.Multiline), scrape);
            foreach (var direction in new[] { "input", "output", "cache_write", "cache_read" })
            {
                Assert.Matches(new Regex($@"^claude_tokens_total\{{[^}}]*direction=""{direction}""", RegexOptions.Multiline), scrape);
            }

            Assert.Matches(new Regex(@"^claude_cost_usd_total\{[^}]*model=""claude-haiku-4-5""", RegexOptions.Multiline), scrape);
            Assert.Matches(new Regex(@"^claude_rate_limit_remaining\{[^}]*dimension=""requests""", RegexOptions.Multiline), scrape);
            Assert.Matches(new Regex(@"^gen_ai_client_token_usage_bucket\{[^}]*gen_ai_token_type=""input""[^}]*le=""1024""", RegexOptions.Multiline), scrape);
            Assert.Matches(new Regex(@"^gen_ai_client_operation_duration_seconds_bucket\{[^}]*le=""81.92""", RegexOptions.Multiline), scrape);
            Assert.DoesNotContain("user-should-not-be-a-label", scrape, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
