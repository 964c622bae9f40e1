namespace Claudit.Store.ReadModel;

/// <summary>One key's share of the calls in range (a model, feature, user or tenant): calls, errors, recorded cost, tokens, latency.</summary>
public sealed record BreakdownRow(
    string Key,
    long Calls,
    long Errors,
    double ErrorRate,
    decimal CostUsd,
    long InputTokens,
    long OutputTokens,
    double? LatencyP50Ms,
    double? LatencyP95Ms);
