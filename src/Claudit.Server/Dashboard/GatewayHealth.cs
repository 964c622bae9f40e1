namespace Claudit.Server.Dashboard;

/// <summary>
/// "Is it up", for the Overview: the gateway's readiness (as <c>/readyz</c> judges it), the upstream's state,
/// how far the store is behind the journal, the alerts firing now, the policies at 80% of their limit or more,
/// and the latency objectives the alert rules set (p95 latency and TTFT thresholds), when they set any.
/// </summary>
internal sealed record GatewayHealth(
    string Status,
    string Upstream,
    int UpstreamFailures,
    long StoreLagRecords,
    double StoreLagSeconds,
    string? JournalProblem,
    string? StoreProblem,
    FiringAlert[] AlertsFiring,
    BudgetNearLimit[] BudgetsNearLimit,
    double? SlaP95LatencyMs,
    double? SlaP95TtftMs);

/// <summary>An alert firing now: enough to name it and open it.</summary>
internal sealed record FiringAlert(Guid AlertId, string Rule, string Metric, string Severity, string Group, double Value, double Threshold, DateTimeOffset StartedAt);

/// <summary>A budget or rate limit at 80% of its limit or more.</summary>
internal sealed record BudgetNearLimit(string Name, string Kind, string Unit, decimal Used, decimal Limit, double Ratio, string? ScopeValue);
