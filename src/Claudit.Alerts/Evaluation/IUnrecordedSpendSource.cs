using Claudit.Core.Reconcile;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Where the <c>unrecorded_spend</c> rule reads the billing reconciliation (docs/reconcile.md). Synchronous,
/// like the evaluator: an implementation keeps the value at hand and fetches it elsewhere (the gateway's
/// <c>StoredUnrecordedSpend</c> refreshes it from the store in the background).
/// </summary>
public interface IUnrecordedSpendSource
{
    /// <summary>The last finished UTC day's share of billed cost Claudit did not see, as known at <paramref name="now"/>; null when that day is not reconciled (yet).</summary>
    UnrecordedSpend? Latest(DateTimeOffset now);
}
