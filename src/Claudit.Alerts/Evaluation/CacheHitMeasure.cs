using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// The cache hit rate (cache reads over all input tokens) of a group that caches — one that read from
/// the cache in the window or in the 7 days before it — below the rule's threshold, or below
/// <c>baseline_below</c> of the group's own 7-day rate (reads falling to 0 is both). The reading's
/// threshold is the higher of the two.
/// </summary>
internal sealed class CacheHitMeasure(AlertRule rule) : Measure<CacheHitMeasure.Group>(rule)
{
    private static readonly TimeSpan Baseline = TimeSpan.FromDays(7);

    public override TimeSpan Memory => Rule.Window + Baseline;

    public override DateTimeOffset? SeedSince(DateTimeOffset now) => now - Memory;

    public override GroupState NewGroup() => new Group(Rule.Window, Memory + TimeSpan.FromHours(2));

    public override bool Counts(CallRecord r) => !r.IsError && r.Usage is not null;

    protected override void Observe(Group group, CallRecord r)
    {
        var u = r.Usage!;
        group.Window.Add(Ticks(r), 1, u.CacheReadInputTokens, u.TotalInputTokens);
        group.Hours.Add(Ticks(r), 1, u.CacheReadInputTokens, u.TotalInputTokens);
    }

    protected override void Seed(Group group, HourlyTotals hour) => group.Hours.Add(hour.Hour.UtcTicks, hour.Calls, hour.CacheReadTokens, hour.InputTokens);

    protected override Reading? Read(Group group, long now)
    {
        var current = group.Window.Sum(now);
        if (current.B <= 0)
        {
            return null;
        }

        var start = now - Rule.Window.Ticks;
        var baseline = group.Hours.SumRange(start - Baseline.Ticks, start);
        if (current.A <= 0 && baseline.A <= 0)
        {
            return null; // a group that does not cache has no hit rate to lose
        }

        var threshold = Rule.Threshold;
        if (Rule.BaselineBelow is { } share && baseline.B > 0)
        {
            threshold = Math.Max(threshold, share * (baseline.A / baseline.B));
        }

        return new Reading(current.A / current.B, threshold, current.Calls);
    }

    internal sealed class Group(TimeSpan window, TimeSpan memory) : GroupState
    {
        public TallyRing Window { get; } = new(window, Slots);

        public TallyRing Hours { get; } = new(TimeSpan.FromHours(Math.Ceiling(memory.TotalHours)), (int)Math.Ceiling(memory.TotalHours));
    }
}
