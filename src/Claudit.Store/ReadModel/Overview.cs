namespace Claudit.Store.ReadModel;

/// <summary>
/// The overview of a range and of the range of the same length just before it, to show change; with
/// the cost it shows (<c>recorded</c> or <c>recomputed</c>) and the price tables behind that cost (the
/// versions the recorded calls name, or the one table that re-priced them).
/// </summary>
public sealed record Overview(OverviewPeriod Current, OverviewPeriod Previous, string CostMode, string? PriceTables);
