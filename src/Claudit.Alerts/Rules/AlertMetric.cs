namespace Claudit.Alerts.Rules;

/// <summary>The rows of the alert catalogue (docs/alerts.md): what a rule measures. <see cref="MetricCatalogue"/> describes each.</summary>
public enum AlertMetric
{
    ErrorRate,
    FailureRate,
    LatencyP95,
    LatencyP99,
    TtftP95,
    TtftP99,
    RateLimited,
    RateLimitShare,
    RateLimitHeadroom,
    TimeoutRate,
    CostSpike,
    BudgetUsed,
    BudgetBurn,
    SpendDaily,
    SpendMonthly,
    UserDailyCost,
    SessionCost,
    TruncationRate,
    CacheHitRate,
    ToolErrorRate,
    ContextUtilisation,
    TurnsPerConversation,
    QualityFlagShare,
    OutputTpsSpike,
    UnrecordedSpend,
}
