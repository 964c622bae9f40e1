namespace Claudit.Mock;

/// <summary>
/// How the cost reports write what the reference leaves unconfirmed (shared/reference/anthropic-usage-cost-api.md
/// §3.2, §6.2): the decimal padding of <c>amount</c>, and the line-item descriptions beyond the observed standard
/// rows. <c>{model}</c> is the model's display name, <c>{token}</c> the token label.
/// </summary>
public sealed record CostReportFormat
{
    /// <summary>Null: the exact amount, shortest form (<c>"0.1875"</c>); N: exactly N decimals (data in the wild showed 6).</summary>
    public int? AmountDecimals { get; init; }

    /// <summary>Observed: <c>Claude Sonnet 4.5 Usage - Input Tokens</c>.</summary>
    public string Usage { get; init; } = "{model} Usage - {token}";

    /// <summary>Unconfirmed: batch rows need a description of their own, since <c>service_tier</c> is parsed from it.</summary>
    public string BatchUsage { get; init; } = "{model} Batch Usage - {token}";

    /// <summary>Unconfirmed: how the model is named on long-context (<c>200k-1M</c>) rows.</summary>
    public string LongContextModel { get; init; } = "{model} Long Context";

    /// <summary>Observed for 5-minute writes: <c>Input Tokens, Cache Write</c>; the 1-hour label is unconfirmed.</summary>
    public string CacheWrite1hToken { get; init; } = "Input Tokens, 1h Cache Write";
}
