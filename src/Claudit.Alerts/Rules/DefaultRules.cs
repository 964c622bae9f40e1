namespace Claudit.Alerts.Rules;

/// <summary>The rules that run out of the box: one per default row of the catalogue, named after its metric, with the seed thresholds.</summary>
public static class DefaultRules
{
    public static IReadOnlyList<AlertRule> All { get; } = [.. MetricCatalogue.All.Where(m => m.Default).Select(From)];

    /// <summary>A rule with every field at the metric's seed value.</summary>
    public static AlertRule From(MetricInfo m) => new()
    {
        Name = m.Name,
        Metric = m.Metric,
        Comparison = m.Comparison,
        Threshold = m.Threshold ?? throw new InvalidOperationException($"{m.Name} has no seed threshold"),
        Window = m.Window,
        MinCalls = m.MinCalls,
        GroupBy = m.GroupBy,
        ForecastAbove = m.Metric == AlertMetric.CostSpike ? 1.1 : null,
        BaselineBelow = m.Metric == AlertMetric.CacheHitRate ? 0.6 : null,
        BuiltIn = true,
    };
}
