namespace Claudit.Store.Usage;

/// <summary>
/// Recorded usage of the calls a policy counts, from <see cref="Since"/> on: per value of <see cref="Scope"/>
/// and, when <see cref="BucketTicks"/> is above 0, per time bucket (start ticks since the Unix epoch
/// divided by it, as the gateway's rolling windows index their buckets).
/// </summary>
public sealed record ScopeUsageQuery
{
    public required DateTimeOffset Since { get; init; }

    /// <summary>Exclusive end; none: up to the newest call.</summary>
    public DateTimeOffset? Until { get; init; }

    public UsageScope Scope { get; init; } = UsageScope.Global;

    public ScopeMatch Match { get; init; } = ScopeMatch.Any;

    /// <summary>0: one bucket for the whole range (<see cref="ScopeUsage.Bucket"/> is then 0).</summary>
    public long BucketTicks { get; init; }

    /// <summary>When set, only this many scopes, the largest by <see cref="Order"/> first (buckets are then not split).</summary>
    public int? Top { get; init; }

    public UsageOrder Order { get; init; } = UsageOrder.Cost;
}
