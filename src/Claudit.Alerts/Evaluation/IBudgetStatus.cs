namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Where the budget rules (<c>budget_used</c>, <c>budget_burn</c>) read how far each budget is used.
/// In the gateway the budget policies implement it (<c>PolicyBudgets</c> in Claudit.Server: every USD
/// policy over a calendar day or month, <c>--daily-budget</c>'s included); <c>claudit alerts backtest</c>,
/// which has no policies, uses <see cref="DailyBudgetStatus"/> over its <c>--daily-budget</c>.
/// </summary>
public interface IBudgetStatus
{
    /// <summary>Every budget as it stands at <paramref name="now"/>.</summary>
    IReadOnlyList<BudgetUsage> Current(DateTimeOffset now);
}

/// <summary>One budget: its name (the alert's <c>budget</c> group label), period, limit and what is spent of it.</summary>
public sealed record BudgetUsage(string Name, BudgetPeriod Period, decimal LimitUsd, decimal UsedUsd)
{
    /// <summary>What the last 24 hours cost (the burn of a monthly budget), when known.</summary>
    public decimal? Rolling24hUsd { get; init; }

    /// <summary>Used over limit (above 1: over budget); 0 for a budget without a limit.</summary>
    public double Ratio => LimitUsd > 0 ? (double)(UsedUsd / LimitUsd) : 0;
}

/// <summary>What a budget's limit is per: a UTC calendar day or month.</summary>
public enum BudgetPeriod
{
    Day,
    Month,
}
