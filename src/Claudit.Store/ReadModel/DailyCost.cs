namespace Claudit.Store.ReadModel;

/// <summary>The recorded cost of one UTC day's calls (within a filter).</summary>
public sealed record DailyCost(DateOnly Date, decimal CostUsd, long Calls);
