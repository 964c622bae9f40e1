namespace Claudit.Server.Budgets;

/// <summary>
/// One policy now. A policy counted per scope (per user, per key …) is shown by its fullest scope
/// (<see cref="Scope"/>): that is the one nearest to being refused. <see cref="Ratio"/> is used plus reserved
/// over the limit — what the next call is judged against. <see cref="ResetsAt"/> is the calendar period's end,
/// or when the fullest scope's oldest usage slides out of a rolling window (null when nothing is counted).
/// </summary>
public sealed record PolicyStatus(Policy Policy, string? Scope, CounterTotals Totals, DateTimeOffset? ResetsAt, int Scopes)
{
    public string Name => Policy.Name;

    public decimal Used => Totals.Used;

    public decimal Reserved => Totals.Reserved;

    public decimal Limit => Policy.Limit;

    public double Ratio => (double)(Totals.Committed / Policy.Limit);
}
