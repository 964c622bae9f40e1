namespace Claudit.Core.Pricing;

/// <summary>
/// Rates that replace the base rates for every token of a call once its total input
/// (input + cache writes + cache reads) exceeds <see cref="AboveTotalInputTokens"/>.
/// </summary>
public sealed record PriceTier(long AboveTotalInputTokens, TokenRates Rates);
