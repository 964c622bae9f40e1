namespace Claudit.Core.Pricing;

/// <summary>
/// What one token of each bucket (and one server-tool request) costs a call, in USD, with the call's
/// modifiers (batch, inference geo, long-context tier, fast mode) applied: the rates
/// <see cref="CostCalculator.TryCompute(string?, Records.TokenUsage?, out CostAmounts, out string?)"/> bills with, for engines that price many calls at once (SQL).
/// </summary>
internal readonly record struct CallRates(decimal Input, decimal CacheWrite5m, decimal CacheWrite1h, decimal CacheRead, decimal Output,
    decimal WebSearchRequest, decimal WebFetchRequest, string PricingModel);
