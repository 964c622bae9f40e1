using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Budgets;

/// <summary>
/// Virtual keys end to end: made through the admin API, swapped for the real key on the way out (the mock,
/// standing in for Anthropic, bills the real key and never sees the virtual one), tagging their calls whatever
/// the caller's headers say, refused when revoked, expired or unknown, limited to their models and their own
/// budget. The real key appears in no answer, record, file or log line.
/// </summary>
public sealed class VirtualKeyTests
{
    private const string AdminKey = MockApiKeys.AdminKeyPrefix + "virtual-key-tests";
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static async Task<JsonElement> CreateKeyAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/api/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The api key ids the mock billed today: a hash per key, as the Admin usage report shows them.</summary>
    private static async Task<Dictionary<string, long>> BilledKeysAsync(MockServer mock)
    {
        var day = DateTime.UtcNow.Date;
        var range = $"starting_at={day:yyyy-MM-ddTHH:mm:ssZ}&ending_at={day.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}&bucket_width=1d&group_by[]=api_key_id";
        using var http = new HttpClient { BaseAddress = mock.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/organizations/usage_report/messages?" + range);
        request.Headers.Add("x-api-key", AdminKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await http.SendAsync(request);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, report.ToString());
        return report.GetProperty("data").EnumerateArray().SelectMany(b => b.GetProperty("results").EnumerateArray())
            .GroupBy(r => r.GetProperty("api_key_id").GetString() ?? "null")
            .ToDictionary(g => g.Key, g => g.Sum(r => r.GetProperty("output_tokens").GetInt64()));
    }

    [Fact]
    public async Task A_virtual_key_is_swapped_for_the_real_key_and_its_tags_win_over_the_callers()
    {
        var logs = new ConcurrentQueue<LogLine>();
        await using var host = await PolicyGateway.StartAsync(null, configure: o => o with { ConfigureLogging = b => b.AddProvider(new CollectingLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace) });
        var created = await CreateKeyAsync(host.Http, """{"name": "billing-bot", "user": "u-key", "tenant": "acme", "feature": "billing"}""");
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("sk-claudit-", key, StringComparison.Ordinal);
        Assert.StartsWith("vk_", id, StringComparison.Ordinal);

        var answers = new List<string>();
        async Task<HttpStatusCode> Send(HttpRequestMessage request)
        {
            using (request)
            {
                using var response = await host.Http.SendAsync(request);
                answers.Add(response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync());
                return response.StatusCode;
            }
        }

        var body = PolicyGateway.Body("Who pays for this?");
        Assert.Equal(HttpStatusCode.OK, await Send(PolicyGateway.Request(body, key, ("Claudit-User", "spoofed"), ("Claudit-Property-virtual_key", "vk_someone_else"))));
        var bearer = PolicyGateway.Request(PolicyGateway.Body("Who pays for this stream?", stream: true), key: null);
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, await Send(bearer));
        Assert.Equal(HttpStatusCode.OK, await Send(PolicyGateway.Request(body, PolicyGateway.CallerKey, ("Claudit-User", "u-own"), ("Claudit-Property-Virtual_Key", "vk_forged"))));

        // The upstream billed the real key for both virtual-key calls and the caller's key for its own: never the virtual key.
        var billed = await BilledKeysAsync(host.Mock);
        Assert.Contains(MockApiKeys.IdOf(PolicyGateway.RealKey), billed.Keys);
        Assert.Contains(MockApiKeys.IdOf(PolicyGateway.CallerKey), billed.Keys);
        Assert.DoesNotContain(MockApiKeys.IdOf(key), billed.Keys);

        var keys = await host.Http.GetStringAsync("/api/keys");
        Assert.DoesNotContain(key, keys, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", keys, StringComparison.Ordinal);
        var records = await host.StopAndReadRecordsAsync();
        var viaKey = records.Where(r => r.Tags.Properties?.GetValueOrDefault("virtual_key") == id).ToList();
        Assert.Equal(2, viaKey.Count);
        Assert.All(viaKey, r => Assert.Equal(("u-key", "acme", "billing", "billing-bot"), (r.Tags.User, r.Tags.Tenant, r.Tags.Feature, r.Tags.Properties!["virtual_key_name"])));
        var own = Assert.Single(records, r => r.Tags.User == "u-own");
        Assert.Null(own.Tags.Properties); // a caller without a virtual key cannot claim one

        // Neither the real key nor the virtual key's secret is anywhere: answers, logs, the data directory.
        var secrets = new[] { PolicyGateway.RealKey["sk-ant-api03-".Length..], key["sk-claudit-".Length..] };
        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            Assert.All(answers, a => Assert.DoesNotContain(secret, a, StringComparison.Ordinal));
            Assert.All(logs, l => Assert.DoesNotContain(secret, l.ToString(), StringComparison.Ordinal));
            foreach (var file in Directory.EnumerateFiles(host.DataDir, "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(secret, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Revoked_expired_and_unknown_keys_are_refused_with_a_401_in_the_apis_shape()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var host = await PolicyGateway.StartAsync(null, clock);
        var expiring = (await CreateKeyAsync(host.Http, $$"""{"name": "short-lived", "expires_at": "{{Noon.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""")).GetProperty("key").GetString()!;
        var revoked = (await CreateKeyAsync(host.Http, """{"name": "to-revoke"}""")).GetProperty("key").GetString()!;
        var body = PolicyGateway.Body("Let me in.");
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, key: expiring)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, key: revoked)).Response.StatusCode);

