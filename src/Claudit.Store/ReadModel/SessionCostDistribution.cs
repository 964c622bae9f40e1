namespace Claudit.Store.ReadModel;

/// <summary>
/// How recorded cost spreads over the sessions with calls in a filter: percentiles of cost per session,
/// and how many sessions fall in each decade of cost (bins from <see cref="Bins"/>).
/// </summary>
public sealed record SessionCostDistribution(long Sessions, double? MeanUsd, double? P50Usd, double? P90Usd, double? P99Usd, double? MaxUsd, CostBin[] Bins);
