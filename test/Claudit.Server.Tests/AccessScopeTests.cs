using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Server.Access;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// Tokens from a file, each with a role and optionally tenants (issue 11, item 7): what each may do,
/// the tenant a sender's token pins whatever its headers say, and a tenant-scoped reader that sees its
/// tenant only — in every view, by id, in sessions, in the report.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class AccessScopeTests
{
    private static Task<TestGateway> StartAsync() => TestGateway.StartAsync(o => o with { Tokens = TestTokens.File.Tokens });

    private static HttpRequestMessage Get(string path, string? token, bool bearer = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null && bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (token is not null)
        {
            request.Headers.Add("Claudit-Token", token);
        }

        return request;
    }

    private static HttpRequestMessage Ingest(string token, params string[] tenants)
    {
        var lines = string.Concat(tenants.Select(t =>
            $$$"""{"id":"{{{Guid.CreateVersion7()}}}","start_time":"{{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}}","model_used":"claude-haiku-4-5","latency_ms":5,"tags":{"tenant":"{{{t}}}"}}""" + "\n"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = new StringContent(lines, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Add("Claudit-Token", token);
        return request;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task Each_role_may_do_what_it_says_and_no_more()
    {
        await using var gateway = await StartAsync();
        var http = gateway.Http;
        var expected = new (string What, HttpRequestMessage Request, HttpStatusCode Status)[]
        {
            ("no token, query", Get("/api/overview", null), HttpStatusCode.Unauthorized),
            ("no token, proxy", TestGateway.Message("x"), HttpStatusCode.Unauthorized),
            ("no token, metrics", Get("/metrics", null), HttpStatusCode.Unauthorized),
            ("wrong token", Get("/api/overview", TestTokens.Admin + "x"), HttpStatusCode.Unauthorized),
            ("admin, query", Get("/api/overview", TestTokens.Admin), HttpStatusCode.OK),
            ("admin, proxy", TestGateway.Message("x", token: TestTokens.Admin), HttpStatusCode.OK),
            ("admin, ingest", Ingest(TestTokens.Admin, "ops"), HttpStatusCode.Accepted),
            ("reader, query", Get("/api/overview", TestTokens.Reader), HttpStatusCode.OK),
            ("reader, bearer", Get("/api/report", TestTokens.Reader, bearer: true), HttpStatusCode.OK),
            ("reader, metrics", Get("/metrics", TestTokens.Reader, bearer: true), HttpStatusCode.OK),
            ("reader, proxy", TestGateway.Message("x", token: TestTokens.Reader), HttpStatusCode.Forbidden),
            ("reader, ingest", Ingest(TestTokens.Reader, "acme"), HttpStatusCode.Forbidden),
            ("scoped reader, metrics", Get("/metrics", TestTokens.AcmeReader, bearer: true), HttpStatusCode.Forbidden),
            ("sender, proxy", TestGateway.Message("x", token: TestTokens.Sender), HttpStatusCode.OK),
            ("sender, ingest", Ingest(TestTokens.Sender, "globex"), HttpStatusCode.Accepted),
            ("sender, query", Get("/api/calls", TestTokens.Sender), HttpStatusCode.Forbidden),
            ("sender, metrics", Get("/metrics", TestTokens.Sender), HttpStatusCode.Forbidden),
            ("sender's bearer is Anthropic's on /v1", TestGateway.Message("x", headers: ("Authorization", "Bearer " + TestTokens.Sender)), HttpStatusCode.Unauthorized),
            ("no token, health", Get("/readyz", null), HttpStatusCode.OK),
        };
        foreach (var (what, request, status) in expected)
        {
            Assert.True(await StatusAsync(http, request) == status, $"{what}: wanted {status}");
        }

        using var refused = await http.SendAsync(Get("/api/calls", TestTokens.Sender));
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Contains("app-2 (ingest)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_senders_pinned_tenant_wins_over_the_header_and_over_ingested_records()
    {
        await using var gateway = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Http, TestGateway.Message("Pinned", token: TestTokens.AcmeSender, headers: ("Claudit-Tenant", "globex"))));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Http, TestGateway.Message("Unpinned", token: TestTokens.Sender, headers: ("Claudit-Tenant", "globex"))));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(gateway.Http, Ingest(TestTokens.AcmeSender, "globex", "initech")));

        var records = await gateway.StopAndReadAsync();
        Assert.Equal(4, records.Count);
        Assert.Equal(3, records.Count(r => r.Tags.Tenant == "acme"));
        Assert.Equal("globex", Assert.Single(records, r => r.Source == CallSource.Gateway && r.Tags.Tenant != "acme").Tags.Tenant);
    }

    [Fact]
    public async Task A_tenant_scoped_reader_sees_its_tenant_only_in_every_view_and_by_id()
    {
        await using var gateway = await StartAsync();
        var now = DateTimeOffset.UtcNow;
        CallRecord Call(int n, string tenant) => new()
        {
            Id = Guid.CreateVersion7(now.AddSeconds(-60 + n)),
            StartTime = now.AddSeconds(-60 + n),
            ModelUsed = "claude-haiku-4-5",
            LatencyMs = 10 * n,
            Usage = new TokenUsage { InputTokens = 100, OutputTokens = 10 },
            Tags = new CallTags { Tenant = tenant, Session = $"s-{tenant}", User = $"u-{tenant}" },
        };
        var acme = new[] { Call(1, "acme"), Call(2, "acme") };
        var globex = new[] { Call(3, "globex"), Call(4, "globex"), Call(5, "globex") };
        await gateway.Server.Store.AppendAsync([.. acme, .. globex]);

        async Task<JsonElement> Json(string path, string token)
        {
            using var response = await gateway.Http.SendAsync(Get(path, token));
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }

        var scoped = TestTokens.AcmeReader;
        Assert.Equal(2, (await Json("/api/overview?range=1h", scoped)).GetProperty("current").GetProperty("requests").GetInt64());
        Assert.Equal(5, (await Json("/api/overview?range=1h", TestTokens.Reader)).GetProperty("current").GetProperty("requests").GetInt64());
        Assert.Equal(0, (await Json("/api/overview?range=1h&tenant=globex", scoped)).GetProperty("current").GetProperty("requests").GetInt64());
        Assert.Equal(acme.Select(c => c.Id.ToString()).Order(), (await Json("/api/calls?range=1h", scoped)).EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order());
        Assert.Equal(["acme"], (await Json("/api/breakdown?range=1h&by=tenant", scoped)).EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(["s-acme"], (await Json("/api/sessions?range=1h", scoped)).EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(["acme"], (await Json("/api/timeseries?range=1h&by=tenant", scoped)).GetProperty("series").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        Assert.Equal(2, (await Json("/api/report", scoped)).GetProperty("calls").GetInt64());
        Assert.Equal(0, (await Json("/api/report?tenant=globex", scoped)).GetProperty("calls").GetInt64());
        Assert.Equal(["acme"], (await Json("/api/whoami", scoped)).GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));

        Assert.Equal("acme", (await Json($"/api/calls/{acme[0].Id}", scoped)).GetProperty("tags").GetProperty("tenant").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Http, Get($"/api/calls/{globex[0].Id}", scoped)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Http, Get($"/api/calls/{globex[0].Id}", TestTokens.Reader)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Http, Get("/api/sessions/s-globex", scoped)));
        Assert.Equal(2, (await Json("/api/sessions/s-acme", scoped)).GetProperty("calls").GetArrayLength());
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"tokens":[]}""", "\"tokens\" is empty")]
    [InlineData("""{"tokens":[{"name":"a","token_sha256":"abc","role":"read"}]}""", "tokens[0] (a): token_sha256 must be 64 hex digits")]
    [InlineData("""{"tokens":[{"name":"a","token":"short","role":"read"}]}""", "tokens[0] (a): token must be at least 16 characters")]
    [InlineData("""{"tokens":[{"name":"a","token":"long-enough-token-123","role":"writer"}]}""", "tokens[0] (a): role must be read, ingest or admin, not 'writer'")]
    [InlineData("""{"tokens":[{"name":"a","token":"long-enough-token-123","role":"ingest","tenants":["x"]}]}""", "\"tenants\" is for read tokens")]
    [InlineData("""{"tokens":[{"name":"a","token":"long-enough-token-123","role":"read","tenant":"x"}]}""", "\"tenant\" is for ingest tokens")]
    [InlineData("""{"tokens":[{"name":"a","token":"long-enough-token-123","role":"read","tenents":["x"]}]}""", "unknown field 'tenents'")]
    [InlineData("""{"tokens":[{"name":"a","token":"long-enough-token-123","role":"read"},{"name":"a","token":"another-long-token-45","role":"read"}]}""", "the name 'a' is already used")]
    [InlineData("""{"tokens":[{"name":"a","token":"long-enough-token-123","role":"read"},{"name":"b","token":"long-enough-token-123","role":"admin"}]}""", "the same token as 'a'")]
    [InlineData("""{"tokens":[{"name":"a","role":"read"}]}""", "give exactly one of")]
    public void A_bad_token_file_is_one_line_naming_the_entry_and_field(string json, string message)
    {
        var ex = Assert.Throws<AccessTokenFileException>(() => AccessTokenFile.Parse(json));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_plain_token_is_hashed_and_warned_about()
    {
        var file = TestTokens.File;
        Assert.Equal("app-2 (ingest)", file.Tokens.Find(TestTokens.Sender)!.Describe());
        Assert.Equal("acme-dash (read: acme)", file.Tokens.Find(TestTokens.AcmeReader)!.Describe());
        Assert.Null(file.Tokens.Find(TestTokens.Sha(TestTokens.Admin))); // the hash is not a token
        Assert.Contains("app-2", Assert.Single(file.Warnings), StringComparison.Ordinal);
    }
}
