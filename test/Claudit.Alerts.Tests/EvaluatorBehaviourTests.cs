using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Tests;

/// <summary>The state machine's finer points and the metrics whose rules have more than a threshold.</summary>
public sealed class EvaluatorBehaviourTests
{
    private static AlertRule ErrorRule(TimeSpan? repeat = null, TimeSpan? @for = null) => new()
    {
        Name = "errors",
        Metric = AlertMetric.ErrorRate,
        Comparison = AlertComparison.Above,
        Threshold = 0.05,
        Window = TimeSpan.FromMinutes(1),
        MinCalls = 10,
        GroupBy = [CallDimension.Model],
        RepeatEvery = repeat ?? TimeSpan.Zero,
        For = @for ?? TimeSpan.Zero,
    };

    private static CallRecord Call(DateTimeOffset t, string model = "claude-a") => Calls.Ok(t, CallDimension.Model, model);

    [Fact]
    public void A_firing_alert_is_sent_again_every_repeat_interval_and_not_between()
    {
        var h = new Harness(ErrorRule(repeat: TimeSpan.FromMinutes(10)));
        h.Feed(20, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        Assert.Equal(AlertEvent.Firing, Assert.Single(h.Evaluate()).Event);

        for (var i = 0; i < 9; i++)
        {
            h.Advance(TimeSpan.FromMinutes(1));
            h.Feed(20, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
            Assert.Empty(h.Evaluate());
        }

        h.Advance(TimeSpan.FromMinutes(1));
        h.Feed(20, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        var repeat = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Repeat, repeat.Event);
        Assert.Equal(AlertStatuses.Firing, repeat.Alert.Status);
        Assert.Equal(h.Now, repeat.Alert.LastNotifiedAt);
    }

    [Fact]
    public void A_pending_alert_whose_condition_clears_is_forgotten_without_a_word()
    {
        var h = new Harness(ErrorRule(@for: TimeSpan.FromMinutes(5)));
        h.Feed(20, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        var first = h.Evaluator.Evaluate();
        var pending = Assert.Single(first.Saves);
        Assert.Equal(AlertStatuses.Pending, pending.Status);
        Assert.Empty(first.Transitions);

        h.Advance(TimeSpan.FromMinutes(2));
        h.Feed(200, (t, _) => Call(t));
        var cleared = h.Evaluator.Evaluate();
        Assert.Empty(cleared.Transitions);
        Assert.Equal(pending.Id, Assert.Single(cleared.Deletes));
        Assert.Empty(h.Active);
    }

    [Fact]
    public void Too_few_calls_is_no_alert_and_resolves_one_that_fired()
    {
        var h = new Harness(ErrorRule());
        h.Feed(9, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        Assert.Empty(h.Evaluate());
        h.Feed(1, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        Assert.Equal(AlertEvent.Firing, Assert.Single(h.Evaluate()).Event);

        // No traffic at all for a window: nothing to judge, so the alert resolves.
        h.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(AlertEvent.Resolved, Assert.Single(h.Evaluate()).Event);
    }

    [Fact]
    public void A_restarted_evaluator_takes_back_its_alerts_and_neither_repeats_nor_forgets_a_notification()
    {
        var h = new Harness(ErrorRule());
        h.Feed(20, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        var fired = Assert.Single(h.Evaluate()).Alert;

        var restarted = new AlertEvaluator([ErrorRule()], h.Clock);
        Assert.Empty(restarted.Restore([fired]));
        restarted.Observe(Call(h.Now).Failed(ErrorTypes.Overloaded, 529));
        for (var i = 0; i < 20; i++)
        {
            restarted.Observe(Call(h.Now.AddMilliseconds(-i)).Failed(ErrorTypes.Overloaded, 529));
        }

        Assert.Empty(restarted.Evaluate().Transitions);

        h.Advance(TimeSpan.FromMinutes(3));
        var resolved = Assert.Single(restarted.Evaluate().Transitions);
        Assert.Equal((AlertEvent.Resolved, fired.Id, fired.StartedAt), (resolved.Event, resolved.Alert.Id, resolved.Alert.StartedAt));
    }

    [Fact]
    public void Alerts_of_a_rule_that_is_gone_are_closed_silently()
    {
        var h = new Harness(ErrorRule());
        h.Feed(20, (t, _) => Call(t).Failed(ErrorTypes.Overloaded, 529));
        var fired = Assert.Single(h.Evaluate()).Alert;

        var other = new AlertEvaluator([ErrorRule() with { Name = "renamed" }], h.Clock);
        var closed = Assert.Single(other.Restore([fired]));
        Assert.Equal((AlertStatuses.Resolved, h.Now), (closed.Status, closed.EndedAt));
        Assert.Empty(other.Evaluate().Transitions);
    }

    [Fact]
    public void A_rule_filter_keeps_only_its_calls()
    {
        var rule = ErrorRule() with { Filter = new RuleFilter { Calls = new RecordFilter { Model = "claude-op", Feature = "chat" }, Endpoint = "/v1/messages" } };
        var h = new Harness(rule);
        h.Feed(20, (t, _) => Call(t, "claude-sonnet-4-6").Failed(ErrorTypes.Overloaded, 529));
        h.Feed(20, (t, _) => Call(t, "claude-opus-4-8").Failed(ErrorTypes.Overloaded, 529) with { Endpoint = "/v1/messages/count_tokens" });
        Assert.Empty(h.Evaluate());

        h.Feed(20, (t, _) => Call(t, "claude-opus-4-8").Failed(ErrorTypes.Overloaded, 529));
        Assert.Equal("claude-opus-4-8", Assert.Single(h.Evaluate()).Alert.Group.Single().Value);
    }

    [Fact]
    public void A_retry_that_succeeds_takes_its_failure_back_from_the_failure_rate()
    {
        var rule = ErrorRule() with { Name = "failures", Metric = AlertMetric.FailureRate, Threshold = 0.01 };
        var h = new Harness(rule);
        var firsts = new List<CallRecord>();
        h.Feed(20, (t, _) =>
        {
            var first = Call(t).Failed(ErrorTypes.Overloaded, 529);
            firsts.Add(first);
            return first;
        });
        Assert.Equal(AlertEvent.Firing, Assert.Single(h.Evaluate()).Event);

        // Each request's retry succeeds: no request failed in the end.
        foreach (var first in firsts)
        {
            h.Observe(Call(h.Now) with { Tags = first.Tags with { ParentId = first.Id.ToString(), Attempt = 1 } });
        }

        h.Advance(TimeSpan.FromSeconds(1));
        var resolved = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Resolved, resolved.Event);
        Assert.Equal(0, resolved.Alert.Value);
        Assert.Equal(20, resolved.Alert.Calls);
    }

    [Fact]
    public void The_error_rate_counts_every_attempt_where_the_failure_rate_counts_requests()
    {
        var errors = ErrorRule();
        var failures = errors with { Name = "failures", Metric = AlertMetric.FailureRate };
        var clock = new Harness(errors).Clock;
        var evaluator = new AlertEvaluator([errors, failures], clock);
        for (var i = 0; i < 20; i++)
        {
            var first = Call(clock.GetUtcNow().AddMilliseconds(-i)).Failed(ErrorTypes.RateLimit, 429);
            evaluator.Observe(first);
            evaluator.Observe(Call(clock.GetUtcNow()) with { Tags = first.Tags with { ParentId = first.Id.ToString(), Attempt = 1 } });
        }

        var fired = Assert.Single(evaluator.Evaluate().Transitions);
        Assert.Equal(("errors", 0.5), (fired.Alert.Rule, fired.Alert.Value));
    }

    [Fact]
    public void A_cost_spike_fires_above_the_forecast_though_under_three_times_the_daily_average()
    {
        // Every day costs $1 an hour, except the hour before noon: $0.20. Today that hour costs $0.50:
        // far under 3x the 24 h average (~$2.90), but more than 110% of what that hour costs ($0.22).
        var rule = DefaultRules.All.Single(r => r.Name == "cost_spike") with { MinCalls = 1 };
        var h = new Harness(rule);
        for (var hour = 24 * 7; hour >= 1; hour--)
        {
            var start = h.Now.AddHours(-hour);
            h.Observe(Calls.Ok(start.AddMinutes(30), CallDimension.Model, "m") with { Cost = Calls.Usd(start.UtcDateTime.Hour == 11 ? 0.2m : 1m) });
        }

        Assert.Empty(h.Evaluate()); // the quiet hour itself is not a spike

        h.Observe(Calls.Ok(h.Now.AddMinutes(-20), CallDimension.Model, "m") with { Cost = Calls.Usd(0.3m) });
        var fired = Assert.Single(h.Evaluate());
        Assert.Equal(0.5, fired.Alert.Value, 6);
        Assert.Equal(0.22, fired.Alert.Threshold, 6);
    }

    [Fact]
    public void A_cost_spike_fires_above_three_times_the_rolling_average_without_a_forecast()
    {
        var rule = DefaultRules.All.Single(r => r.Name == "cost_spike") with { MinCalls = 1, ForecastAbove = null };
        var h = new Harness(rule);
        for (var minute = 5 * 60; minute > 60; minute -= 10)
        {
            h.Observe(Calls.Ok(h.Now.AddMinutes(-minute), CallDimension.Model, "m") with { Cost = Calls.Usd(0.1m) });
        }

        // 4 hours of history at $0.60 an hour: 3x is $1.80.
        h.Observe(Calls.Ok(h.Now.AddMinutes(-5), CallDimension.Model, "m") with { Cost = Calls.Usd(1.7m) });
        Assert.Empty(h.Evaluate());
        h.Observe(Calls.Ok(h.Now.AddMinutes(-4), CallDimension.Model, "m") with { Cost = Calls.Usd(0.2m) });
        var fired = Assert.Single(h.Evaluate());
        Assert.Equal(1.9, fired.Alert.Value, 6);
        Assert.Equal(1.8, fired.Alert.Threshold, 6);
    }

    [Fact]
    public void A_group_that_cached_fires_when_its_reads_fall_to_zero_even_with_no_absolute_threshold()
    {
        var rule = DefaultRules.All.Single(r => r.Name == "cache_hit_rate") with { Threshold = 0, MinCalls = 1 };
        var h = new Harness(rule);
        for (var minute = 600; minute > 70; minute -= 10)
        {
            h.Observe(Calls.Ok(h.Now.AddMinutes(-minute), CallDimension.Feature, "rag") with { Usage = new TokenUsage { InputTokens = 100, CacheReadInputTokens = 900 } });
            h.Observe(Calls.Ok(h.Now.AddMinutes(-minute), CallDimension.Feature, "never-caches") with { Usage = new TokenUsage { InputTokens = 1000 } });
        }

        h.Feed(5, (t, _) => Calls.Ok(t, CallDimension.Feature, "rag") with { Usage = new TokenUsage { InputTokens = 1000 } });
        h.Feed(5, (t, _) => Calls.Ok(t, CallDimension.Feature, "never-caches") with { Usage = new TokenUsage { InputTokens = 1000 } });
        var fired = Assert.Single(h.Evaluate());
        Assert.Equal("rag", fired.Alert.Group.Single().Value);
        Assert.Equal(0, fired.Alert.Value);
        Assert.Equal(0.6 * 0.9, fired.Alert.Threshold, 6);
    }

    [Fact]
    public void Headroom_is_the_latest_responses_not_an_average()
    {
        var rule = DefaultRules.All.Single(r => r.Name == "rate_limit_headroom");
        var h = new Harness(rule);
        var limits = new RateLimitSnapshot { RequestsLimit = 100, RequestsRemaining = 5, TokensLimit = 1000, TokensRemaining = 900 };
        h.Observe(Calls.Ok(h.Now.AddSeconds(-2), CallDimension.Model, "m") with { RateLimits = limits });
        Assert.Equal(0.05, Assert.Single(h.Evaluate()).Alert.Value);

        // The window reset: the next response has plenty left, and that is what counts.
        h.Observe(Calls.Ok(h.Now.AddSeconds(-1), CallDimension.Model, "m") with { RateLimits = limits with { RequestsRemaining = 99 } });
        h.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AlertEvent.Resolved, Assert.Single(h.Evaluate()).Event);
    }

    [Fact]
    public void Percentiles_are_within_the_histograms_precision()
    {
        var rule = DefaultRules.All.Single(r => r.Name == "latency_p95") with { Threshold = 1000 };
        var h = new Harness(rule);
        var random = new Random(3);
        var values = Enumerable.Range(0, 5000).Select(_ => Math.Exp(5 + (3 * random.NextDouble()))).ToArray();
        foreach (var (v, i) in values.Select((v, i) => (v, i)))
        {
            h.Observe(Calls.Ok(h.Now.AddMilliseconds(-i), CallDimension.Model, "m") with { LatencyMs = v });
        }

        h.Evaluate();
        var exact = values.Order().ElementAt((int)Math.Ceiling(0.95 * values.Length) - 1) / 1000;
        var tracker = h.Evaluator.Trackers.Single();
        var reading = tracker.Read(h.Now, _ => false).Single().Reading!.Value;
        Assert.InRange(reading.Value, exact * 0.97, exact * 1.03);
        Assert.Equal(5000, reading.Calls);
    }

    [Fact]
    public void A_rule_keeps_at_most_its_group_limit_and_counts_the_calls_it_could_not_keep()
    {
        var rule = DefaultRules.All.Single(r => r.Name == "user_daily_cost");
        var h = new Harness(rule);
        for (var i = 0; i < RuleTracker.MaxGroups + 5; i++)
        {
            h.Observe(Calls.Ok(h.Now, CallDimension.User, $"user-{i}"));
        }

        var status = Assert.Single(h.Evaluator.Snapshot(null).Rules);
        Assert.Equal(RuleTracker.MaxGroups, status.Groups);
        Assert.Equal(5, status.DroppedCalls);
    }

    [Fact]
    public void The_daily_budget_reads_the_spend_of_the_utc_day()
    {
        var spend = new SpendLedger();
        var budgets = new DailyBudgetStatus(10m, spend);
        var rule = DefaultRules.All.Single(r => r.Name == "budget_used");
        var h = new Harness(rule, budgets);
        var evaluator = new AlertEvaluator([rule], h.Clock, spend, budgets);
        evaluator.Observe(Calls.Ok(h.Now.AddHours(-13), CallDimension.Model, "m") with { Cost = Calls.Usd(50m) }); // yesterday: not today's
        evaluator.Observe(Calls.Ok(h.Now.AddHours(-1), CallDimension.Model, "m") with { Cost = Calls.Usd(7.9m) });
        Assert.Empty(evaluator.Evaluate().Transitions);

        evaluator.Observe(Calls.Ok(h.Now.AddMinutes(-1), CallDimension.Model, "m") with { Cost = Calls.Usd(0.1m) });
        var fired = Assert.Single(evaluator.Evaluate().Transitions);
        Assert.Equal([new KeyValuePair<string, string?>("budget", "daily")], fired.Alert.Group);
        Assert.Equal(0.8, fired.Alert.Value, 6);
        Assert.Equal(57.9m + 0.1m, spend.Last24Hours(h.Now));
    }
}
