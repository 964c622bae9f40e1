namespace Claudit.Server.Budgets;

/// <summary>
/// The counters budgets and rate limits keep: per policy, per scope value, per window bucket, a used amount
/// and a reserved one. A call reserves its worst case on every counter its policies name, all at once or
/// not at all, and settles to what it used when it ends. <see cref="InProcessPolicyLedger"/> keeps them in
/// this process; a ledger shared by several gateways (Redis: one Lua script per operation over keys
/// <c>{policy:scope}:bucket</c>) implements the same contract, each operation atomic.
/// </summary>
public interface IPolicyLedger
{
    /// <summary>
    /// Atomically: if every claim fits (<see cref="ClaimMode"/>) in its window at <paramref name="now"/>, reserves
    /// every claim's amount in the bucket <paramref name="now"/> falls in and admits; else reserves nothing and
    /// names the first claim that did not fit.
    /// </summary>
    ValueTask<LedgerOutcome> ReserveAsync(LedgerClaim[] claims, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Replaces each of the hold's reservations by what the call used. A bucket that has left its window is let be.</summary>
    ValueTask SettleAsync(LedgerHold hold, LedgerAmounts used);

    /// <summary>Gives the hold's reservations back, counting nothing (a call that never went out).</summary>
    ValueTask ReleaseAsync(LedgerHold hold);

    /// <summary>Every scope of <paramref name="policy"/> with something counted in its window at <paramref name="now"/>.</summary>
    ValueTask<ScopeTotals[]> ScopesAsync(string policy, PolicyWindow window, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets (not adds) the used amount of one bucket from the recorded calls, when a gateway starts. Setting
    /// makes it safe to repeat; a shared ledger that already counts the bucket keeps its own count.
    /// </summary>
    ValueTask RestoreAsync(string policy, string scope, PolicyWindow window, long bucket, decimal used, CancellationToken cancellationToken = default);
}
