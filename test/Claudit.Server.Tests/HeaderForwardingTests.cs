using System.Net;
using System.Text;
using Claudit.Core.Pricing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests;

/// <summary>
/// What the upstream receives: the caller's method, path, query, headers and body, minus Claudit's
/// own headers, with nothing added. The upstream here records what it got and answers like the API.
/// </summary>
public sealed class HeaderForwardingTests
{
    [Fact]
    public async Task The_upstream_sees_the_callers_request_minus_claudit_headers_and_the_caller_sees_the_upstreams_answer()
    {
        var seen = new List<HttpRequestSnapshot>();
        await using var upstream = await StartRecordingUpstreamAsync(seen);
        var upstreamAddress = Address(upstream);
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-headers-").FullName;
        try
        {
            await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = upstreamAddress, DataDirectory = dataDir }, PriceTable.Default);
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            const string body = """{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages?beta=true") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("x-api-key", "test-key");
            request.Headers.Add("anthropic-version", "2023-06-01");
            request.Headers.Add("anthropic-beta", "prompt-caching-2024-07-31");
            request.Headers.Add("x-stainless-retry-count", "0");
            request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            request.Headers.Add("Claudit-User", "u1");
            request.Headers.Add("Claudit-Property-Plan", "pro");

            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("req_forwarding", response.Headers.GetValues("request-id").Single());
            Assert.Equal("kept", response.Headers.GetValues("x-upstream-only").Single());
            var forwarded = Assert.Single(seen);
            Assert.Equal("/v1/messages?beta=true", forwarded.PathAndQuery);
            Assert.Equal(body, forwarded.Body);
            Assert.Equal("test-key", forwarded.Headers["x-api-key"]);
            Assert.Equal("2023-06-01", forwarded.Headers["anthropic-version"]);
            Assert.Equal("prompt-caching-2024-07-31", forwarded.Headers["anthropic-beta"]);
            Assert.Equal("0", forwarded.Headers["x-stainless-retry-count"]);
            Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", forwarded.Headers["traceparent"]);
            Assert.Equal($"{upstreamAddress.Host}:{upstreamAddress.Port}", forwarded.Headers["host"]);
            Assert.DoesNotContain(forwarded.Headers.Keys, k => k.StartsWith("claudit-", StringComparison.Ordinal));
            Assert.DoesNotContain(forwarded.Headers.Keys, k => k.StartsWith("x-forwarded", StringComparison.Ordinal) || k == "forwarded");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task With_logging_on_as_claudit_serve_runs_traceparent_is_forwarded_as_sent_and_never_added()
    {
        var seen = new List<HttpRequestSnapshot>();
        await using var upstream = await StartRecordingUpstreamAsync(seen);
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-trace-").FullName;
        try
        {
            // A logger makes ASP.NET Core start an activity per request: YARP's default propagator then rewrote traceparent.
            await using var gateway = await GatewayServer.StartAsync(
                new GatewayOptions { Port = 0, Upstream = Address(upstream), DataDirectory = dataDir, ConfigureLogging = b => b.AddProvider(new CollectingLoggerProvider(new())).SetMinimumLevel(LogLevel.Warning) },
                PriceTable.Default);
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            foreach (var header in new[] { traceparent, null })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("""{"model":"claude-haiku-4-5","max_tokens":10,"messages":[]}""", Encoding.UTF8, "application/json") };
                request.Headers.Add("x-api-key", "test-key");
                if (header is not null)
                {
                    request.Headers.Add("traceparent", header);
                    request.Headers.Add("tracestate", "vendor=kept");
                }

                (await http.SendAsync(request)).Dispose();
            }

            Assert.Equal(2, seen.Count);
            Assert.Equal(traceparent, seen[0].Headers["traceparent"]);
            Assert.Equal("vendor=kept", seen[0].Headers["tracestate"]);
            Assert.False(seen[1].Headers.ContainsKey("traceparent"), "the gateway added a traceparent the caller did not send");
            Assert.False(seen[1].Headers.ContainsKey("tracestate"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>An upstream that records what it got and answers like the API.</summary>
    private static async Task<WebApplication> StartRecordingUpstreamAsync(List<HttpRequestSnapshot> seen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var upstream = builder.Build();
        upstream.MapPost("/v1/messages", async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            var snapshot = new HttpRequestSnapshot(c.Request.Path + c.Request.QueryString, c.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), await reader.ReadToEndAsync());
            lock (seen)
            {
                seen.Add(snapshot);
            }

            c.Response.Headers["request-id"] = "req_forwarding";
            c.Response.Headers["x-upstream-only"] = "kept";
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("""{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}""");
        });
        await upstream.StartAsync();
        return upstream;
    }

    private static Uri Address(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private sealed record HttpRequestSnapshot(string PathAndQuery, Dictionary<string, string> Headers, string Body);
}
