namespace Claudit.Server.Budgets;

/// <summary>
/// What one policy asks of the ledger for one call: reserve <see cref="Amount"/> (the call's worst case: USD,
/// one request, or tokens) on the counter of <see cref="Policy"/> for <see cref="Scope"/> (the scope's value:
/// a user id, a key id …; empty for the global scope), in the bucket of <see cref="Window"/> the call starts in.
/// </summary>
public readonly record struct LedgerClaim(string Policy, string Scope, PolicyWindow Window, PolicyUnit Unit, decimal Limit, decimal Amount, ClaimMode Mode);
