namespace Claudit.Alerts.Evaluation;

/// <summary>
/// The one budget <c>claudit serve --daily-budget USD</c> sets, named <c>daily</c>: today's (UTC)
/// spend against it, from the evaluator's <see cref="SpendLedger"/>.
/// </summary>
public sealed class DailyBudgetStatus(decimal limitUsd, SpendLedger spend) : IBudgetStatus
{
    public const string Name = "daily";

    public IReadOnlyList<BudgetUsage> Current(DateTimeOffset now) =>
        [new BudgetUsage(Name, BudgetPeriod.Day, limitUsd, spend.Today(now)) { Rolling24hUsd = spend.Last24Hours(now) }];
}
