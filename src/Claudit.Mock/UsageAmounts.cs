namespace Claudit.Mock;

/// <summary>
/// Usage summed over calls: the four input classes kept apart (each is billed at its own rate), output, web
/// searches, requests, and the USD cost of each class as Core's <see cref="Claudit.Core.Pricing.CostCalculator"/>
/// priced every call (batch and inference-geo modifiers, long-context tiers included), so reports sum exact decimals.
/// </summary>
internal readonly record struct UsageAmounts(
    long UncachedInput, long CacheWrite5m, long CacheWrite1h, long CacheRead, long Output, long WebSearches, long Requests,
    decimal InputUsd, decimal CacheWrite5mUsd, decimal CacheWrite1hUsd, decimal CacheReadUsd, decimal OutputUsd, decimal WebSearchUsd)
{
    /// <summary>All four token kinds, the analytics API's <c>total_tokens</c> (its formula is unconfirmed; reference §4.3).</summary>
    public long TotalTokens => UncachedInput + CacheWrite5m + CacheWrite1h + CacheRead + Output;

    public decimal TotalUsd => InputUsd + CacheWrite5mUsd + CacheWrite1hUsd + CacheReadUsd + OutputUsd + WebSearchUsd;

    public static UsageAmounts operator +(UsageAmounts a, UsageAmounts b) => new(
        a.UncachedInput + b.UncachedInput, a.CacheWrite5m + b.CacheWrite5m, a.CacheWrite1h + b.CacheWrite1h, a.CacheRead + b.CacheRead,
        a.Output + b.Output, a.WebSearches + b.WebSearches, a.Requests + b.Requests,
        a.InputUsd + b.InputUsd, a.CacheWrite5mUsd + b.CacheWrite5mUsd, a.CacheWrite1hUsd + b.CacheWrite1hUsd,
        a.CacheReadUsd + b.CacheReadUsd, a.OutputUsd + b.OutputUsd, a.WebSearchUsd + b.WebSearchUsd);
}
