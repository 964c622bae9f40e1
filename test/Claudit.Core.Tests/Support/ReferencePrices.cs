namespace Claudit.Core.Tests.Support;

/// <summary>
/// Reference section 7, row by row, every id it names (aliases and dated snapshots included):
/// USD per million tokens for input, 5-minute write, 1-hour write, cache read, output; the context
/// window; and whether the id had the historical &gt;200K long-context tier (Sonnet 4 / 4.5).
/// </summary>
internal static class ReferencePrices
{
    public static TheoryData<string, decimal, decimal, decimal, decimal, decimal, long, bool> Rows => new()
    {
        { "claude-fable-5", 10m, 12.50m, 20m, 1.00m, 50m, 1_000_000, false },
        { "claude-opus-5", 5m, 6.25m, 10m, 0.50m, 25m, 1_000_000, false },
        { "claude-opus-4-8", 5m, 6.25m, 10m, 0.50m, 25m, 1_000_000, false },
        { "claude-opus-4-7", 5m, 6.25m, 10m, 0.50m, 25m, 1_000_000, false },
        { "claude-opus-4-6", 5m, 6.25m, 10m, 0.50m, 25m, 1_000_000, false },
        { "claude-opus-4-5", 5m, 6.25m, 10m, 0.50m, 25m, 200_000, false },
        { "claude-opus-4-5-20251101", 5m, 6.25m, 10m, 0.50m, 25m, 200_000, false },
        { "claude-opus-4-1", 15m, 18.75m, 30m, 1.50m, 75m, 200_000, false },
        { "claude-opus-4-1-20250805", 15m, 18.75m, 30m, 1.50m, 75m, 200_000, false },
        { "claude-opus-4-0", 15m, 18.75m, 30m, 1.50m, 75m, 200_000, false },
        { "claude-opus-4-20250514", 15m, 18.75m, 30m, 1.50m, 75m, 200_000, false },
        { "claude-sonnet-5", 2m, 2.50m, 4m, 0.20m, 10m, 1_000_000, false },
        { "claude-sonnet-4-6", 3m, 3.75m, 6m, 0.30m, 15m, 1_000_000, false },
        { "claude-sonnet-4-5", 3m, 3.75m, 6m, 0.30m, 15m, 200_000, true },
        { "claude-sonnet-4-5-20250929", 3m, 3.75m, 6m, 0.30m, 15m, 200_000, true },
        { "claude-sonnet-4-0", 3m, 3.75m, 6m, 0.30m, 15m, 200_000, true },
        { "claude-sonnet-4-20250514", 3m, 3.75m, 6m, 0.30m, 15m, 200_000, true },
        { "claude-3-7-sonnet-20250219", 3m, 3.75m, 6m, 0.30m, 15m, 200_000, false },
        { "claude-haiku-4-5", 1m, 1.25m, 2m, 0.10m, 5m, 200_000, false },
        { "claude-haiku-4-5-20251001", 1m, 1.25m, 2m, 0.10m, 5m, 200_000, false },
        { "claude-3-5-haiku-20241022", 0.80m, 1.00m, 1.60m, 0.08m, 4m, 200_000, false },
        { "claude-3-opus-20240229", 15m, 18.75m, 30m, 1.50m, 75m, 200_000, false },
        // Haiku 3 breaks the 1.25x / 0.1x rules: 0.30 and 0.03, not 0.3125 and 0.025.
        { "claude-3-haiku-20240307", 0.25m, 0.30m, 0.50m, 0.03m, 1.25m, 200_000, false },
    };
}
