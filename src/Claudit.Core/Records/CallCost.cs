namespace Claudit.Core.Records;

/// <summary>What a call cost, per billing bucket, and against which price table.</summary>
public sealed record CallCost
{
    /// <summary>False when no price was known (unknown model, no usage): the amounts are then zero and must not be trusted.</summary>
    public bool Priced { get; init; }

    public decimal TotalUsd { get; init; }

    public decimal InputUsd { get; init; }

    public decimal CacheWrite5mUsd { get; init; }

    public decimal CacheWrite1hUsd { get; init; }

    public decimal CacheReadUsd { get; init; }

    public decimal OutputUsd { get; init; }

    public decimal WebSearchUsd { get; init; }

    /// <summary>The price table's version (its effective date), e.g. <c>2026-08-07</c>.</summary>
    public string? PriceTableVersion { get; init; }

    /// <summary>The price-table entry that matched the model id.</summary>
    public string? PricingModel { get; init; }

    /// <summary>Why the call is unpriced (<c>unknown_model</c>, <c>no_usage</c>, <c>no_model</c>).</summary>
    public string? UnpricedReason { get; init; }

    public decimal CacheWriteUsd => CacheWrite5mUsd + CacheWrite1hUsd;

    /// <summary>The cost of a call Anthropic does not bill (count_tokens, models, batch management, files): exactly zero, and priced.</summary>
    public static CallCost Free(string? tableVersion) => new() { Priced = true, PriceTableVersion = tableVersion };

    public static CallCost Unpriced(string reason, string? tableVersion) =>
        new() { Priced = false, UnpricedReason = reason, PriceTableVersion = tableVersion };
}
