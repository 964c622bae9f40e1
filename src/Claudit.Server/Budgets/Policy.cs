using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// One budget or rate limit (docs/budgets.md): what it counts (<see cref="Unit"/>), per what
/// (<see cref="Scope"/>, among the calls <see cref="Match"/> selects), over which <see cref="Window"/>, up to
/// <see cref="Limit"/>, and what happens there (<see cref="Action"/>). <see cref="Strict"/> admits a call only
/// if its worst case fits under the limit; otherwise a call is admitted while any room is left.
/// </summary>
public sealed record Policy
{
    public required string Name { get; init; }

    public required PolicyKind Kind { get; init; }

    public UsageScope Scope { get; init; } = UsageScope.Global;

    public ScopeMatch Match { get; init; } = ScopeMatch.Any;

    public required PolicyUnit Unit { get; init; }

    public required decimal Limit { get; init; }

    public required PolicyWindow Window { get; init; }

    public PolicyAction Action { get; init; } = PolicyAction.Block;

    public bool Strict { get; init; }

    /// <summary>The share of the limit from which forwarded calls carry a <c>claudit-budget-warning</c> (0.8 by default).</summary>
    public decimal WarnAt { get; init; } = 0.8m;

    /// <summary>The name the file uses for a unit: <c>limit_usd</c>, <c>requests</c>, <c>tokens</c>.</summary>
    public string UnitName => Unit switch { PolicyUnit.Usd => "usd", PolicyUnit.Requests => "requests", _ => "tokens" };
}
