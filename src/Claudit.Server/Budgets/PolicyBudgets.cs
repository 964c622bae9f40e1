using Claudit.Alerts.Evaluation;

namespace Claudit.Server.Budgets;

/// <summary>
/// The gateway's USD policies over a calendar day or month, as the alert rules' budgets (<c>budget_used</c>,
/// <c>budget_burn</c>): the policies are the one budget engine, the alerts read them. A per-scope policy is
/// read at its fullest scope, as <c>/api/budgets</c> shows it. The last 24 hours' spend (the burn of a
/// monthly budget) is known for a global policy only: the evaluator's spend ledger is not split by scope.
/// </summary>
internal sealed class PolicyBudgets(IBudgetStatus policies, SpendLedger spend) : Claudit.Alerts.Evaluation.IBudgetStatus
{
    public IReadOnlyList<BudgetUsage> Current(DateTimeOffset now)
    {
        // The in-process ledger answers at once; the evaluator calls this off the request path.
        var statuses = policies.GetStatusAsync().AsTask().GetAwaiter().GetResult();
        var budgets = new List<BudgetUsage>(statuses.Count);
        foreach (var s in statuses)
        {
            var p = s.Policy;
            if (p.Unit != PolicyUnit.Usd || !p.Window.IsCalendar)
            {
                continue;
            }

            var period = p.Window.Text == PolicyWindow.Month.Text ? BudgetPeriod.Month : BudgetPeriod.Day;
            var global = p.Scope == Store.Usage.UsageScope.Global && p.Match.IsAny;
            budgets.Add(new BudgetUsage(p.Name, period, p.Limit, s.Used) { Rolling24hUsd = global ? spend.Last24Hours(now) : null });
        }

        return budgets;
    }
}
