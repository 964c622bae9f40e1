namespace Claudit.Server.Budgets;

/// <summary>
/// What a ledger reserved for one admitted call: its claims and when, which names each claim's bucket
/// (<see cref="PolicyWindow.BucketOf"/> of <see cref="ReservedAt"/>) in any ledger, in process or shared.
/// Settled (or released) exactly once.
/// </summary>
public sealed class LedgerHold(LedgerClaim[] claims, DateTimeOffset reservedAt)
{
    public IReadOnlyList<LedgerClaim> Claims => claims;

    public DateTimeOffset ReservedAt => reservedAt;
}
