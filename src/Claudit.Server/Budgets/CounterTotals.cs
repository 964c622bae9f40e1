namespace Claudit.Server.Budgets;

/// <summary>A counter over its window: what finished calls used, and what calls in flight hold as their worst case.</summary>
public readonly record struct CounterTotals(decimal Used, decimal Reserved)
{
    /// <summary>What the next call is judged against: used plus reserved.</summary>
    public decimal Committed => Used + Reserved;
}
