using System.Net;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Budgets;

/// <summary><c>GET /api/budgets</c>: every policy with its live counter, its reset, and its top spenders from the store.</summary>
public sealed class BudgetsApiTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static CallRecord Spent(string user, string tenant, decimal usd, int minutesAgo, string? key = null) => new()
    {
        Id = Guid.CreateVersion7(Noon.AddMinutes(-minutesAgo)),
        StartTime = Noon.AddMinutes(-minutesAgo),
        ModelRequested = PolicyGateway.Model,
        Usage = new TokenUsage { InputTokens = 100, OutputTokens = 50 },
        Cost = new CallCost { Priced = true, TotalUsd = usd },
        Tags = new CallTags { User = user, Tenant = tenant, Properties = key is null ? null : new Dictionary<string, string> { ["virtual_key"] = key, ["virtual_key_name"] = "named-" + key } },
    };

    [Fact]
    public async Task Each_policy_shows_its_counter_reset_and_top_spenders()
    {
        await using var host = await PolicyGateway.StartAsync(
            """
            {"budgets": [{"name": "team-daily", "scope": "tenant", "match": {"tenant": "acme"}, "limit_usd": 10, "window": "1d", "action": "warn"},
                         {"name": "per-key", "scope": "key", "limit_usd": 4, "window": "1d", "reserve": "strict"}],
             "rate_limits": [{"name": "user-rph", "scope": "user", "requests": 5, "window": "1h"}]}
            """,
            new FakeTimeProvider(Noon),
            history: [Spent("u1", "acme", 3m, 30), Spent("u1", "acme", 1m, 20, key: "vk_a"), Spent("u2", "acme", 2m, 10), Spent("u3", "acme", 1.5m, 90), Spent("u9", "globex", 8m, 5, key: "vk_b")]);

        var root = JsonDocument.Parse(await host.Http.GetStringAsync("/api/budgets")).RootElement;
        var policies = root.GetProperty("policies").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);

        var team = policies["team-daily"];
        Assert.Equal(("budget", "tenant", "acme", "warn", "default", "usd"), (team.GetProperty("kind").GetString(), team.GetProperty("scope").GetString(),
            team.GetProperty("match").GetProperty("tenant").GetString(), team.GetProperty("action").GetString(), team.GetProperty("reserve").GetString(), team.GetProperty("unit").GetString()));
        Assert.Equal((10m, 7.5m, 0m, 0.75, "acme"), (team.GetProperty("limit").GetDecimal(), team.GetProperty("used").GetDecimal(), team.GetProperty("reserved").GetDecimal(),
            team.GetProperty("ratio").GetDouble(), team.GetProperty("scope_value").GetString()));
        Assert.Equal("2026-12-01T00:00:00+00:00", team.GetProperty("resets_at").GetString());
        Assert.Equal("2026-11-30T00:00:00+00:00", team.GetProperty("window_start").GetString());
        // A tenant's budget ranks the tenant's users.
        Assert.Equal(["u1", "u2", "u3"], team.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("scope").GetString()));
        Assert.Equal((4m, 0.4), (team.GetProperty("top")[0].GetProperty("amount").GetDecimal(), team.GetProperty("top")[0].GetProperty("share").GetDouble()));

        var perKey = policies["per-key"];
        Assert.Equal(("strict", "vk_b", 2.0, 2), (perKey.GetProperty("reserve").GetString(), perKey.GetProperty("scope_value").GetString(), perKey.GetProperty("ratio").GetDouble(), perKey.GetProperty("scopes").GetInt32()));
        Assert.Equal(["vk_b", "vk_a"], perKey.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("scope").GetString()));

        var rph = policies["user-rph"];
        Assert.Equal(("rate_limit", "requests", 5m), (rph.GetProperty("kind").GetString(), rph.GetProperty("unit").GetString(), rph.GetProperty("limit").GetDecimal()));
        Assert.Equal(2m, rph.GetProperty("used").GetDecimal()); // u1's two calls in the last hour; u3's was 90 minutes ago
        Assert.Equal("u1", rph.GetProperty("top")[0].GetProperty("scope").GetString());
        Assert.Equal(2m, rph.GetProperty("top")[0].GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Without_policies_the_list_is_empty_and_the_keys_list_too()
    {
        await using var host = await PolicyGateway.StartAsync(null);
        Assert.Equal(0, JsonDocument.Parse(await host.Http.GetStringAsync("/api/budgets")).RootElement.GetProperty("policies").GetArrayLength());
        Assert.Equal("[]", await host.Http.GetStringAsync("/api/keys"));
        using var created = await host.Http.PostAsync("/api/keys", new StringContent("""{"name": "k", "budget_usd": 2.5}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var own = Assert.Single(JsonDocument.Parse(await host.Http.GetStringAsync("/api/budgets")).RootElement.GetProperty("policies").EnumerateArray());
        Assert.Equal(("key:k", "key", "1d", 2.5m), (own.GetProperty("name").GetString(), own.GetProperty("scope").GetString(), own.GetProperty("window").GetString(), own.GetProperty("limit").GetDecimal()));
    }
}
