using Claudit.Core.Pricing;

namespace Claudit.Core.Reconcile;

/// <summary>
/// Puts recorded and billed usage side by side, per bucket × model × tier, and gives each row its verdict
/// (docs/reconcile.md): <c>match</c> when every token class, web searches and the cost agree within the
/// tolerance; <c>price mismatch</c> when the counts agree and the cost does not; otherwise
/// <c>unrecorded usage</c> when Anthropic billed more than Claudit saw, <c>unbilled records</c> when less.
/// </summary>
public static class Reconciler
{
    /// <summary>
    /// Compares the two sides. A model is named by its price-table family in <paramref name="models"/> (when it has one),
    /// so that an alias or a dated snapshot (<c>claude-sonnet-4-5</c> in a response, <c>claude-sonnet-4-5-20250929</c>
    /// in the usage report) is one row, matched the way the pricing engine matches it.
    /// </summary>
    public static Reconciliation Compare(
        IEnumerable<ReconcileCell> recorded, IEnumerable<ReconcileCell> billed, DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, ReconcileTolerance tolerance,
        PriceTable? models = null)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        var sides = new SortedDictionary<ReconcileKey, (ReconcileAmounts Recorded, ReconcileAmounts Billed)>();
        recorded = recorded.Select(c => Family(c, models));
        billed = billed.Select(c => Family(c, models));
        foreach (var (key, amounts) in recorded)
        {
            (ReconcileAmounts Recorded, ReconcileAmounts Billed) found = sides.GetValueOrDefault(key, (ReconcileAmounts.Zero, ReconcileAmounts.Zero));
            sides[key] = (found.Recorded + amounts, found.Billed);
        }

        foreach (var (key, amounts) in billed)
        {
            (ReconcileAmounts Recorded, ReconcileAmounts Billed) found = sides.GetValueOrDefault(key, (ReconcileAmounts.Zero, ReconcileAmounts.Zero));
            sides[key] = (found.Recorded, found.Billed + amounts);
        }

        return Of([.. sides.Select(s => Row(s.Key, s.Value.Recorded, s.Value.Billed, tolerance))], since, until, width, tolerance);
    }

    private static ReconcileCell Family(ReconcileCell cell, PriceTable? models) =>
        models?.FindModel(cell.Key.Model) is { } price ? cell with { Key = cell.Key with { Model = price.Id } } : cell;

    /// <summary>A reconciliation of rows already compared (stored ones), with their totals.</summary>
    public static Reconciliation Of(IReadOnlyList<ReconcileRow> rows, DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, ReconcileTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var totalRecorded = rows.Aggregate(ReconcileAmounts.Zero, (sum, r) => sum + r.Recorded);
        var totalBilled = rows.Aggregate(ReconcileAmounts.Zero, (sum, r) => sum + r.Billed);
        var totals = Row(new ReconcileKey(since, "", ""), totalRecorded, totalBilled, tolerance);
        return new Reconciliation(since, until, width, tolerance, rows, totals);
    }

    public static ReconcileRow Row(ReconcileKey key, ReconcileAmounts recorded, ReconcileAmounts billed, ReconcileTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        return new ReconcileRow(key, recorded, billed, ReconcileAmounts.Difference(billed, recorded), Verdict(recorded, billed, tolerance));
    }

    public static string Verdict(ReconcileAmounts recorded, ReconcileAmounts billed, ReconcileTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(billed);
        ArgumentNullException.ThrowIfNull(tolerance);
        long[] r = recorded.Counts, b = billed.Counts;
        bool more = false, less = false;
        for (var i = 0; i < r.Length; i++)
        {
            if (!tolerance.Within(r[i], b[i]))
            {
                more |= b[i] > r[i];
                less |= b[i] < r[i];
            }
        }

        if (!more && !less)
        {
            return tolerance.Within(recorded.CostUsd, billed.CostUsd) ? ReconcileVerdicts.Match : ReconcileVerdicts.PriceMismatch;
        }

        if (more != less)
        {
            return more ? ReconcileVerdicts.UnrecordedUsage : ReconcileVerdicts.UnbilledRecords;
        }

        // Some classes over, some under (calls missing on one side, cut-off calls on the other): the side that costs
        // more decides, since money is what the row is about; without a billed cost, the side with more tokens.
        var cost = billed.CostUsd is { } billedCost && recorded.CostUsd is { } recordedCost ? billedCost.CompareTo(recordedCost) : 0;
        var side = cost != 0 ? cost : (billed.TotalTokens + billed.WebSearchRequests).CompareTo(recorded.TotalTokens + recorded.WebSearchRequests);
        return side >= 0 ? ReconcileVerdicts.UnrecordedUsage : ReconcileVerdicts.UnbilledRecords;
    }
}