        using (var delete = await host.Http.DeleteAsync("/api/keys/to-revoke"))
        {
            Assert.Equal("revoked", (await delete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        clock.Advance(TimeSpan.FromHours(2));
        var wrongSecret = revoked[..^4] + (revoked.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var refusals = new Dictionary<string, string>
        {
            [revoked] = "Claudit: the virtual key 'to-revoke' was revoked at 2026-11-30T12:00:00Z",
            [expiring] = "Claudit: the virtual key 'short-lived' expired at 2026-11-30T13:00:00Z",
            [wrongSecret] = "Claudit: this virtual key is not valid at this gateway",
            ["sk-claudit-0000000000000000-" + new string('A', 43)] = "Claudit: this virtual key is not valid at this gateway",
            ["sk-claudit-nonsense"] = "Claudit: this virtual key is not valid at this gateway",
        };
        foreach (var (key, message) in refusals)
        {
            var (response, text) = await host.SendAsync(body, key: key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
            Assert.Equal($$$"""{"type":"error","error":{"type":"authentication_error","message":"{{{message}}}"}}""", text);
        }

        var records = await host.StopAndReadRecordsAsync();
        var refused = records.Where(r => r.IsError).ToList();
        Assert.Equal(refusals.Count, refused.Count);
        Assert.All(refused, r => Assert.Equal((ErrorTypes.Authentication, ErrorOrigin.Gateway, (string?)null), (r.Error!.Type, r.Error.Origin, r.RequestId)));
    }

    [Fact]
    public async Task A_key_calls_only_its_models_and_is_held_to_its_own_budget_and_rate_across_a_restart()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var host = await PolicyGateway.StartAsync(null, clock);
        var limited = (await CreateKeyAsync(host.Http, """{"name": "haiku-only", "models": ["claude-haiku-4-5"], "rpm": 2}""")).GetProperty("key").GetString()!;
        var (sonnet, sonnetText) = await host.SendAsync(PolicyGateway.Body("Try the bigger model.", model: "claude-sonnet-4-6"), key: limited);
        Assert.Equal(HttpStatusCode.Forbidden, sonnet.StatusCode);
        Assert.Equal("""{"type":"error","error":{"type":"permission_error","message":"Claudit: the virtual key 'haiku-only' may not call model 'claude-sonnet-4-6' (it may call claude-haiku-4-5)"}}""", sonnetText);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(PolicyGateway.Body("A snapshot of the allowed model.", model: "claude-haiku-4-5-20251001"), key: limited)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(PolicyGateway.Body("The allowed model."), key: limited)).Response.StatusCode);
        var (third, thirdText) = await host.SendAsync(PolicyGateway.Body("One too many this minute."), key: limited);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("key:haiku-only:rpm", Assert.Single(third.Headers.GetValues("claudit-policy")));
        Assert.Contains("Claudit rate limit 'key:haiku-only:rpm' for key haiku-only is reached: 2 of 2 requests in the last minute", thirdText, StringComparison.Ordinal);

        var budgeted = (await CreateKeyAsync(host.Http, """{"name": "capped", "budget_usd": 0.0005, "window": "1mo"}""")).GetProperty("key").GetString()!;
        var body = PolicyGateway.Body("Spend the key's money.");
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, key: budgeted)).Response.StatusCode);
        await host.SettledAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.SendAsync(body, key: budgeted)).Response.StatusCode);

        // The key's spend lives in the store under its id: a new gateway counts it again, once.
        await host.RestartAsync();
        var (after, text) = await host.SendAsync(body, key: budgeted);
        Assert.Equal(HttpStatusCode.TooManyRequests, after.StatusCode);
        Assert.Equal("key:capped", Assert.Single(after.Headers.GetValues("claudit-policy")));
        Assert.Contains("Claudit budget 'key:capped' for key capped is used up", text, StringComparison.Ordinal);
        Assert.EndsWith("this month; resets 2026-12-01T00:00:00Z\"}}", text, StringComparison.Ordinal);
        var status = (await host.Gateway.Budgets.GetStatusAsync()).Single(s => s.Name == "key:capped");
        var records = await host.StopAndReadRecordsAsync();
        Assert.Equal(records.Where(r => r.Tags.Properties?["virtual_key_name"] == "capped" && !r.IsError).Sum(r => r.Cost!.TotalUsd), status.Used);
        Assert.Equal(ErrorTypes.Permission, records.Single(r => r.HttpStatus == 403).Error!.Type);
    }

    [Fact]
    public async Task Requiring_virtual_keys_refuses_real_keys_and_the_gateway_will_not_start_without_the_real_one()
    {
        await using var host = await PolicyGateway.StartAsync(null, configure: o => o with { RequireVirtualKeys = true });
        var key = (await CreateKeyAsync(host.Http, """{"name": "only-way-in"}""")).GetProperty("key").GetString()!;
        var body = PolicyGateway.Body("Which keys work?");
        var (real, text) = await host.SendAsync(body, key: PolicyGateway.CallerKey);
        Assert.Equal(HttpStatusCode.Unauthorized, real.StatusCode);
        Assert.Contains("this gateway takes Claudit virtual keys only", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(body, key: null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, key: key)).Response.StatusCode);

        await host.StopAsync();
        var failure = await Assert.ThrowsAsync<GatewayStartException>(() => host.RestartAsync(o => o with { UpstreamKey = null }));
        Assert.Contains("ANTHROPIC_API_KEY", failure.Message, StringComparison.Ordinal);

        // Without the real key, a virtual key cannot be forwarded: the gateway says why, and real keys still pass.
        await host.RestartAsync(o => o with { UpstreamKey = null, RequireVirtualKeys = false });
        var (noKey, noKeyText) = await host.SendAsync(body, key: key);
        Assert.Equal(HttpStatusCode.InternalServerError, noKey.StatusCode);
        Assert.Equal("false", Assert.Single(noKey.Headers.GetValues("x-should-retry")));
        Assert.Contains("this gateway has no Anthropic key to forward virtual-key calls with", noKeyText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(body, key: PolicyGateway.CallerKey)).Response.StatusCode);
    }

    [Fact]
    public async Task The_admin_api_names_what_is_wrong_with_a_request()
    {
        await using var host = await PolicyGateway.StartAsync(null);
        async Task<(HttpStatusCode, string)> Post(string body, string type = "application/json")
        {
            using var response = await host.Http.PostAsync("/api/keys", new StringContent(body, Encoding.UTF8, type));
            // The endpoint's own {"error": "..."}, or the browser guard's API-shaped {"error": {"message": ...}} (a wrong content type).
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            return (response.StatusCode, (error.ValueKind == JsonValueKind.Object ? error.GetProperty("message") : error).GetString()!);
        }

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Post("""{"name": "x"}""", "text/plain")).Item1);
        var (status, error) = await Post("""{"name": "x", "budget": 5}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("budget", error, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "window must be 1d or 1mo (calendar, UTC), or Nm or Nh (rolling: the last N minutes or hours, e.g. 1m, 1h, 24h), not '2w'"),
            await Post("""{"name": "x", "budget_usd": 5, "window": "2w"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("""{"name": "has space"}""")).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("""{"name": "x", "rpm": "many"}""")).Item1);
        await CreateKeyAsync(host.Http, """{"name": "taken"}""");
        Assert.Equal(HttpStatusCode.Conflict, (await Post("""{"name": "taken"}""")).Item1);
        using var missing = await host.Http.DeleteAsync("/api/keys/nobody");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
