namespace Claudit.Server.Budgets;

/// <summary>One scope's counter of a policy now, and when it next frees up (its period's end, or when its oldest bucket slides out).</summary>
public readonly record struct ScopeTotals(string Scope, CounterTotals Totals, DateTimeOffset? ResetsAt);
