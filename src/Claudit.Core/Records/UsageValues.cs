namespace Claudit.Core.Records;

/// <summary>
/// A <see cref="TokenUsage"/>'s figures as a value: what a reader gathers and a report folds without an
/// object per call. The billed cache split is defined here once; <see cref="TokenUsage"/> reads it.
/// </summary>
internal readonly record struct UsageValues(
    long InputTokens,
    long OutputTokens,
    long CacheCreationInputTokens,
    long? CacheCreation5mInputTokens,
    long? CacheCreation1hInputTokens,
    long CacheReadInputTokens,
    long? ThinkingTokens,
    long WebSearchRequests,
    long WebFetchRequests,
    string? ServiceTier,
    string? InferenceGeo,
    string? Speed)
{
    /// <summary>Input + cache writes + cache reads: everything the model read.</summary>
    public long TotalInputTokens => InputTokens + CacheCreationInputTokens + CacheReadInputTokens;

    /// <summary>5-minute writes; when the API sent no split, all writes count as 5-minute writes.</summary>
    public long EffectiveCacheWrite5m => EffectiveWrite5m(CacheCreationInputTokens, CacheCreation5mInputTokens, CacheCreation1hInputTokens);

    public long EffectiveCacheWrite1h => EffectiveWrite1h(CacheCreationInputTokens, CacheCreation5mInputTokens, CacheCreation1hInputTokens);

    public static UsageValues Of(TokenUsage u) => new(u.InputTokens, u.OutputTokens, u.CacheCreationInputTokens, u.CacheCreation5mInputTokens,
        u.CacheCreation1hInputTokens, u.CacheReadInputTokens, u.ThinkingTokens, u.WebSearchRequests, u.WebFetchRequests, u.ServiceTier, u.InferenceGeo, u.Speed);

    public TokenUsage ToTokenUsage() => new()
    {
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        CacheCreationInputTokens = CacheCreationInputTokens,
        CacheCreation5mInputTokens = CacheCreation5mInputTokens,
        CacheCreation1hInputTokens = CacheCreation1hInputTokens,
        CacheReadInputTokens = CacheReadInputTokens,
        ThinkingTokens = ThinkingTokens,
        WebSearchRequests = WebSearchRequests,
        WebFetchRequests = WebFetchRequests,
        ServiceTier = ServiceTier,
        InferenceGeo = InferenceGeo,
        Speed = Speed,
    };

    internal static long EffectiveWrite5m(long all, long? w5, long? w1) =>
        w5 is null && w1 is null ? all : w5 ?? Math.Max(0, all - (w1 ?? 0));

    internal static long EffectiveWrite1h(long all, long? w5, long? w1) =>
        w1 ?? (w5 is null ? 0 : Math.Max(0, all - w5.Value));
}
