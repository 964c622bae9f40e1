namespace Claudit.Core.Pricing;

/// <summary>A call's cost per bucket in USD, as computed by <see cref="CostCalculator"/>; a value, for hot paths.</summary>
internal readonly record struct CostAmounts(decimal Input, decimal CacheWrite5m, decimal CacheWrite1h, decimal CacheRead, decimal Output, decimal WebSearch, string PricingModel)
{
    public decimal Total => Input + CacheWrite5m + CacheWrite1h + CacheRead + Output + WebSearch;
}
