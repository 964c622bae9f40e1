using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// One budget or rate limit (docs/budgets.md): what it counts (<paramref name="Unit"/>), per what
/// (<paramref name="Scope"/>, among the calls <paramref name="Match"/> selects), over which <paramref name="Window"/>,
/// up to <paramref name="Limit"/>, and what happens there (<paramref name="Action"/>). <paramref name="Strict"/> admits
/// a call only if its worst case fits under the limit; otherwise a call is admitted while any room is left.
/// Forwarded calls carry a <c>claudit-budget-warning</c> from <paramref name="WarnAt"/> of the limit on.
/// </summary>
public sealed record Policy(
    string Name,
    PolicyKind Kind,
    UsageScope Scope,
    ScopeMatch Match,
    PolicyUnit Unit,
    decimal Limit,
    PolicyWindow Window,
    PolicyAction Action = PolicyAction.Block,
    bool Strict = false,
    decimal WarnAt = 0.8m)
{
    /// <summary>The name the file uses for a unit: <c>limit_usd</c>, <c>requests</c>, <c>tokens</c>.</summary>
    public string UnitName => Unit switch { PolicyUnit.Usd => "usd", PolicyUnit.Requests => "requests", _ => "tokens" };
}
