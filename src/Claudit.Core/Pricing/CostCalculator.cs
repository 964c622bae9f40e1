using System.Collections.Concurrent;
using Claudit.Core.Records;

namespace Claudit.Core.Pricing;

/// <summary>
/// Claudit's one pricing engine. Each usage bucket is billed at its own rate (never subtracted from
/// another); modifiers multiply: Batch (service_tier <c>batch</c>) on every token bucket,
/// <c>inference_geo</c> per model, fast mode via its own rates; web search per request.
/// Unknown models are reported unpriced, never priced as zero or as a neighbour.
/// </summary>
public sealed class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;
    private const int MaxCachedModelIds = 4096;
    private readonly ConcurrentDictionary<string, ModelPrice?> _resolved = new(StringComparer.Ordinal);

    public CostCalculator(PriceTable table)
    {
        Table = table;
    }

    public PriceTable Table { get; }

    public static CostCalculator Default { get; } = new(PriceTable.Default);

    public CallCost Price(string? model, TokenUsage? usage)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return CallCost.Unpriced(UnpricedReasons.NoModel, Table.Version);
        }

        if (usage is null)
        {
            return CallCost.Unpriced(UnpricedReasons.NoUsage, Table.Version);
        }

        var price = Resolve(model);
        if (price is null)
        {
            return CallCost.Unpriced(UnpricedReasons.UnknownModel, Table.Version);
        }

        var rates = price.RatesFor(usage.TotalInputTokens, usage.Speed);
        var multiplier = 1m;
        if (string.Equals(usage.ServiceTier, "batch", StringComparison.OrdinalIgnoreCase))
        {
            multiplier *= Table.BatchMultiplier;
        }

        if (usage.InferenceGeo is { } geo && price.InferenceGeoMultipliers.TryGetValue(geo, out var geoMultiplier))
        {
            multiplier *= geoMultiplier;
        }

        var input = Tokens(usage.InputTokens, rates.Input, multiplier);
        var write5m = Tokens(usage.EffectiveCacheWrite5m, rates.CacheWrite5m, multiplier);
        var write1h = Tokens(usage.EffectiveCacheWrite1h, rates.CacheWrite1h, multiplier);
        var read = Tokens(usage.CacheReadInputTokens, rates.CacheRead, multiplier);
        var output = Tokens(usage.OutputTokens, rates.Output, multiplier);
        var webSearch = (usage.WebSearchRequests * Table.WebSearchUsdPer1000 / 1000m)
            + (usage.WebFetchRequests * Table.WebFetchUsdPer1000 / 1000m);

        return new CallCost
        {
            Priced = true,
            InputUsd = input,
            CacheWrite5mUsd = write5m,
            CacheWrite1hUsd = write1h,
            CacheReadUsd = read,
            OutputUsd = output,
            WebSearchUsd = webSearch,
            TotalUsd = input + write5m + write1h + read + output + webSearch,
            PriceTableVersion = Table.Version,
            PricingModel = price.Id,
        };
    }

    /// <summary>Returns the record with its cost computed from this table.</summary>
    public CallRecord Apply(CallRecord record) => record with { Cost = Price(record.PricedModel, record.Usage) };

    private ModelPrice? Resolve(string model)
    {
        if (_resolved.TryGetValue(model, out var cached))
        {
            return cached;
        }

        var price = Table.FindModel(model);
        if (_resolved.Count < MaxCachedModelIds)
        {
            _resolved.TryAdd(model, price);
        }

        return price;
    }

    private static decimal Tokens(long tokens, decimal ratePerMillion, decimal multiplier) =>
        tokens == 0 ? 0m : tokens * ratePerMillion * multiplier / PerMillion;
}
