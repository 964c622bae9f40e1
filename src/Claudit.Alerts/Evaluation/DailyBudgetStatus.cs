namespace Claudit.Alerts.Evaluation;

/// <summary>
/// One daily budget named <c>daily</c> (<c>claudit alerts backtest --daily-budget USD</c>): today's (UTC)
/// spend against it, from the evaluator's <see cref="SpendLedger"/>. The gateway reads its policies instead.
/// </summary>
public sealed class DailyBudgetStatus(decimal limitUsd, SpendLedger spend) : IBudgetStatus
{
    public const string Name = "daily";

    public IReadOnlyList<BudgetUsage> Current(DateTimeOffset now) =>
        [new BudgetUsage(Name, BudgetPeriod.Day, limitUsd, spend.Today(now)) { Rolling24hUsd = spend.Last24Hours(now) }];
}
