using System.Text;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Tests;

/// <summary>The rules file: the issue's shape works, defaults fill what a rule leaves out, and every mistake is one line naming the rule and the field.</summary>
public sealed class AlertsFileTests
{
    private const string IssueExample = """
        {"evaluate_every": "2s",
         "notify": [{"type": "webhook", "url": "http://127.0.0.1:9000/hook"}],
         "rules": [{"name": "errors", "metric": "error_rate", "above": 0.05, "window": "30s",
                    "for": "0s", "min_calls": 10, "group_by": "model"}]}
        """;

    private static AlertsConfig Parse(string json) => AlertsFile.Parse(Encoding.UTF8.GetBytes(json), "alerts.json");

    private static string Error(string json) => Assert.Throws<AlertsFileException>(() => Parse(json)).Message;

    private static string Rule(string fields) => $$"""{"rules": [{"name": "errors", {{fields}}}]}""";

    [Fact]
    public void The_issues_example_parses_field_by_field()
    {
        var config = Parse(IssueExample);

        Assert.Equal(TimeSpan.FromSeconds(2), config.EvaluateEvery);
        var target = Assert.Single(config.Notify);
        Assert.Equal(NotifyKind.Webhook, target.Kind);
        Assert.Equal(new Uri("http://127.0.0.1:9000/hook"), target.Url);
        var rule = config.Rules.Single(r => r.Name == "errors");
        Assert.Equal(AlertMetric.ErrorRate, rule.Metric);
        Assert.Equal(AlertComparison.Above, rule.Comparison);
        Assert.Equal(0.05, rule.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(30), rule.Window);
        Assert.Equal(TimeSpan.Zero, rule.For);
        Assert.Equal(10, rule.MinCalls);
        Assert.Equal([CallDimension.Model], rule.GroupBy);
        Assert.False(rule.BuiltIn);
        // The built-in rules run beside the file's.
        Assert.Equal(DefaultRules.All.Count + 1, config.Rules.Count);
    }

    [Fact]
    public void A_rule_takes_its_metrics_seed_values_for_what_it_leaves_out()
    {
        var rule = Parse("""{"rules": [{"name": "slow", "metric": "latency_p95", "above": "12s", "filter": {"model": "claude-opus", "endpoint": "/v1/messages"}, "group_by": ["feature", "tenant"], "severity": "critical"}]}""")
            .Rules.Single(r => r.Name == "slow");

        Assert.Equal(12, rule.Threshold);
        Assert.Equal(TimeSpan.FromMinutes(5), rule.Window);
        Assert.Equal(20, rule.MinCalls);
        Assert.Equal("claude-opus", rule.Filter.Calls.Model);
        Assert.Equal("/v1/messages", rule.Filter.Endpoint);
        Assert.Equal([CallDimension.Feature, CallDimension.Tenant], rule.GroupBy);
        Assert.Equal("critical", rule.Severity);
    }

    [Fact]
    public void A_file_rule_named_like_a_built_in_one_replaces_it_and_enabled_false_turns_one_off()
    {
        var config = Parse("""{"repeat_every": "1h", "rules": [{"name": "error_rate", "above": 0.1}, {"name": "cost_spike", "enabled": false}]}""");

        var errors = Assert.Single(config.Rules, r => r.Name == "error_rate");
        Assert.Equal(0.1, errors.Threshold);
        Assert.DoesNotContain(config.Rules, r => r.Name == "cost_spike");
        Assert.All(config.Rules, r => Assert.Equal(TimeSpan.FromHours(1), r.RepeatEvery));
        Assert.Equal(DefaultRules.All.Count - 1, config.Rules.Count);

        Assert.Single(Parse("""{"defaults": false, "rules": [{"name": "x", "metric": "tool_error_rate"}]}""").Rules);
    }

