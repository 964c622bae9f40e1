namespace Claudit.Store.Dashboard;

/// <summary>The overview of a range and of the range of the same length just before it, to show change.</summary>
public sealed record Overview(OverviewPeriod Current, OverviewPeriod Previous);
