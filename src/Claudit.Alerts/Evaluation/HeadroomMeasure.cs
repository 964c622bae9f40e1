using Claudit.Core.Records;
using Claudit.Alerts.Rules;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Rate-limit headroom: the smallest remaining/limit share of the <c>anthropic-ratelimit-*</c> headers of
/// the latest response in the window. The latest, not an average: the remaining count resets each minute.
/// </summary>
internal sealed class HeadroomMeasure(AlertRule rule) : Measure<HeadroomMeasure.Group>(rule)
{
    public override GroupState NewGroup() => new Group(Rule.Window);

    public override bool Counts(CallRecord r) => CallFacts.Headroom(r.RateLimits) is not null;

    protected override void Observe(Group group, CallRecord r)
    {
        var ticks = Ticks(r);
        group.Responses.Add(ticks, 1, 0, 0);
        if (ticks >= group.LatestAt)
        {
            group.LatestAt = ticks;
            group.Latest = CallFacts.Headroom(r.RateLimits)!.Value;
        }
    }

    protected override Reading? Read(Group group, long now) =>
        group.LatestAt > now - Rule.Window.Ticks ? new Reading(group.Latest, Rule.Threshold, group.Responses.Sum(now).Calls) : null;

    internal sealed class Group(TimeSpan window) : GroupState
    {
        public TallyRing Responses { get; } = new(window, Slots);

        public long LatestAt = long.MinValue;

        public double Latest;
    }
}
