using System.Collections.Concurrent;
using Claudit.Core.Anthropic;
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
    // Multiplying by 10^-6 is exact in decimal and much cheaper than dividing by a million.
    private const decimal PerToken = 0.000001m;
    private const int MaxCachedModelIds = 4096;
    private readonly ConcurrentDictionary<string, ModelPrice?> _resolved = new(StringComparer.Ordinal);

    // Per-request rates, divided once: a decimal division costs as much as the rest of a call's pricing.
    private readonly decimal _webSearchPerRequest;
    private readonly decimal _webFetchPerRequest;

    public CostCalculator(PriceTable table)
    {
        Table = table;
        _webSearchPerRequest = table.WebSearchUsdPer1000 / 1000m;
        _webFetchPerRequest = table.WebFetchUsdPer1000 / 1000m;
    }

    public PriceTable Table { get; }

    public static CostCalculator Default { get; } = new(PriceTable.Default);

    public CallCost Price(string? model, TokenUsage? usage)
    {
        if (!TryCompute(model, usage, out var a, out var unpricedReason))
        {
            return CallCost.Unpriced(unpricedReason!, Table.Version);
        }

        return new CallCost
        {
            Priced = true,
            InputUsd = Money.Trim(a.Input),
            CacheWrite5mUsd = Money.Trim(a.CacheWrite5m),
            CacheWrite1hUsd = Money.Trim(a.CacheWrite1h),
            CacheReadUsd = Money.Trim(a.CacheRead),
            OutputUsd = Money.Trim(a.Output),
            WebSearchUsd = Money.Trim(a.WebSearch),
            TotalUsd = Money.Trim(a.Total),
            PriceTableVersion = Table.Version,
            PricingModel = a.PricingModel,
        };
    }

    /// <summary>
    /// The cost per bucket without allocating (reports price a million calls); false with the reason
    /// when the call cannot be priced.
    /// </summary>
    internal bool TryCompute(string? model, TokenUsage? usage, out CostAmounts amounts, out string? unpricedReason) =>
        TryCompute(model, usage is null ? null : UsageValues.Of(usage), out amounts, out unpricedReason);

    /// <summary>As <see cref="TryCompute(string?, TokenUsage?, out CostAmounts, out string?)"/>, from the usage's figures (a report's fold has no object).</summary>
    internal bool TryCompute(string? model, in UsageValues? usage, out CostAmounts amounts, out string? unpricedReason)
    {
        amounts = default;
        if (string.IsNullOrWhiteSpace(model))
        {
            unpricedReason = UnpricedReasons.NoModel;
            return false;
        }

        if (usage is not { } u)
        {
            unpricedReason = UnpricedReasons.NoUsage;
            return false;
        }

        if (!TryGetRates(model, u.ServiceTier, u.InferenceGeo, u.Speed, u.TotalInputTokens, out var rates))
        {
            unpricedReason = UnpricedReasons.UnknownModel;
            return false;
        }

        amounts = new CostAmounts(
            Tokens(u.InputTokens, rates.Input),
            Tokens(u.EffectiveCacheWrite5m, rates.CacheWrite5m),
            Tokens(u.EffectiveCacheWrite1h, rates.CacheWrite1h),
            Tokens(u.CacheReadInputTokens, rates.CacheRead),
            Tokens(u.OutputTokens, rates.Output),
            (u.WebSearchRequests * rates.WebSearchRequest) + (u.WebFetchRequests * rates.WebFetchRequest),
            rates.PricingModel);
        unpricedReason = null;
        return true;
    }

    /// <summary>
    /// The per-token rates a call of this model, tier, geo and speed with this much total input is billed
    /// at; false when the model is unknown. <see cref="TryCompute(string?, TokenUsage?, out CostAmounts, out string?)"/> multiplies these by the call's tokens,
    /// so anything that multiplies the same rates by token sums (the store's SQL) gets the same exact decimals.
    /// </summary>
    internal bool TryGetRates(string? model, string? serviceTier, string? inferenceGeo, string? speed, long totalInputTokens, out CallRates rates)
    {
        rates = default;
        var price = string.IsNullOrWhiteSpace(model) ? null : Resolve(model);
        if (price is null)
        {
            return false;
        }

        var perMillion = price.RatesFor(totalInputTokens, speed);
        var multiplier = PerToken;
        if (string.Equals(serviceTier, "batch", StringComparison.OrdinalIgnoreCase))
        {
            multiplier *= Table.BatchMultiplier;
        }

        if (inferenceGeo is { } geo && price.InferenceGeoMultipliers.TryGetValue(geo, out var geoMultiplier))
        {
            multiplier *= geoMultiplier;
        }

        rates = new CallRates(perMillion.Input * multiplier, perMillion.CacheWrite5m * multiplier, perMillion.CacheWrite1h * multiplier,
            perMillion.CacheRead * multiplier, perMillion.Output * multiplier, _webSearchPerRequest, _webFetchPerRequest, price.Id);
        return true;
    }

    /// <summary>
    /// The most a request can cost before it is sent (a budget's reservation): <paramref name="estimate"/>'s
    /// input billed at the dearest rate it can be billed at (a cache write's, when it asks for caching),
    /// its output at the output rate, with the request's model, geo, speed and long-context tier. False
    /// when the model is unknown to the table: the call cannot be priced, before or after.
    /// </summary>
    internal bool TryPriceWorstCase(MessageRequestInfo request, in WorstCaseRequest estimate, out decimal usd)
    {
        usd = 0m;
        if (!TryGetRates(request.Model, request.ServiceTier, request.InferenceGeo, request.Speed, estimate.InputTokens, out var rates))
        {
            return false;
        }

        var inputRate = estimate.CacheWrites1h ? Math.Max(rates.Input, rates.CacheWrite1h)
            : estimate.CacheWrites ? Math.Max(rates.Input, rates.CacheWrite5m)
            : rates.Input;
        usd = Tokens(estimate.InputTokens, inputRate) + Tokens(estimate.OutputTokens, rates.Output);
        return true;
    }

    /// <summary>
    /// The record priced with this table: its billed model's rates times its usage. A call that failed
    /// before any usage was counted has no cost at all (not an unpriced one): nothing was billed. A call
    /// to an endpoint Anthropic does not bill (<see cref="EndpointKinds.Free"/>: count_tokens, models,
    /// batch management, files) is priced at exactly $0, whatever it carries.
    /// </summary>
    public CallRecord Apply(CallRecord record) =>
        record with { Cost = CostOf(record.PricedModel, record.Usage, record.EndpointKind, record.IsError) };

    /// <summary><see cref="Apply"/>'s cost from the parts of a record it reads, for a record being built (no copy).</summary>
    internal CallCost? CostOf(string? pricedModel, TokenUsage? usage, string endpointKind, bool isError) =>
        usage is null && isError ? null
        : EndpointKinds.IsFree(endpointKind) ? CallCost.Free(Table.Version)
        : Price(pricedModel, usage);

    /// <summary>
    /// The cost of a whole record, with the
    /// rule <see cref="Apply"/> prices by: a free endpoint's call costs exactly zero.
    /// </summary>
    internal bool TryCompute(CallRecord record, out CostAmounts amounts, out string? unpricedReason) =>
        TryCompute(record.EndpointKind, record.PricedModel, record.Usage is { } usage ? UsageValues.Of(usage) : null, out amounts, out unpricedReason);

    /// <summary>As <see cref="TryCompute(CallRecord, out CostAmounts, out string?)"/>, from the parts of a record it reads.</summary>
    internal bool TryCompute(string endpointKind, string? pricedModel, in UsageValues? usage, out CostAmounts amounts, out string? unpricedReason)
    {
        if (EndpointKinds.IsFree(endpointKind))
        {
            amounts = new CostAmounts(0m, 0m, 0m, 0m, 0m, 0m, "");
            unpricedReason = null;
            return true;
        }

        return TryCompute(pricedModel, usage, out amounts, out unpricedReason);
    }

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

    private static decimal Tokens(long tokens, decimal ratePerToken) => tokens == 0 ? 0m : tokens * ratePerToken;
}
