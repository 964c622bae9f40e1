namespace Claudit.Core.Reporting;

/// <summary>How to build a report: grouping, ranking, cost source and filters.</summary>
public sealed record ReportOptions
{
    public GroupBy GroupBy { get; init; } = GroupBy.Model;

    /// <summary>How many of the most expensive calls to list.</summary>
    public int TopN { get; init; } = 10;

    /// <summary>How many recent errors to list.</summary>
    public int RecentErrors { get; init; } = 10;

    public CostMode CostMode { get; init; } = CostMode.Recorded;

    public RecordFilter Filter { get; init; } = RecordFilter.None;
}

public enum GroupBy
{
    Model,
    Feature,
    User,
    Tenant,
    Session,
    Day,
    Endpoint,
}

/// <summary>
/// Which cost a report shows. One data directory gives one answer by default: the recorded cost, as
/// the dashboard shows it; re-pricing is an explicit choice, labelled with the table that did it.
/// </summary>
public enum CostMode
{
    /// <summary>The cost each record carries: priced when it was captured, with the table version it names (the default).</summary>
    Recorded,

    /// <summary>Price every call from its tokens with the given price table.</summary>
    Recomputed,
}
