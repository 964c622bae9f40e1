using Claudit.Alerts.Rules;

namespace Claudit.Alerts.Evaluation;

/// <summary>The measure of each catalogue metric.</summary>
internal static class Measures
{
    public static Measure For(AlertRule rule, IBudgetStatus? budgets, IUnrecordedSpendSource? unrecorded) => rule.Metric switch
    {
        AlertMetric.ErrorRate or AlertMetric.RateLimited or AlertMetric.RateLimitShare or AlertMetric.TimeoutRate
            or AlertMetric.TruncationRate or AlertMetric.QualityFlagShare or AlertMetric.ToolErrorRate => new RatioMeasure(rule),
        AlertMetric.FailureRate => new FailureMeasure(rule),
        AlertMetric.LatencyP95 or AlertMetric.LatencyP99 or AlertMetric.TtftP95 or AlertMetric.TtftP99 => new PercentileMeasure(rule),
        AlertMetric.RateLimitHeadroom => new HeadroomMeasure(rule),
        AlertMetric.CostSpike or AlertMetric.OutputTpsSpike => new SpikeMeasure(rule),
        AlertMetric.BudgetUsed or AlertMetric.BudgetBurn => new BudgetMeasure(rule, budgets),
        AlertMetric.SpendDaily or AlertMetric.SpendMonthly or AlertMetric.UserDailyCost => new CalendarSpendMeasure(rule),
        AlertMetric.SessionCost => new WindowSpendMeasure(rule),
        AlertMetric.CacheHitRate => new CacheHitMeasure(rule),
        AlertMetric.ContextUtilisation => new PeakMeasure(rule),
        AlertMetric.TurnsPerConversation => new TurnsMeasure(rule),
        AlertMetric.UnrecordedSpend => new UnrecordedSpendMeasure(rule, unrecorded),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Metric, "no measure for this metric"),
    };
}