    [Fact]
    public void The_built_in_rules_are_the_default_rows_with_their_seed_thresholds()
    {
        var rules = AlertsConfig.Defaults.Rules.ToDictionary(r => r.Name);

        Assert.Equal(
            ["budget_burn", "budget_used", "cache_hit_rate", "cost_spike", "error_rate", "latency_p95", "latency_p99", "rate_limit_headroom", "rate_limited", "truncation_rate", "ttft_p95", "ttft_p99", "unrecorded_spend", "user_daily_cost"],
            rules.Keys.Order());
        Assert.Equal((AlertComparison.Above, 0.02, TimeSpan.FromMinutes(5), 20L), (rules["error_rate"].Comparison, rules["error_rate"].Threshold, rules["error_rate"].Window, rules["error_rate"].MinCalls));
        Assert.Equal((AlertComparison.Above, 10.0), (rules["latency_p99"].Comparison, rules["latency_p99"].Threshold));
        Assert.Equal((8.0, TimeSpan.FromMinutes(10)), (rules["ttft_p99"].Threshold, rules["ttft_p99"].Window));
        Assert.Equal((3.0, CallDimension.Feature), (rules["ttft_p95"].Threshold, rules["ttft_p95"].GroupBy.Single()));
        Assert.Equal((AlertComparison.AtLeast, 1.0, TimeSpan.FromMinutes(1)), (rules["rate_limited"].Comparison, rules["rate_limited"].Threshold, rules["rate_limited"].Window));
        Assert.Equal((AlertComparison.Below, 0.10), (rules["rate_limit_headroom"].Comparison, rules["rate_limit_headroom"].Threshold));
        Assert.Equal((3.0, 1.1), (rules["cost_spike"].Threshold, rules["cost_spike"].ForecastAbove));
        Assert.Equal((AlertComparison.AtLeast, 0.8), (rules["budget_used"].Comparison, rules["budget_used"].Threshold));
        Assert.Equal(0.10, rules["budget_burn"].Threshold);
        Assert.Equal((AlertComparison.Above, 0.02, 0, 0L), (rules["unrecorded_spend"].Comparison, rules["unrecorded_spend"].Threshold, rules["unrecorded_spend"].Dimensions.Count, rules["unrecorded_spend"].MinCalls));
        Assert.Equal((5.0, CallDimension.User), (rules["user_daily_cost"].Threshold, rules["user_daily_cost"].Dimensions.Single()));
        Assert.Equal((0.10, TimeSpan.FromHours(1)), (rules["truncation_rate"].Threshold, rules["truncation_rate"].Window));
        Assert.Equal((AlertComparison.Below, 0.20, 0.6), (rules["cache_hit_rate"].Comparison, rules["cache_hit_rate"].Threshold, rules["cache_hit_rate"].BaselineBelow));
    }

    [Fact]
    public void The_catalogue_is_indexed_by_its_metric()
    {
        foreach (var metric in Enum.GetValues<AlertMetric>())
        {
            Assert.Equal(metric, MetricCatalogue.Of(metric).Metric);
        }
    }

