using Claudit.Core.Pricing;

namespace Claudit.Store;

/// <summary>
/// Which cost a query shows: what each call was priced at when it was captured (the default: the
/// price table each record names), or the calls re-priced with another table, chosen explicitly.
/// </summary>
public sealed record CostBasis
{
    private CostBasis(CostCalculator? pricing) => Pricing = pricing;

    public static CostBasis Recorded { get; } = new((CostCalculator?)null);

    /// <summary>Every call priced from its tokens with <paramref name="pricing"/>'s table.</summary>
    public static CostBasis Recomputed(CostCalculator pricing) => new(pricing ?? throw new ArgumentNullException(nameof(pricing)));

    /// <summary>The table that re-prices the calls; null for recorded cost.</summary>
    public CostCalculator? Pricing { get; }

    public bool IsRecomputed => Pricing is not null;

    /// <summary><c>recorded</c> or <c>recomputed</c>, as the API and reports name it.</summary>
    public string Mode => IsRecomputed ? "recomputed" : "recorded";
}
