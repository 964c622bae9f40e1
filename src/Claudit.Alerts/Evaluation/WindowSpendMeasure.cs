using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>What a group's calls cost over a sliding window (a session's spend: <c>session_cost</c>).</summary>
internal sealed class WindowSpendMeasure(AlertRule rule) : Measure<TallyGroup>(rule)
{
    public override GroupState NewGroup() => new TallyGroup(Rule.Window);

    public override bool Counts(CallRecord r) => true;

    protected override void Observe(TallyGroup group, CallRecord r) => group.Window.Add(Ticks(r), 1, CallFacts.Cost(r), 0);

    protected override Reading? Read(TallyGroup group, long now)
    {
        var t = group.Window.Sum(now);
        return new Reading(t.A, Rule.Threshold, t.Calls);
    }
}
