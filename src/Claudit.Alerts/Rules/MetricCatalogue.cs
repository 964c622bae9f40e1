using Claudit.Store.Alerting;

namespace Claudit.Alerts.Rules;

/// <summary>
/// The alert catalogue (docs/alerts.md, "The catalogue"): every metric a rule may name, with its seed
/// threshold, window and minimum call count. The rows marked default are the rules that run out of the box.
/// </summary>
public static class MetricCatalogue
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    public static IReadOnlyList<MetricInfo> All { get; } =
    [
        new() { Metric = AlertMetric.ErrorRate, Name = "error_rate", Title = "error rate", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.02, Window = FiveMinutes, MinCalls = 20, GroupBy = [CallDimension.Model], Default = true, View = "errors", PrometheusAlert = "ClaudeHighErrorRate" },
        new() { Metric = AlertMetric.FailureRate, Name = "failure_rate", Title = "failure rate after retries", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.01, Window = FiveMinutes, MinCalls = 20, GroupBy = [CallDimension.Model], View = "errors" },
        new() { Metric = AlertMetric.LatencyP95, Name = "latency_p95", Title = "p95 latency", Unit = MetricUnit.Seconds, Comparison = AlertComparison.Above, Threshold = 10, Window = FiveMinutes, MinCalls = 20, GroupBy = [CallDimension.Model], Default = true, View = "latency", PrometheusAlert = "ClaudeLatencyP95High" },
        new() { Metric = AlertMetric.LatencyP99, Name = "latency_p99", Title = "p99 latency", Unit = MetricUnit.Seconds, Comparison = AlertComparison.Above, Threshold = 10, Window = FiveMinutes, MinCalls = 20, GroupBy = [CallDimension.Model], Default = true, View = "latency", PrometheusAlert = "ClaudeLatencyP99High" },
        new() { Metric = AlertMetric.TtftP95, Name = "ttft_p95", Title = "p95 time to first token", Unit = MetricUnit.Seconds, Comparison = AlertComparison.Above, Threshold = 3, Window = TimeSpan.FromMinutes(10), MinCalls = 20, GroupBy = [CallDimension.Feature], Default = true, View = "latency", PrometheusAlert = "ClaudeTtftP95High" },
        new() { Metric = AlertMetric.TtftP99, Name = "ttft_p99", Title = "p99 time to first token", Unit = MetricUnit.Seconds, Comparison = AlertComparison.Above, Threshold = 8, Window = TimeSpan.FromMinutes(10), MinCalls = 20, GroupBy = [CallDimension.Model], Default = true, View = "latency", PrometheusAlert = "ClaudeTtftP99High" },
        new() { Metric = AlertMetric.RateLimited, Name = "rate_limited", Title = "429 rate-limit errors", Unit = MetricUnit.Count, Comparison = AlertComparison.AtLeast, Threshold = 1, Window = TimeSpan.FromMinutes(1), MinCalls = 0, GroupBy = [CallDimension.Model], Default = true, View = "errors", PrometheusAlert = "ClaudeRateLimited" },
        new() { Metric = AlertMetric.RateLimitShare, Name = "rate_limit_share", Title = "share of calls rate-limited", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.10, Window = FiveMinutes, MinCalls = 20, GroupBy = [CallDimension.Model], View = "errors", PrometheusAlert = "ClaudeRateLimitShareHigh" },
        new() { Metric = AlertMetric.RateLimitHeadroom, Name = "rate_limit_headroom", Title = "rate-limit headroom", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Below, Threshold = 0.10, Window = FiveMinutes, MinCalls = 1, Default = true, View = "errors", PrometheusAlert = "ClaudeRateLimitHeadroomLow" },
        new() { Metric = AlertMetric.TimeoutRate, Name = "timeout_rate", Title = "timeout rate", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.05, Window = TimeSpan.FromMinutes(2), MinCalls = 20, GroupBy = [CallDimension.Model], View = "errors", PrometheusAlert = "ClaudeTimeoutRateHigh" },
        new() { Metric = AlertMetric.CostSpike, Name = "cost_spike", Title = "spend", Unit = MetricUnit.Usd, Comparison = AlertComparison.Above, Threshold = 3, Window = OneHour, MinCalls = 20, Default = true, View = "cost", PrometheusAlert = "ClaudeCostSpike" },
        new() { Metric = AlertMetric.BudgetUsed, Name = "budget_used", Title = "budget used", Unit = MetricUnit.Ratio, Comparison = AlertComparison.AtLeast, Threshold = 0.8, OverBudgets = true, Default = true, View = "cost" },
        new() { Metric = AlertMetric.BudgetBurn, Name = "budget_burn", Title = "24 h spend against the monthly budget", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.10, OverBudgets = true, Default = true, View = "cost" },
        new() { Metric = AlertMetric.SpendDaily, Name = "spend_daily", Title = "spend today (UTC)", Unit = MetricUnit.Usd, Comparison = AlertComparison.Above, Calendar = CalendarPeriod.Day, Window = TimeSpan.FromDays(1), View = "cost", PrometheusAlert = "ClaudeDailySpendHigh" },
        new() { Metric = AlertMetric.SpendMonthly, Name = "spend_monthly", Title = "spend this month (UTC)", Unit = MetricUnit.Usd, Comparison = AlertComparison.Above, Calendar = CalendarPeriod.Month, Window = TimeSpan.FromDays(31), View = "cost" },
        new() { Metric = AlertMetric.UserDailyCost, Name = "user_daily_cost", Title = "a user's spend today (UTC)", Unit = MetricUnit.Usd, Comparison = AlertComparison.Above, Threshold = 5, Calendar = CalendarPeriod.Day, Window = TimeSpan.FromDays(1), ForcedGroup = CallDimension.User, Default = true, View = "cost" },
        new() { Metric = AlertMetric.SessionCost, Name = "session_cost", Title = "a session's spend", Unit = MetricUnit.Usd, Comparison = AlertComparison.Above, Threshold = 0.50, Window = TimeSpan.FromDays(1), ForcedGroup = CallDimension.Session, View = "sessions" },
        new() { Metric = AlertMetric.TruncationRate, Name = "truncation_rate", Title = "max_tokens truncation share", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.10, Window = OneHour, MinCalls = 20, GroupBy = [CallDimension.Feature], Default = true, View = "quality", PrometheusAlert = "ClaudeTruncationHigh" },
        new() { Metric = AlertMetric.CacheHitRate, Name = "cache_hit_rate", Title = "cache hit rate", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Below, Threshold = 0.20, Window = OneHour, MinCalls = 20, GroupBy = [CallDimension.Feature], Default = true, View = "overview", PrometheusAlert = "ClaudeCacheHitRateLow" },
        new() { Metric = AlertMetric.ToolErrorRate, Name = "tool_error_rate", Title = "tool call failure rate", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.05, Window = OneHour, MinCalls = 20, GroupBy = [CallDimension.Feature], View = "quality" },
        new() { Metric = AlertMetric.ContextUtilisation, Name = "context_utilisation", Title = "context window utilisation", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.80, Window = FiveMinutes, MinCalls = 1, GroupBy = [CallDimension.Feature], View = "quality" },
        new() { Metric = AlertMetric.TurnsPerConversation, Name = "turns_per_conversation", Title = "average turns per conversation", Unit = MetricUnit.Turns, Comparison = AlertComparison.Above, Threshold = 15, Window = OneHour, MinCalls = 1, GroupBy = [CallDimension.Feature], View = "sessions" },
        new() { Metric = AlertMetric.QualityFlagShare, Name = "quality_flag_share", Title = "share of answers with quality flags", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.10, Window = OneHour, MinCalls = 20, GroupBy = [CallDimension.Feature], View = "quality" },
        new() { Metric = AlertMetric.OutputTpsSpike, Name = "output_tps_spike", Title = "output-token throughput", Unit = MetricUnit.TokensPerSecond, Comparison = AlertComparison.Above, Threshold = 3, Window = FiveMinutes, MinCalls = 20, View = "latency", PrometheusAlert = "ClaudeOutputThroughputSpike" },
        new() { Metric = AlertMetric.UnrecordedSpend, Name = "unrecorded_spend", Title = "share of billed cost Claudit did not see", Unit = MetricUnit.Ratio, Comparison = AlertComparison.Above, Threshold = 0.02, Window = TimeSpan.FromDays(1), OverReconciliation = true, Default = true, View = "cost" },
    ];

    private static readonly Dictionary<string, MetricInfo> s_byName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static MetricInfo Of(AlertMetric metric) => All[(int)metric];

    public static bool TryFind(string name, out MetricInfo info) => s_byName.TryGetValue(name, out info!);

    /// <summary>The names a rules file may give, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(m => m.Name));
}
