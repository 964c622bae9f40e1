namespace Claudit.Server.Budgets;

/// <summary>
/// What a ledger reserved for one admitted call: its claims and when, which names each claim's bucket
/// (<see cref="PolicyWindow.BucketOf"/> of <see cref="ReservedAt"/>) in any ledger, in process or shared.
/// Settled (or released) exactly once. <see cref="LedgerState"/> is the reserving ledger's own (the in-process
/// ledger keeps the counters it reserved on, so that settling looks nothing up).
/// </summary>
public sealed class LedgerHold(LedgerClaim[] claims, DateTimeOffset reservedAt, object? ledgerState = null)
{
    public IReadOnlyList<LedgerClaim> Claims => claims;

    public DateTimeOffset ReservedAt => reservedAt;

    public object? LedgerState => ledgerState;
}
