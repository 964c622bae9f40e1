using System.Globalization;

namespace Claudit.Core.Reconcile;

/// <summary>
/// How far recorded and billed may differ and still match: a share of the larger side (<c>--tolerance 0.5%</c>),
/// for each token class and for cost. Cost also gets an absolute allowance of 0.01 cent per row, the rounding the
/// cost report's fractional-cent amounts may carry (reference §5 suggests ≤ 0.01 ¢ per row).
/// </summary>
public sealed record ReconcileTolerance(decimal Share)
{
    public const decimal CostRoundingUsd = 0.0001m;

    public static ReconcileTolerance Default { get; } = new(0.005m);

    /// <summary>Reads <c>0.5%</c>, <c>1%</c>, <c>0%</c> or a bare fraction (<c>0.005</c>); false for anything else or outside 0–100%.</summary>
    public static bool TryParse(string? text, out ReconcileTolerance tolerance)
    {
        tolerance = Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (!decimal.TryParse(percent ? t[..^1] : t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var share = percent ? value / 100m : value;
        if (share < 0m || share > 1m)
        {
            return false;
        }

        tolerance = new ReconcileTolerance(share);
        return true;
    }

    public bool Within(long recorded, long billed) => Math.Abs(billed - recorded) <= Share * Math.Max(Math.Abs(recorded), Math.Abs(billed));

    /// <summary>An unknown billed cost (Priority Tier) cannot disagree.</summary>
    public bool Within(decimal? recorded, decimal? billed) =>
        recorded is not { } r || billed is not { } b || Math.Abs(b - r) <= Math.Max(CostRoundingUsd, Share * Math.Max(Math.Abs(r), Math.Abs(b)));

    public override string ToString() => (Share * 100m).ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
