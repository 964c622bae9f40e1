using System.Net;
using System.Text;
using Claudit.Core.Pricing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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
        HttpRequestSnapshot? seen = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var upstream = builder.Build();
        upstream.MapPost("/v1/messages", async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            seen = new HttpRequestSnapshot(c.Request.Path + c.Request.QueryString, c.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), await reader.ReadToEndAsync());
            c.Response.Headers["request-id"] = "req_forwarding";
            c.Response.Headers["x-upstream-only"] = "kept";
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("""{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}""");
        });
        await upstream.StartAsync();
        var upstreamAddress = new Uri(upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
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
            Assert.NotNull(seen);
            Assert.Equal("/v1/messages?beta=true", seen.PathAndQuery);
            Assert.Equal(body, seen.Body);
            Assert.Equal("test-key", seen.Headers["x-api-key"]);
            Assert.Equal("2023-06-01", seen.Headers["anthropic-version"]);
            Assert.Equal("prompt-caching-2024-07-31", seen.Headers["anthropic-beta"]);
            Assert.Equal("0", seen.Headers["x-stainless-retry-count"]);
            Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", seen.Headers["traceparent"]);
            Assert.Equal($"{upstreamAddress.Host}:{upstreamAddress.Port}", seen.Headers["host"]);
            Assert.DoesNotContain(seen.Headers.Keys, k => k.StartsWith("claudit-", StringComparison.Ordinal));
            Assert.DoesNotContain(seen.Headers.Keys, k => k.StartsWith("x-forwarded", StringComparison.Ordinal) || k == "forwarded");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private sealed record HttpRequestSnapshot(string PathAndQuery, Dictionary<string, string> Headers, string Body);
}
