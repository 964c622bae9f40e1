namespace Claudit.Core.Reconcile;

/// <summary>
/// What one side (recorded by Claudit, or billed by Anthropic) says of one bucket × model × tier: the token
/// classes as the usage report counts them (uncached input, 5-minute and 1-hour cache writes, cache reads,
/// output), web searches, and the cost in USD; null cost when that side has none (Priority Tier is not in the
/// cost report).
/// </summary>
public sealed record ReconcileAmounts
{
    public static ReconcileAmounts Zero { get; } = new() { CostUsd = 0m };

    public long UncachedInputTokens { get; init; }

    public long CacheWrite5mTokens { get; init; }

    public long CacheWrite1hTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long OutputTokens { get; init; }

    public long WebSearchRequests { get; init; }

    public decimal? CostUsd { get; init; }

    /// <summary>All token classes together.</summary>
    public long TotalTokens => UncachedInputTokens + CacheWrite5mTokens + CacheWrite1hTokens + CacheReadTokens + OutputTokens;

    /// <summary>The counts (tokens and web searches) in one order, for comparisons class by class.</summary>
    internal long[] Counts => [UncachedInputTokens, CacheWrite5mTokens, CacheWrite1hTokens, CacheReadTokens, OutputTokens, WebSearchRequests];

    /// <summary>Sums; a cost known on either side stays known.</summary>
    public static ReconcileAmounts operator +(ReconcileAmounts a, ReconcileAmounts b) => new()
    {
        UncachedInputTokens = a.UncachedInputTokens + b.UncachedInputTokens,
        CacheWrite5mTokens = a.CacheWrite5mTokens + b.CacheWrite5mTokens,
        CacheWrite1hTokens = a.CacheWrite1hTokens + b.CacheWrite1hTokens,
        CacheReadTokens = a.CacheReadTokens + b.CacheReadTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,
        WebSearchRequests = a.WebSearchRequests + b.WebSearchRequests,
        CostUsd = a.CostUsd is null && b.CostUsd is null ? null : (a.CostUsd ?? 0m) + (b.CostUsd ?? 0m),
    };

    /// <summary><paramref name="billed"/> minus <paramref name="recorded"/>: positive where Anthropic billed more than Claudit saw.</summary>
    public static ReconcileAmounts Difference(ReconcileAmounts billed, ReconcileAmounts recorded) => new()
    {
        UncachedInputTokens = billed.UncachedInputTokens - recorded.UncachedInputTokens,
        CacheWrite5mTokens = billed.CacheWrite5mTokens - recorded.CacheWrite5mTokens,
        CacheWrite1hTokens = billed.CacheWrite1hTokens - recorded.CacheWrite1hTokens,
        CacheReadTokens = billed.CacheReadTokens - recorded.CacheReadTokens,
        OutputTokens = billed.OutputTokens - recorded.OutputTokens,
        WebSearchRequests = billed.WebSearchRequests - recorded.WebSearchRequests,
        CostUsd = billed.CostUsd is { } b && recorded.CostUsd is { } r ? b - r : null,
    };
}
