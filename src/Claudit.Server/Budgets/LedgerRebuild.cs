using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// Counts again, at start, what the recorded calls used in each policy's current window, so a restart
/// neither forgets spend nor counts it twice: per policy, the store's usage since the window's start, by
/// scope and by the window's buckets (<see cref="IScopeUsageQueries"/>), is set into the ledger. Reservations
/// of calls in flight when the last process stopped are not records, so they are not restored.
/// </summary>
internal static class LedgerRebuild
{
    public static async Task RunAsync(IEnumerable<Policy> policies, IScopeUsageQueries store, IPolicyLedger ledger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var policy in policies)
        {
            var window = policy.Window;
            var rows = await store.QueryScopeUsageAsync(new ScopeUsageQuery
            {
                Since = window.Start(now),
                Scope = policy.Scope,
                Match = policy.Match,
                BucketTicks = window.BucketTicks,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var used = policy.Unit switch { PolicyUnit.Usd => row.CostUsd, PolicyUnit.Requests => row.Requests, _ => row.Tokens };
                var bucket = window.IsCalendar ? window.BucketOf(now) : row.Bucket;
                await ledger.RestoreAsync(policy.Name, row.Scope ?? "", window, bucket, used, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
