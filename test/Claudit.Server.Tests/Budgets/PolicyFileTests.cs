using System.Text;
using Claudit.Server.Budgets;
using Claudit.Store.Usage;

namespace Claudit.Server.Tests.Budgets;

/// <summary>The policy file: the issue's shape, read field by field; anything wrong is one line naming the file, the policy and the field.</summary>
public sealed class PolicyFileTests
{
    private static PolicySet Parse(string json) => PolicySet.Parse(Encoding.UTF8.GetBytes(json), "policies.json");

    [Fact]
    public void The_issues_example_reads_as_written()
    {
        var set = Parse("""
            {"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 5, "window": "1d", "action": "block"},
                         {"name": "team-monthly", "scope": "tenant", "match": {"tenant": "acme"}, "limit_usd": 500,
                          "window": "1mo", "action": "warn"}],
             "rate_limits": [{"name": "user-rpm", "scope": "user", "requests": 60, "window": "1m"},
                             {"name": "feature-tpm", "scope": "feature", "tokens": 200000, "window": "1m"}]}
            """);

        Assert.Equal(["user-daily", "team-monthly", "user-rpm", "feature-tpm"], set.Policies.Select(p => p.Name));
        var (daily, monthly, rpm, tpm) = (set.Policies[0], set.Policies[1], set.Policies[2], set.Policies[3]);
        Assert.Equal((PolicyKind.Budget, UsageScope.User, PolicyUnit.Usd, 5m, "1d", PolicyAction.Block, false), (daily.Kind, daily.Scope, daily.Unit, daily.Limit, daily.Window.Text, daily.Action, daily.Strict));
        Assert.Equal(("acme", "1mo", PolicyAction.Warn, true), (monthly.Match.Tenant, monthly.Window.Text, monthly.Action, monthly.Window.IsCalendar));
        Assert.Equal((PolicyKind.RateLimit, PolicyUnit.Requests, 60m, false), (rpm.Kind, rpm.Unit, rpm.Limit, rpm.Window.IsCalendar));
        Assert.Equal((UsageScope.Feature, PolicyUnit.Tokens, 200000m, PolicyAction.Block), (tpm.Scope, tpm.Unit, tpm.Limit, tpm.Action));
    }

    [Fact]
    public void Strict_reservation_warn_share_and_every_scope_are_read()
    {
        var set = Parse("""
            {"budgets": [{"name": "g", "scope": "global", "limit_usd": 1.5, "window": "24h", "reserve": "strict", "warn_at": 0.5},
                         {"name": "k", "scope": "key", "match": {"key": "bot", "model": "claude-opus"}, "limit_usd": 1, "window": "90m"},
                         {"name": "m", "scope": "model", "limit_usd": 1, "window": "1h"}]}
            """);
        Assert.Equal((true, 0.5m, PolicyAction.Block), (set.Policies[0].Strict, set.Policies[0].WarnAt, set.Policies[0].Action));
        Assert.Equal(TimeSpan.FromHours(24), set.Policies[0].Window.Length);
        Assert.Equal(("bot", "claude-opus", UsageScope.Key), (set.Policies[1].Match.Key, set.Policies[1].Match.Model, set.Policies[1].Scope));
        Assert.Equal(TimeSpan.FromMinutes(90).Ticks / 60, set.Policies[1].Window.BucketTicks);
        Assert.Equal(UsageScope.Model, set.Policies[2].Scope);
    }

    [Theory]
    [InlineData("""{"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 5, "window": "2w"}]}""",
        "policies.json: budgets[0] 'user-daily': window must be 1d or 1mo (calendar, UTC), or Nm or Nh (rolling: the last N minutes or hours, e.g. 1m, 1h, 24h), not '2w'")]
    [InlineData("""{"budgets": [{"name": "user-daily", "scope": "user", "limit": 5, "window": "1d"}]}""",
        "policies.json: budgets[0] 'user-daily': unknown field 'limit' (a budget has name, scope, match, limit_usd, window, action, reserve, warn_at)")]
    [InlineData("""{"budgets": [{"name": "user-daily", "scope": "user", "window": "1d"}]}""",
        "policies.json: budgets[0] 'user-daily': needs \"limit_usd\" (USD per window, e.g. 5 or 2.50)")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "team", "limit_usd": 5, "window": "1d"}]}""",
        "policies.json: budgets[0] 'b': scope must be one of global, key, user, tenant, feature, model, not 'team'")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "user", "limit_usd": -1, "window": "1d"}]}""",
        "policies.json: budgets[0] 'b': limit_usd must be more than 0, not -1")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "user", "limit_usd": 1, "window": "1d", "action": "stop"}]}""",
        "policies.json: budgets[0] 'b': action must be block or warn, not 'stop'")]
    [InlineData("""{"rate_limits": [{"name": "r", "scope": "user", "requests": 60, "tokens": 5, "window": "1m"}]}""",
        "policies.json: rate_limits[0] 'r': needs exactly one of \"requests\" or \"tokens\" (a whole number per window)")]
    [InlineData("""{"rate_limits": [{"name": "r", "scope": "user", "requests": 1.5, "window": "1m"}]}""",
        "policies.json: rate_limits[0] 'r': requests must be a whole number of 1 or more, not 1.5")]
    [InlineData("""{"rate_limits": [{"scope": "user", "requests": 1, "window": "1m"}]}""",
        "policies.json: rate_limits[0]: needs a \"name\" (a string)")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "user", "limit_usd": 1, "window": "1d", "match": {"team": "x"}}]}""",
        "policies.json: budgets[0] 'b': match has an unknown field 'team' (it may name key, user, tenant, feature, model)")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "user", "limit_usd": 1, "window": "1d"}], "rate_limits": [{"name": "b", "scope": "user", "requests": 1, "window": "1m"}]}""",
        "policies.json: two policies are named 'b': names must be unique")]
    [InlineData("""{"budget": []}""", "policies.json: unknown field 'budget' (expected \"budgets\" and \"rate_limits\")")]
    [InlineData("""{"budgets": [{"name": "key:bot", "scope": "key", "limit_usd": 1, "window": "1d"}]}""",
        "policies.json: budgets[0]: name 'key:bot' must not start with key:: that names the own budget and rate limit of a virtual key")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "user", "limit_usd": 1, "window": "0m"}]}""",
        "policies.json: budgets[0] 'b': window must be 1d or 1mo (calendar, UTC), or Nm or Nh (rolling: the last N minutes or hours, e.g. 1m, 1h, 24h), not '0m'")]
    [InlineData("""{"budgets": [{"name": "b", "scope": "user", "limit_usd": 1, "window": "1d", "warn_at": 80}]}""",
        "policies.json: budgets[0] 'b': warn_at must be a share of the limit above 0 and at most 1, not 80")]
    [InlineData("""{"budgets": [""", "policies.json: not valid JSON (")]
    public void A_bad_file_is_one_line_naming_the_policy_and_the_field(string json, string message)
    {
        var ex = Assert.Throws<PolicyFileException>(() => Parse(json));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
