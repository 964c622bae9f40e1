namespace Claudit.Store.ReadModel;

/// <summary>Sessions whose cost is at least <see cref="FromUsd"/> and below <see cref="ToUsd"/> (null: no upper end).</summary>
public sealed record CostBin(decimal FromUsd, decimal? ToUsd, long Sessions);
