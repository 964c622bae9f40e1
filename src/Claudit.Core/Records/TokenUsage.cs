namespace Claudit.Core.Records;

/// <summary>
/// Anthropic's usage object, flattened. <see cref="InputTokens"/> is uncached input only: the three
/// input buckets are disjoint and each is billed at its own rate.
/// </summary>
public sealed record TokenUsage
{
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>All cache writes; equals the 5m + 1h split when the API sent one.</summary>
    public long CacheCreationInputTokens { get; init; }

    public long? CacheCreation5mInputTokens { get; init; }

    public long? CacheCreation1hInputTokens { get; init; }

    public long CacheReadInputTokens { get; init; }

    /// <summary>Breakdown only: already counted in <see cref="OutputTokens"/>.</summary>
    public long? ThinkingTokens { get; init; }

    public long WebSearchRequests { get; init; }

    public long WebFetchRequests { get; init; }

    public string? ServiceTier { get; init; }

    public string? InferenceGeo { get; init; }

    /// <summary>The request's <c>speed</c> (<c>fast</c> mode is priced differently).</summary>
    public string? Speed { get; init; }

    public static TokenUsage Empty { get; } = new();

    /// <summary>Input + cache writes + cache reads: everything the model read.</summary>
    public long TotalInputTokens => InputTokens + CacheCreationInputTokens + CacheReadInputTokens;

    /// <summary>5-minute writes; when the API sent no split, all writes count as 5-minute writes.</summary>
    public long EffectiveCacheWrite5m => UsageValues.EffectiveWrite5m(CacheCreationInputTokens, CacheCreation5mInputTokens, CacheCreation1hInputTokens);

    public long EffectiveCacheWrite1h => UsageValues.EffectiveWrite1h(CacheCreationInputTokens, CacheCreation5mInputTokens, CacheCreation1hInputTokens);
}
