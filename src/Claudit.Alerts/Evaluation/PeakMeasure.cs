using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>The largest context window utilisation of any call in the window ("on any call").</summary>
internal sealed class PeakMeasure(AlertRule rule) : Measure<TallyGroup>(rule)
{
    public override GroupState NewGroup() => new TallyGroup(Rule.Window);

    public override bool Counts(CallRecord r) => r.ContextUtilisation is not null;

    protected override void Observe(TallyGroup group, CallRecord r)
    {
        ref var cell = ref group.Window.Cell(Ticks(r), out var ok);
        if (ok)
        {
            cell.A = cell.Calls == 0 ? r.ContextUtilisation!.Value : Math.Max(cell.A, r.ContextUtilisation!.Value);
            cell.Calls++;
        }
    }

    protected override Reading? Read(TallyGroup group, long now)
    {
        var peak = group.Window.Max(now);
        return double.IsNaN(peak.A) ? null : new Reading(peak.A, Rule.Threshold, peak.Calls);
    }
}