    [Theory]
    [InlineData("\"metric\": \"error_rate\", \"window\": \"soon\"", "alerts.json: rule \"errors\": \"window\" must be a duration like 30s or 5m (at least 1s), not \"soon\"")]
    [InlineData("\"metric\": \"error_rat\"", "alerts.json: rule \"errors\": \"metric\" must be one of error_rate, failure_rate,")]
    [InlineData("\"metric\": \"error_rate\", \"windw\": \"5m\"", "alerts.json: rule \"errors\": unknown field \"windw\"")]
    [InlineData("\"metric\": \"error_rate\", \"above\": 5", "alerts.json: rule \"errors\": \"above\" is a share between 0 and 1 for error_rate (0.05 = 5%), not 5")]
    [InlineData("\"metric\": \"error_rate\", \"above\": 0.1, \"below\": 0.2", "alerts.json: rule \"errors\": give one of \"above\", \"at_least\" or \"below\", not several")]
    [InlineData("\"metric\": \"spend_daily\"", "alerts.json: rule \"errors\": spend_daily has no default threshold: give \"above\" (USD)")]
    [InlineData("\"metric\": \"spend_daily\", \"above\": 50, \"window\": \"1h\"", "alerts.json: rule \"errors\": \"window\" does not apply to spend_daily: it is the current UTC calendar day")]
    [InlineData("\"metric\": \"budget_used\", \"group_by\": \"model\"", "alerts.json: rule \"errors\": \"group_by\" does not apply to budget_used")]
    [InlineData("\"metric\": \"unrecorded_spend\", \"window\": \"1h\"", "alerts.json: rule \"errors\": \"window\" does not apply to unrecorded_spend: it reads the billing reconciliation, one alert for the last finished UTC day")]
    [InlineData("\"metric\": \"unrecorded_spend\", \"above\": 2", "alerts.json: rule \"errors\": \"above\" is a share between 0 and 1 for unrecorded_spend (0.05 = 5%), not 2")]
    [InlineData("\"metric\": \"error_rate\", \"group_by\": \"colour\"", "alerts.json: rule \"errors\": \"group_by\" labels are model, feature, user, tenant, session and endpoint; not \"colour\"")]
    [InlineData("\"metric\": \"user_daily_cost\", \"group_by\": \"model,feature,tenant\"", "alerts.json: rule \"errors\": \"group_by\" takes at most 3 labels (user_daily_cost is always grouped by user)")]
    [InlineData("\"metric\": \"error_rate\", \"min_calls\": -1", "alerts.json: rule \"errors\": \"min_calls\" must be a whole number from 0 to 1000000000, not -1")]
    [InlineData("\"metric\": \"error_rate\", \"for\": 30", "alerts.json: rule \"errors\": \"for\" must be a duration like 30s or 5m, not 30")]
    [InlineData("\"metric\": \"latency_p95\", \"above\": \"slow\"", "alerts.json: rule \"errors\": \"above\" must be a number (seconds, or a duration like \"10s\"), not \"slow\"")]
    [InlineData("\"metric\": \"error_rate\", \"forecast_above\": 1.2", "alerts.json: rule \"errors\": \"forecast_above\" applies to cost_spike and output_tps_spike only, not error_rate")]
    [InlineData("\"metric\": \"error_rate\", \"filter\": {\"modle\": \"x\"}", "alerts.json: rule \"errors\" filter: unknown field \"modle\"")]
    public void A_bad_rule_is_one_line_naming_the_rule_and_the_field(string fields, string expected)
    {
        var message = Error(Rule(fields));
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("""{"rules": [{"metric": "error_rate"}]}""", "alerts.json: rule #1: \"name\" is required")]
    [InlineData("""{"rules": [{"name": "mine"}]}""", "alerts.json: rule \"mine\": \"metric\" is required: one of error_rate,")]
    [InlineData("""{"rules": [{"name": "a", "metric": "error_rate"}, {"name": "a", "metric": "error_rate"}]}""", "alerts.json: rule \"a\": another rule has the same name")]
    [InlineData("""{"evaluate_every": "fast"}""", "alerts.json: \"evaluate_every\" must be a duration like 30s or 5m (at least 100ms), not \"fast\"")]
    [InlineData("""{"notify": [{"type": "webhook", "url": "ftp://x"}]}""", "alerts.json: notify[0]: \"url\" must be an http(s) URL, not \"ftp://x\"")]
    [InlineData("""{"notify": [{"type": "pager", "url": "http://x"}]}""", "alerts.json: notify[0]: \"type\" must be webhook or slack, not \"pager\"")]
    [InlineData("""{"notify": [{"type": "slack"}]}""", "alerts.json: notify[0]: \"url\" is required")]
    [InlineData("""{"rules": {"name": "x"}}""", "alerts.json: \"rules\" must be a list of rules, not an object")]
    [InlineData("""{"rule": []}""", "alerts.json: unknown field \"rule\"")]
    [InlineData("""{"rules": [}""", "alerts.json: not valid JSON:")]
    [InlineData("""[1]""", "alerts.json: the file must be a JSON object, not a list")]
    [InlineData("""{"evaluate_every": "2m"}""", "alerts.json: rule \"rate_limited\": \"window\" (1m) is shorter than evaluate_every (2m): calls would go unseen between evaluations")]
    public void A_bad_file_is_one_line_naming_the_place(string json, string expected)
    {
        var message = Error(json);
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_missing_file_says_so()
    {
        var message = Assert.Throws<AlertsFileException>(() => AlertsFile.Load("/nonexistent/alerts.json")).Message;
        Assert.Equal("/nonexistent/alerts.json: cannot read the rules file: it does not exist", message);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("0", 0)]
    public void Durations_read_and_print_back(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds);
        Assert.True(DurationText.TryParse(DurationText.Format(d), out var again));
        Assert.Equal(d, again);
    }

    [Fact]
    public void Every_metric_has_a_runbook_section_and_a_catalogue_row_in_the_docs()
    {
        var docs = File.ReadAllText(Path.Combine(RepoFiles.Root, "docs", "alerts.md"));
        foreach (var metric in MetricCatalogue.All)
        {
            Assert.Contains($"<a id=\"runbook-{metric.Name}\"></a>", docs, StringComparison.Ordinal);
            Assert.Contains($"| `{metric.Name}` |", docs, StringComparison.Ordinal);
        }
    }
}
