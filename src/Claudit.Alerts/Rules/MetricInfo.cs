using Claudit.Store.Alerting;

namespace Claudit.Alerts.Rules;

/// <summary>
/// One row of the catalogue: its name in the rules file, what it measures, how it is compared, its
/// seed threshold and window (what a rule that names the metric gets for the fields it leaves out),
/// the dashboard view that shows its cause, and how its window is kept.
/// </summary>
public sealed record MetricInfo
{
    public required AlertMetric Metric { get; init; }

    /// <summary>The name a rule's <c>metric</c> gives, e.g. <c>error_rate</c>; also the runbook section's anchor.</summary>
    public required string Name { get; init; }

    /// <summary>Words for a message, e.g. "error rate".</summary>
    public required string Title { get; init; }

    public required MetricUnit Unit { get; init; }

    public required AlertComparison Comparison { get; init; }

    /// <summary>The seed threshold; null when a rule must give its own (fixed spend).</summary>
    public double? Threshold { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    public long MinCalls { get; init; }

    public IReadOnlyList<CallDimension> GroupBy { get; init; } = [];

    /// <summary>A dimension every rule of this metric is grouped by (a user's cost is per user), whatever group_by says.</summary>
    public CallDimension? ForcedGroup { get; init; }

    /// <summary>The window is a UTC calendar day or month, not a sliding one: a rule cannot set it.</summary>
    public CalendarPeriod? Calendar { get; init; }

    /// <summary>Reads budgets (<see cref="Evaluation.IBudgetStatus"/>) rather than calls: no window, no filters, grouped by budget.</summary>
    public bool OverBudgets { get; init; }

    /// <summary>
    /// Reads the billing reconciliation (<see cref="Evaluation.IUnrecordedSpendSource"/>, <c>serve --admin-key-env</c>)
    /// rather than calls: no window, no filters, one group, the last finished UTC day.
    /// </summary>
    public bool OverReconciliation { get; init; }

    /// <summary>Read from elsewhere at each evaluation (budgets, the reconciliation), not computed over calls: a rule of it takes no window, min_calls, group_by or filter.</summary>
    public bool Pulled => OverBudgets || OverReconciliation;

    /// <summary>On out of the box (a ★ row of the catalogue).</summary>
    public bool Default { get; init; }

    /// <summary>The dashboard view to open first (<c>errors</c>, <c>latency</c>, <c>cost</c>, <c>quality</c>, <c>sessions</c>, <c>overview</c>).</summary>
    public required string View { get; init; }

    /// <summary>The Prometheus alert of deploy/prometheus that watches the same row, or null when only the in-product evaluator can.</summary>
    public string? PrometheusAlert { get; init; }
}

/// <summary>A calendar window, in UTC.</summary>
public enum CalendarPeriod
{
    Day,
    Month,
}
