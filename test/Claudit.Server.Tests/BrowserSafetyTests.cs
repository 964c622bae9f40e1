using System.Net;
using System.Text;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// Loopback is not a boundary for browsers (issue 11, item 6): a rebound DNS name, a page on another
/// origin posting <c>text/plain</c> with <c>no-cors</c>, a frame. Here each is an HTTP request with the
/// headers a browser sends (Dashboard.Tests does the same in Chromium); SDKs, which send none of them, pass.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class BrowserSafetyTests
{
    private static string Line(string tenant) =>
        $$$"""{"id":"{{{Guid.CreateVersion7()}}}","start_time":"2026-11-20T12:00:00Z","model_used":"claude-haiku-4-5","latency_ms":5,"tags":{"tenant":"{{{tenant}}}"}}""" + "\n";

    private static HttpRequestMessage Get(string path, string host) => new(HttpMethod.Get, path) { Headers = { Host = host } };

    [Fact]
    public async Task Only_loopback_names_on_the_gateways_port_and_configured_hosts_are_answered()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { AllowedHosts = ["claudit.internal", "dash.example:8443"] });
        var port = gateway.Server.BaseAddress.Port;
        foreach (var host in new[] { $"127.0.0.1:{port}", $"localhost:{port}", $"[::1]:{port}", $"LOCALHOST:{port}", $"claudit.internal:{port}", "dash.example:8443" })
        {
            using var response = await gateway.Http.SendAsync(Get("/api/calls", host));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{host}: {response.StatusCode}");
        }

        foreach (var host in new[] { $"rebound.example:{port}", $"localhost:{port + 1}", "localhost", $"claudit.internal:{port + 1}", $"dash.example:{port}", $"127.0.0.2:{port}" })
        {
            foreach (var path in new[] { "/api/calls", "/", "/metrics", "/v1/messages" })
            {
                using var response = await gateway.Http.SendAsync(Get(path, host));
                Assert.True(response.StatusCode == HttpStatusCode.MisdirectedRequest, $"{host}{path}: {response.StatusCode}");
            }
        }

        // Health checks answer whatever the name (an orchestrator probes by address).
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.SendAsync(Get("/healthz", $"10.1.2.3:{port}"))).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0:4000", true)] // the URL claudit serve prints
    [InlineData("0.0.0.0", "10.1.2.3:4000", false)] // an address of the machine, not named: --allowed-hosts
    [InlineData("10.1.2.3", "10.1.2.3:4000", true)]
    [InlineData("10.1.2.3", "10.1.2.3:4001", false)]
    [InlineData("::", "[::]:4000", true)]
    [InlineData("127.0.0.1", "localhost.:4000", true)]
    public void The_listen_address_is_a_name_the_gateway_answers_to(string listen, string host, bool allowed) =>
        Assert.Equal(allowed, Server.Access.AllowedHosts.Create([], listen).Allows(new Microsoft.AspNetCore.Http.HostString(host), 4000, https: false));

    [Fact]
    public async Task A_page_on_another_origin_cannot_ingest_even_with_no_cors_text_plain()
    {
        await using var gateway = await TestGateway.StartAsync();
        var cases = new (string? Origin, string? Site, string ContentType, HttpStatusCode Expected)[]
        {
            ("http://attacker.example", "cross-site", "text/plain", HttpStatusCode.Forbidden),
            ("http://attacker.example", null, "application/x-ndjson", HttpStatusCode.Forbidden),
            ("null", null, "application/x-ndjson", HttpStatusCode.Forbidden),
            ("null", "cross-site", "application/x-ndjson", HttpStatusCode.Forbidden),
            ("http://attacker.example", "same-origin", "application/x-ndjson", HttpStatusCode.Forbidden),
            ($"http://localhost:{gateway.Server.BaseAddress.Port + 1}", "same-site", "application/x-ndjson", HttpStatusCode.Forbidden),
            (null, "cross-site", "application/x-ndjson", HttpStatusCode.Forbidden),
            (null, null, "text/plain", HttpStatusCode.UnsupportedMediaType),
            (null, null, "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType),
            (gateway.Server.BaseAddress.ToString().TrimEnd('/'), "same-origin", "application/x-ndjson", HttpStatusCode.Accepted),
            (null, null, "application/x-ndjson", HttpStatusCode.Accepted),
            (null, null, "application/json; charset=utf-8", HttpStatusCode.Accepted),
            ("null", "same-origin", "application/x-ndjson", HttpStatusCode.Accepted), // a same-origin post under Referrer-Policy: no-referrer
        };
        foreach (var (origin, site, contentType, expected) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Line(expected == HttpStatusCode.Accepted ? "kept" : "forged"))) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            if (site is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", site);
            }

            using var response = await gateway.Http.SendAsync(request);
            Assert.True(response.StatusCode == expected, $"{origin} {site} {contentType}: {response.StatusCode}, wanted {expected}");
        }

        var records = await gateway.StopAndReadAsync();
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal("kept", r.Tags.Tenant));
    }

    [Fact]
    public async Task A_page_on_another_origin_cannot_call_the_api_through_the_proxy_but_an_sdk_can()
    {
        await using var gateway = await TestGateway.StartAsync();
        foreach (var (name, value) in new[] { ("Origin", "http://attacker.example"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site"), ("Origin", "null") })
        {
            using var response = await gateway.Http.SendAsync(TestGateway.Message("Spend their money", headers: (name, value)));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name}: {value} got {response.StatusCode}");
            Assert.Contains("permission_error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var sdk = await gateway.Http.SendAsync(TestGateway.Message("An SDK sends no Origin")))
        {
            Assert.Equal(HttpStatusCode.OK, sdk.StatusCode);
        }

        using (var sameOrigin = await gateway.Http.SendAsync(TestGateway.Message("A page of the gateway's own", headers: [("Origin", gateway.Server.BaseAddress.ToString().TrimEnd('/')), ("Sec-Fetch-Site", "same-origin")])))
        {
            Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
        }

        Assert.Equal(2, (await gateway.StopAndReadAsync()).Count); // the refused ones never reached the upstream
    }

    [Fact]
    public async Task The_dashboard_and_the_api_carry_security_headers_and_proxied_answers_stay_the_upstreams()
    {
        await using var gateway = await TestGateway.StartAsync();
        foreach (var path in new[] { "/", "/dashboard/app.js", "/api/overview", "/api/calls/not-a-guid", "/metrics" })
        {
            using var response = await gateway.Http.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }

        var page = await gateway.Http.GetStringAsync("/");
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal); // every script is a file: the policy allows no inline one
        Assert.DoesNotContain(" style=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", await gateway.Http.GetStringAsync("/dashboard/app.js"), StringComparison.Ordinal);

        using var proxied = await gateway.Http.SendAsync(TestGateway.Message("Untouched"));
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.False(proxied.Headers.Contains("Content-Security-Policy"));
        Assert.False(proxied.Headers.Contains("X-Frame-Options"));
        Assert.Equal(CallStatus.Ok, Assert.Single(await gateway.StopAndReadAsync()).Status);
    }
}
