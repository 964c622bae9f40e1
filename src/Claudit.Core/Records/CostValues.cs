namespace Claudit.Core.Records;

/// <summary>A <see cref="CallCost"/> as a value: the recorded cost a reader gathers and a report folds without an object per call.</summary>
internal readonly record struct CostValues(
    bool Priced,
    decimal TotalUsd,
    decimal InputUsd,
    decimal CacheWrite5mUsd,
    decimal CacheWrite1hUsd,
    decimal CacheReadUsd,
    decimal OutputUsd,
    decimal WebSearchUsd,
    string? PriceTableVersion,
    string? PricingModel,
    string? UnpricedReason)
{
    public static CostValues Of(CallCost c) => new(c.Priced, c.TotalUsd, c.InputUsd, c.CacheWrite5mUsd, c.CacheWrite1hUsd, c.CacheReadUsd,
        c.OutputUsd, c.WebSearchUsd, c.PriceTableVersion, c.PricingModel, c.UnpricedReason);

    public CallCost ToCallCost() => new()
    {
        Priced = Priced,
        TotalUsd = TotalUsd,
        InputUsd = InputUsd,
        CacheWrite5mUsd = CacheWrite5mUsd,
        CacheWrite1hUsd = CacheWrite1hUsd,
        CacheReadUsd = CacheReadUsd,
        OutputUsd = OutputUsd,
        WebSearchUsd = WebSearchUsd,
        PriceTableVersion = PriceTableVersion,
        PricingModel = PricingModel,
        UnpricedReason = UnpricedReason,
    };
}
