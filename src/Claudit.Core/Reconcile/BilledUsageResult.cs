namespace Claudit.Core.Reconcile;

/// <summary>
/// One result of the Admin usage report (<c>/v1/organizations/usage_report/messages</c>) grouped by model,
/// service tier, context window and inference geo: its bucket's start and its counts, the cost left null.
/// </summary>
public sealed record BilledUsageResult(DateTimeOffset Bucket, string Model, string ServiceTier, string? ContextWindow, string? InferenceGeo, ReconcileAmounts Usage);

/// <summary>
/// One line item of the Admin cost report (<c>/v1/organizations/cost_report</c>, <c>group_by[]=description</c>):
/// its UTC day, what the description parses to, and the amount in USD (the report's cents divided by 100).
/// </summary>
public sealed record BilledCostLine(
    DateTimeOffset Day, string? CostType, string? TokenType, string? Model, string? ServiceTier, string? ContextWindow, string? InferenceGeo, decimal AmountUsd);
