using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Tests;

/// <summary>
/// How to make one catalogue metric go bad for one group and stay healthy for another: the rule (the
/// metric's seeds, grouped by <see cref="Dimension"/>), any history its baseline needs, and a feed of
/// calls (or budget states) that is bad or good for a group. Every metric has one (<see cref="All"/>).
/// </summary>
internal sealed record Scenario(string Metric, CallDimension Dimension, Func<DateTimeOffset, bool, CallRecord> Make)
{
    public const string A = "group-a";
    public const string B = "group-b";

    /// <summary>Calls per group per feed: above every seed's min_calls.</summary>
    public int PerFeed { get; init; } = 30;

    /// <summary>Calls per bad feed, when a metric needs more of them to go bad than a good feed has.</summary>
    public int? BadPerFeed { get; init; }

    /// <summary>A threshold for the metrics that have no seed (fixed spend).</summary>
    public double? Threshold { get; init; }

    /// <summary>History before the test's calls (the baselines of spikes and cache hit rates).</summary>
    public Action<Harness>? Prepare { get; init; }

    /// <summary>Budget metrics feed budget states rather than calls.</summary>
    public FakeBudgets? Budgets { get; init; }

    /// <summary><c>unrecorded_spend</c> feeds the reconciliation of one day (the group) rather than calls: no group B.</summary>
    public FakeUnrecordedSpend? Unrecorded { get; init; }

    /// <summary>The label the alert's group carries.</summary>
    public string Label => Budgets is not null ? "budget" : Unrecorded is not null ? "day" : GroupKey.Label(Dimension);

    /// <summary>The value of <see cref="Label"/> for the bad group: <see cref="A"/>, or the reconciled day.</summary>
    public string BadGroup => Unrecorded is not null ? FakeUnrecordedSpend.DayLabel : A;

    public AlertRule Rule(TimeSpan? @for = null)
    {
        var info = MetricCatalogue.TryFind(Metric, out var m) ? m : throw new InvalidOperationException(Metric);
        var rule = new AlertRule
        {
            Name = Metric + "-rule",
            Metric = info.Metric,
            Comparison = info.Comparison,
            Threshold = Threshold ?? info.Threshold!.Value,
            Window = info.Window,
            MinCalls = info.MinCalls,
            GroupBy = info.ForcedGroup is null && !info.Pulled ? [Dimension] : [],
            For = @for ?? TimeSpan.Zero,
            ForecastAbove = info.Metric == AlertMetric.CostSpike ? 1.1 : null,
            BaselineBelow = info.Metric == AlertMetric.CacheHitRate ? 0.6 : null,
        };
        return rule;
    }

    public Harness Start(TimeSpan? @for = null)
    {
        var h = new Harness(Rule(@for), Budgets, Unrecorded);
        Prepare?.Invoke(h);
        return h;
    }

    /// <summary>One feed: group A bad (or good), group B good.</summary>
    public void Feed(Harness h, bool aBad)
    {
        if (Budgets is { } budgets)
        {
            budgets.Set(A, aBad);
            budgets.Set(B, false);
            return;
        }

        if (Unrecorded is { } unrecorded)
        {
            unrecorded.Set(aBad);
            return;
        }

        foreach (var (group, bad) in new[] { (A, aBad), (B, false) })
        {
            h.Feed(bad ? BadPerFeed ?? PerFeed : PerFeed, (t, i) => With(Make(t, bad), group, i));
        }
    }

    /// <summary>The call placed in its group (and, for turns, in its conversation).</summary>
    private CallRecord With(CallRecord r, string group, int i)
    {
        var placed = Calls.Ok(r.StartTime, Dimension, group);
        r = r with { ModelRequested = placed.ModelRequested, ModelUsed = placed.ModelUsed, Tags = placed.Tags };
        if (Metric == "turns_per_conversation")
        {
            // The group's 30 conversations: a good feed adds a turn to each, a bad one (600 calls) twenty.
            r = r with { Tags = r.Tags with { Conversation = $"{group}-c{i % 30}" } };
        }

        return r;
    }

    public override string ToString() => Metric;

    private static CallRecord Ok(DateTimeOffset t) => Calls.Ok(t, CallDimension.Model, "x");

    /// <summary>25 hours of quiet traffic ending an hour before now: 60 calls an hour per group at $0.01 and 100 output tokens.</summary>
    private static void QuietHistory(Harness h)
    {
        for (var minute = 26 * 60; minute > 61; minute--)
        {
            foreach (var group in new[] { A, B })
            {
                h.Observe(Calls.Ok(h.Now.AddMinutes(-minute), CallDimension.Model, group) with { Usage = new TokenUsage { InputTokens = 100, OutputTokens = 100 } });
            }
        }
    }

