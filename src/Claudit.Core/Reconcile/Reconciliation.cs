namespace Claudit.Core.Reconcile;

/// <summary>
/// A reconciliation of [<see cref="Since"/>, <see cref="Until"/>): its rows in bucket, model, tier order and their
/// totals. <see cref="UnrecordedShare"/> is the share of billed cost Claudit did not see (the
/// <c>unrecorded_spend</c> alert's value).
/// </summary>
public sealed record Reconciliation(
    DateTimeOffset Since, DateTimeOffset Until, ReconcileWidth Width, ReconcileTolerance Tolerance, IReadOnlyList<ReconcileRow> Rows, ReconcileRow Totals)
{
    /// <summary>Every row within the tolerance (the CLI's exit 0).</summary>
    public bool AllMatch => Rows.All(r => r.IsMatch);

    /// <summary>Billed cost of the rows whose verdict is <c>unrecorded usage</c>, less what Claudit recorded of them.</summary>
    public decimal UnrecordedCostUsd => Rows.Sum(r => r.UnrecordedCostUsd);

    /// <summary><see cref="UnrecordedCostUsd"/> over all billed cost; null when nothing was billed.</summary>
    public double? UnrecordedShare => UnrecordedSpend.Share(UnrecordedCostUsd, Totals.Billed.CostUsd ?? 0m);
}
