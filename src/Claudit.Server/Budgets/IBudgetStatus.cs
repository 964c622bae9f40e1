namespace Claudit.Server.Budgets;

/// <summary>
/// A read-only view of every policy in force now, for whatever watches them (the alerts' <c>budget_used</c>
/// rule, <c>/api/budgets</c>, the <c>claude_budget_used_ratio</c> gauge): per policy name, its used amount,
/// limit, ratio and next reset.
/// </summary>
public interface IBudgetStatus
{
    ValueTask<IReadOnlyList<PolicyStatus>> GetStatusAsync(CancellationToken cancellationToken = default);
}
