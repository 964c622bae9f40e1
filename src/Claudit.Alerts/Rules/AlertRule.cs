using Claudit.Store.Alerting;

namespace Claudit.Alerts.Rules;

/// <summary>
/// One rule of the rules file (docs/alerts.md, "The rules file"): a catalogue metric compared with a
/// threshold over a window, for at least a minimum number of calls, held for a while before it fires,
/// optionally over some calls only and once per group.
/// </summary>
public sealed record AlertRule
{
    public required string Name { get; init; }

    public required AlertMetric Metric { get; init; }

    public MetricInfo Info => MetricCatalogue.Of(Metric);

    public required AlertComparison Comparison { get; init; }

    public required double Threshold { get; init; }

    /// <summary>How far back the value looks (a calendar day or month for the calendar metrics).</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>How long the condition must hold before the alert fires; zero fires at the first evaluation that sees it.</summary>
    public TimeSpan For { get; init; }

    /// <summary>Fewer calls than this in the window and the value is not trusted: no alert (and a firing one resolves).</summary>
    public long MinCalls { get; init; }

    public RuleFilter Filter { get; init; } = RuleFilter.None;

    /// <summary>One alert per value of these (at most three); empty: one alert for all the calls.</summary>
    public IReadOnlyList<CallDimension> GroupBy { get; init; } = [];

    /// <summary>How often a firing alert is sent again while it keeps firing; zero never.</summary>
    public TimeSpan RepeatEvery { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Passed through to notifications (<c>warning</c>, <c>critical</c>, …).</summary>
    public string Severity { get; init; } = "warning";

    /// <summary>Spike metrics: also fire above this multiple of the forecast (the same hour over the last 7 days); null: not.</summary>
    public double? ForecastAbove { get; init; }

    /// <summary>cache_hit_rate: also fire below this share of the group's own 7-day hit rate; null: not.</summary>
    public double? BaselineBelow { get; init; }

    /// <summary>One of the built-in rules (the ★ rows), as opposed to one from a rules file.</summary>
    public bool BuiltIn { get; init; }

    /// <summary>Whether <paramref name="value"/> is past the threshold <paramref name="threshold"/>.</summary>
    public bool Breaches(double value, double threshold) => Comparison switch
    {
        AlertComparison.Above => value > threshold,
        AlertComparison.AtLeast => value >= threshold,
        _ => value < threshold,
    };

    /// <summary>Which of two values is further past the threshold.</summary>
    public double Worse(double a, double b) => Comparison == AlertComparison.Below ? Math.Min(a, b) : Math.Max(a, b);

    /// <summary>The group_by dimensions, with the metric's forced one first when it has one.</summary>
    public IReadOnlyList<CallDimension> Dimensions =>
        Info.Pulled ? [] : Info.ForcedGroup is { } forced && !GroupBy.Contains(forced) ? [forced, .. GroupBy] : GroupBy;
}
