namespace Claudit.Core.Pricing;

/// <summary>The five per-bucket rates of a model, in USD per million tokens.</summary>
public sealed record TokenRates(decimal Input, decimal CacheWrite5m, decimal CacheWrite1h, decimal CacheRead, decimal Output);
