namespace Claudit.Core.Reporting;

/// <summary>How to build a report: grouping, ranking, cost source and filters.</summary>
public sealed record ReportOptions
{
    public GroupBy GroupBy { get; init; } = GroupBy.Model;

    /// <summary>How many of the most expensive calls to list.</summary>
    public int TopN { get; init; } = 10;

    /// <summary>How many recent errors to list.</summary>
    public int RecentErrors { get; init; } = 10;

    public CostMode CostMode { get; init; } = CostMode.Recomputed;

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
}

public enum CostMode
{
    /// <summary>Price every call from its tokens with the current price table (the default).</summary>
    Recomputed,

    /// <summary>Trust the cost each record carries.</summary>
    Recorded,
}
