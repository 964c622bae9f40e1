namespace Claudit.Server.Budgets;

/// <summary><see cref="IBudgetStatus"/> over the gateway's ledger: every policy in force, each by its fullest scope.</summary>
internal sealed class PolicyStatusView(PolicyBook book, IPolicyLedger ledger, TimeProvider time) : IBudgetStatus
{
    public async ValueTask<IReadOnlyList<PolicyStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var statuses = new List<PolicyStatus>();
        foreach (var policy in book.Active(now))
        {
            var scopes = await ledger.ScopesAsync(policy.Name, policy.Window, now, cancellationToken).ConfigureAwait(false);
            ScopeTotals? fullest = scopes.Length == 0 ? null : scopes.MaxBy(s => s.Totals.Committed);
            var resets = policy.Window.IsCalendar ? policy.Window.LeavesAt(policy.Window.BucketOf(now)) : fullest?.ResetsAt;
            statuses.Add(new PolicyStatus(policy, fullest?.Scope, fullest?.Totals ?? default, resets, scopes.Length));
        }

        return statuses;
    }
}