    /// <summary>Two days of calls that read 80% of their input from the cache, ending two hours before now.</summary>
    private static void CachingHistory(Harness h)
    {
        for (var minute = 2 * 24 * 60; minute > 120; minute -= 10)
        {
            foreach (var group in new[] { A, B })
            {
                h.Observe(Calls.Ok(h.Now.AddMinutes(-minute), CallDimension.Feature, group) with { Usage = new TokenUsage { InputTokens = 200, CacheReadInputTokens = 800, OutputTokens = 50 } });
            }
        }
    }

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("error_rate", CallDimension.Model, (t, bad) => bad ? Ok(t).Failed(ErrorTypes.Overloaded, 529) : Ok(t)),
        new("failure_rate", CallDimension.Model, (t, bad) => bad ? Ok(t).Failed(ErrorTypes.Api, 500) : Ok(t)),
        new("latency_p95", CallDimension.Model, (t, bad) => Ok(t) with { LatencyMs = bad ? 20_000 : 500 }),
        new("latency_p99", CallDimension.Model, (t, bad) => Ok(t) with { LatencyMs = bad ? 20_000 : 500 }),
        new("ttft_p95", CallDimension.Feature, (t, bad) => Ok(t) with { Streaming = true, TtftMs = bad ? 5_000 : 200 }),
        new("ttft_p99", CallDimension.Model, (t, bad) => Ok(t) with { Streaming = true, TtftMs = bad ? 12_000 : 200 }),
        new("rate_limited", CallDimension.Model, (t, bad) => bad ? Ok(t).RateLimited() : Ok(t)) { PerFeed = 3 },
        new("rate_limit_share", CallDimension.Model, (t, bad) => bad ? Ok(t).RateLimited() : Ok(t)),
        new("rate_limit_headroom", CallDimension.Model, (t, bad) => Ok(t) with { RateLimits = new RateLimitSnapshot { RequestsLimit = 1000, RequestsRemaining = bad ? 20 : 900, TokensLimit = 100_000, TokensRemaining = 90_000 } }),
        new("timeout_rate", CallDimension.Model, (t, bad) => bad ? Ok(t).Failed(ErrorTypes.TransportTimeout, null) : Ok(t)),
        new("cost_spike", CallDimension.Model, (t, bad) => Ok(t) with { Cost = Calls.Usd(bad ? 1m : 0.001m) }) { Prepare = QuietHistory },
        new("budget_used", CallDimension.Model, (t, _) => Ok(t)) { Budgets = new FakeBudgets(BudgetPeriod.Day) },
        new("budget_burn", CallDimension.Model, (t, _) => Ok(t)) { Budgets = new FakeBudgets(BudgetPeriod.Month) },
        new("spend_daily", CallDimension.Model, (t, bad) => Ok(t) with { Cost = Calls.Usd(bad ? 1m : 0.01m) }) { Threshold = 10 },
        new("spend_monthly", CallDimension.Model, (t, bad) => Ok(t) with { Cost = Calls.Usd(bad ? 1m : 0.01m) }) { Threshold = 10 },
        new("user_daily_cost", CallDimension.User, (t, bad) => Ok(t) with { Cost = Calls.Usd(bad ? 1m : 0.01m) }),
        new("session_cost", CallDimension.Session, (t, bad) => Ok(t) with { Cost = Calls.Usd(bad ? 0.1m : 0.001m) }),
        new("truncation_rate", CallDimension.Feature, (t, bad) => Ok(t) with { StopReason = bad ? "max_tokens" : "end_turn" }),
        new("cache_hit_rate", CallDimension.Feature, (t, bad) => Ok(t) with { Usage = new TokenUsage { InputTokens = bad ? 1000 : 200, CacheReadInputTokens = bad ? 0 : 800, OutputTokens = 50 } }) { Prepare = CachingHistory },
        new("tool_error_rate", CallDimension.Feature, (t, bad) => Ok(t) with { ToolResults = 2, ToolResultErrors = bad ? 1 : 0 }),
        new("context_utilisation", CallDimension.Feature, (t, bad) => Ok(t) with { ContextUtilisation = bad ? 0.95 : 0.3 }),
        new("turns_per_conversation", CallDimension.Feature, (t, _) => Ok(t)) { BadPerFeed = 600 },
        new("quality_flag_share", CallDimension.Feature, (t, bad) => Ok(t) with { QualityFlags = bad ? [QualityFlags.Refusal] : [] }),
        new("output_tps_spike", CallDimension.Model, (t, bad) => Ok(t) with { Usage = new TokenUsage { InputTokens = 100, OutputTokens = bad ? 100_000 : 10 } }) { Prepare = QuietHistory },
        new("unrecorded_spend", CallDimension.Model, (t, _) => Ok(t)) { Unrecorded = new FakeUnrecordedSpend() },
    ];
}

/// <summary>Budgets a test sets: one per group, 90% used (or a 24 h burn of 20% of a monthly budget) when bad, 10% (5%) when not.</summary>
internal sealed class FakeBudgets(BudgetPeriod period) : IBudgetStatus
{
    private readonly Dictionary<string, bool> _bad = [];

    public void Set(string name, bool bad) => _bad[name] = bad;

    public IReadOnlyList<BudgetUsage> Current(DateTimeOffset now) =>
        [.. _bad.Select(b => new BudgetUsage(b.Key, period, 100m, b.Value ? 90m : 10m) { Rolling24hUsd = b.Value ? 20m : 5m })];
}
