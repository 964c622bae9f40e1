using System.Net;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// With tokens, a browser logs in (issue 11, item 6): the page redirects to <c>/login</c>, the form
/// posts the token, and an HttpOnly SameSite=Strict cookie holding a random session id — not the
/// token — then carries the token's role and tenants. Dashboard.Tests does the same in Chromium.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class LoginTests
{
    private static HttpRequestMessage Form(string path, params (string Name, string Value)[] fields) =>
        new(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) };

    [Fact]
    public async Task A_browser_logs_in_with_a_token_and_gets_a_session_cookie_not_the_token()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { Tokens = TestTokens.File.Tokens });
        await gateway.Server.Store.AppendAsync([
            new CallRecord { Id = Guid.CreateVersion7(), StartTime = DateTimeOffset.UtcNow.AddMinutes(-1), LatencyMs = 1, Tags = new CallTags { Tenant = "acme" } },
            new CallRecord { Id = Guid.CreateVersion7(), StartTime = DateTimeOffset.UtcNow.AddMinutes(-1), LatencyMs = 1, Tags = new CallTags { Tenant = "globex" } },
        ]);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = gateway.Server.BaseAddress };

        using (var page = await browser.GetAsync("/?view=cost"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login?next=%2F%3Fview%3Dcost", page.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/overview")).StatusCode);
        var form = await browser.GetStringAsync("/login?next=%2F%3Fview%3Dcost");
        Assert.Contains("name=\"token\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"/?view=cost\"", form, StringComparison.Ordinal);

        using (var wrong = await browser.SendAsync(Form("/login", ("token", TestTokens.AcmeReader + "x"), ("next", "/"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("data-testid=\"login-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
        }

        using (var sender = await browser.SendAsync(Form("/login", ("token", TestTokens.AcmeSender))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, sender.StatusCode); // an ingest token cannot read the dashboard
        }

        string cookie;
        using (var login = await browser.SendAsync(Form("/login", ("token", TestTokens.AcmeReader), ("next", "/?view=cost"))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
            Assert.Equal("/?view=cost", login.Headers.Location!.OriginalString);
            var setCookie = login.Headers.GetValues("Set-Cookie").Single();
            Assert.StartsWith("claudit_session=", setCookie, StringComparison.Ordinal);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase); // plain http here; Secure over https
            cookie = setCookie.Split(';')[0];
            var value = cookie["claudit_session=".Length..];
            Assert.True(value.Length >= 40, "a session id of 256 random bits");
            Assert.DoesNotContain(TestTokens.AcmeReader, Uri.UnescapeDataString(value), StringComparison.Ordinal);
            Assert.NotEqual(TestTokens.Sha(TestTokens.AcmeReader), value);
        }

        HttpRequestMessage WithCookie(HttpMethod method, string path, string? cookieHeader = null)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Cookie", cookieHeader ?? cookie);
            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(WithCookie(HttpMethod.Get, "/"))).StatusCode);
        using (var overview = await browser.SendAsync(WithCookie(HttpMethod.Get, "/api/overview?range=1h")))
        {
            Assert.Equal(1, JsonDocument.Parse(await overview.Content.ReadAsStringAsync()).RootElement.GetProperty("current").GetProperty("requests").GetInt64()); // acme's only
        }

        using (var whoami = await browser.SendAsync(WithCookie(HttpMethod.Get, "/api/whoami")))
        {
            var me = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("acme-dash", me.GetProperty("name").GetString());
            Assert.True(me.GetProperty("session").GetBoolean());
        }

        // The cookie is the dashboard's: the proxy takes tokens only (and never forwards the cookie).
        using (var proxied = TestGateway.Message("With a cookie only"))
        {
            proxied.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(proxied)).StatusCode);
        }

        using (var logout = await browser.SendAsync(WithCookieForm("/logout", cookie)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
            Assert.Equal("/login", logout.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(WithCookie(HttpMethod.Get, "/api/overview"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(WithCookie(HttpMethod.Get, "/"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(WithCookie(HttpMethod.Get, "/api/overview", "claudit_session=forged-session-id"))).StatusCode);
    }

    [Theory]
    [InlineData("//attacker.example/", "/")]
    [InlineData("https://attacker.example/", "/")]
    [InlineData("/\\attacker.example", "/")]
    [InlineData("/?view=errors", "/?view=errors")]
    public async Task After_login_the_browser_goes_back_to_this_gateway_only(string next, string location)
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { Tokens = TestTokens.File.Tokens });
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = gateway.Server.BaseAddress };
        using var login = await browser.SendAsync(Form("/login", ("token", TestTokens.Admin), ("next", next)));
        Assert.Equal(location, login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_login_form_posted_from_another_origin_is_refused()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { Tokens = TestTokens.File.Tokens });
        using var request = Form("/login", ("token", TestTokens.Admin));
        request.Headers.Add("Origin", "http://attacker.example");
        using var response = await gateway.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    private static HttpRequestMessage WithCookieForm(string path, string cookie)
    {
        var request = Form(path);
        request.Headers.Add("Cookie", cookie);
        return request;
    }
}
