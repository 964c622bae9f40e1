namespace Claudit.Core.Reconcile;

/// <summary>
/// The <c>unrecorded_spend</c> alert's value for one finished UTC day: the share of the day's billed cost that
/// Claudit did not see (<see cref="ReconcileRow.UnrecordedCostUsd"/> summed over the day's rows, over the day's billed cost).
/// </summary>
public sealed record UnrecordedSpend(DateTimeOffset Day, decimal BilledUsd, decimal UnrecordedUsd, DateTimeOffset ReconciledAt)
{
    /// <summary>0..1; null when nothing was billed that day.</summary>
    public double? Value => Share(UnrecordedUsd, BilledUsd);

    /// <summary>The days of <paramref name="rows"/> (bucketed by UTC day), each with its billed and unseen cost.</summary>
    public static IReadOnlyList<UnrecordedSpend> ByDay(IEnumerable<(ReconcileRow Row, DateTimeOffset ReconciledAt)> rows) =>
        [.. rows.GroupBy(r => ReconcileBuckets.Floor(r.Row.Key.Bucket, ReconcileWidth.Day))
            .OrderBy(g => g.Key)
            .Select(g => new UnrecordedSpend(g.Key, g.Sum(r => r.Row.Billed.CostUsd ?? 0m), g.Sum(r => r.Row.UnrecordedCostUsd), g.Max(r => r.ReconciledAt)))];

    internal static double? Share(decimal unrecorded, decimal billed) => billed > 0m ? (double)(unrecorded / billed) : null;
}
