namespace Claudit.Core.Reconcile;

/// <summary>One bucket × model × tier: what Claudit recorded, what Anthropic billed, billed − recorded, and the verdict.</summary>
public sealed record ReconcileRow(ReconcileKey Key, ReconcileAmounts Recorded, ReconcileAmounts Billed, ReconcileAmounts Difference, string Verdict)
{
    public bool IsMatch => Verdict == ReconcileVerdicts.Match;

    /// <summary>
    /// Billed cost Claudit did not see on this row: billed − recorded when the verdict is <c>unrecorded usage</c>,
    /// else 0 (a price mismatch is cost Claudit saw and priced differently). The <c>unrecorded_spend</c> alert sums it.
    /// </summary>
    public decimal UnrecordedCostUsd => Verdict == ReconcileVerdicts.UnrecordedUsage ? Math.Max(0m, Difference.CostUsd ?? 0m) : 0m;
}
