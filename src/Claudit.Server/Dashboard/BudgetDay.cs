using Claudit.Store.ReadModel;

namespace Claudit.Server.Dashboard;

/// <summary>One day's spend and, when a budget is set, its share of it (above 1: over budget).</summary>
internal sealed record BudgetDay(DateOnly Date, decimal CostUsd, long Calls, double? ShareOfBudget)
{
    public static BudgetDay Of(DailyCost day, decimal? budget) =>
        new(day.Date, day.CostUsd, day.Calls, budget is > 0 ? (double)(day.CostUsd / budget.Value) : null);
}
