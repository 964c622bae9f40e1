namespace Claudit.Core.Pricing;

/// <summary>One model's entry in the price table.</summary>
public sealed record ModelPrice
{
    public required string Id { get; init; }

    /// <summary>Other ids that mean this model, typically dated snapshots (<c>claude-opus-4-20250514</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required TokenRates Rates { get; init; }

    public long? ContextWindow { get; init; }

    /// <summary>Long-context tiers, ascending by threshold.</summary>
    public IReadOnlyList<PriceTier> Tiers { get; init; } = [];

    /// <summary>Rates for <c>speed: "fast"</c>, when the model offers fast mode.</summary>
    public TokenRates? Fast { get; init; }

    /// <summary>Multipliers by <c>inference_geo</c> value (e.g. <c>us</c> = 1.1 on Claude 4.6+).</summary>
    public IReadOnlyDictionary<string, decimal> InferenceGeoMultipliers { get; init; } = new Dictionary<string, decimal>();

    /// <summary>The rates that apply to a call with this much total input, at this speed.</summary>
    public TokenRates RatesFor(long totalInputTokens, string? speed)
    {
        if (Fast is not null && string.Equals(speed, "fast", StringComparison.OrdinalIgnoreCase))
        {
            return Fast;
        }

        var rates = Rates;
        foreach (var tier in Tiers)
        {
            if (totalInputTokens > tier.AboveTotalInputTokens)
            {
                rates = tier.Rates;
            }
        }

        return rates;
    }
}
