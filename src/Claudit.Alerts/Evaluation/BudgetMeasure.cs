using Claudit.Alerts.Rules;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// The budgets (<see cref="IBudgetStatus"/>), one group per budget: the share of each budget used
/// (<c>budget_used</c>), or the last 24 hours' spend as a share of each monthly budget (<c>budget_burn</c>).
/// No budget configured: no groups, no alert.
/// </summary>
internal sealed class BudgetMeasure(AlertRule rule, IBudgetStatus? budgets) : PulledMeasure(rule)
{
    public override string Label => "budget";

    /// <summary>Each budget's reading at <paramref name="now"/>.</summary>
    public override IEnumerable<(string Group, Reading Reading)> ReadGroups(DateTimeOffset now)
    {
        if (budgets is null)
        {
            yield break;
        }

        foreach (var b in budgets.Current(now))
        {
            if (Rule.Metric == AlertMetric.BudgetUsed)
            {
                yield return (b.Name, new Reading(b.Ratio, Rule.Threshold, 0));
            }
            else if (b.Period == BudgetPeriod.Month && b.Rolling24hUsd is { } day && b.LimitUsd > 0)
            {
                yield return (b.Name, new Reading((double)(day / b.LimitUsd), Rule.Threshold, 0));
            }
        }
    }
}
